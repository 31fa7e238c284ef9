"""The interactive API docs at /api/docs, served from our own origin.

FastAPI's default page loads Swagger UI from a CDN and starts it with an inline
script; both break our rules (no third-party requests, no inline script under the
CSP). Here the Swagger UI files come from the `swagger-ui-bundle-v2` package and the
start-up script is a file of ours.
"""

from __future__ import annotations

import html
from importlib.resources import files

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response

from search_api.api.static_site import SiteFiles

DOCS_URL = "/api/docs"
_SWAGGER_DIR = files("swagger_ui_bundle") / "vendor"
# Swagger UI 5 reads OpenAPI 3.1, which FastAPI writes; the folder names the version.
_SWAGGER = next(p for p in _SWAGGER_DIR.iterdir() if p.name.startswith("swagger-ui-"))
ASSETS_URL = f"{DOCS_URL}/{_SWAGGER.name}"

_START_SCRIPT = """\
// Starts Swagger UI on the page; the OpenAPI address comes from the page itself.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    // Off: with it, each operation's path is a link inside the operation's button
    // (axe: nested-interactive, and a target under 24 px). The page still opens.
    deepLinking: false,
    showExtensions: true,
    showCommonExtensions: true,
    // Its colours on the dark code box are 3.4:1; plain text there is 12:1.
    syntaxHighlight: { activated: false },
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
  // Swagger UI draws icon-only copy buttons and value lists with no name, and code boxes
  // that scroll but cannot take focus: name them and let the keyboard reach them.
  new MutationObserver(function () {
    root.querySelectorAll(".copy-to-clipboard > button:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Copy to clipboard");
    });
    // A parameter's list of values (an enum) has no label: name it for its parameter.
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
    });
    root.querySelectorAll(".highlight-code > pre:not([tabindex]), pre.microlight:not([tabindex])").forEach(function (code) {
      code.tabIndex = 0;
    });
  }).observe(root, { childList: true, subtree: true });
});
"""


# Swagger UI's own colours fail WCAG AA (white on #61affe is 2.3:1, grey on grey 1.9:1):
# the same look, darker, so every label reaches 4.5:1. Checked by tests/test_accessibility.py.
_CONTRAST_CSS = """\
.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #1f5fa8; }
.swagger-ui .opblock.opblock-get { border-color: #1f5fa8; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #1b6e47; }
.swagger-ui .opblock.opblock-post { border-color: #1b6e47; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background: #8a4b00; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #a82424; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method { background: #137a6d; }
.swagger-ui .opblock-tag small, .swagger-ui .opblock .opblock-summary-description { color: #3b4151; }
.swagger-ui .info .title small pre, .swagger-ui .info .title small { background: #4d5563; }
.swagger-ui .info .title small.version-stamp { background: #3d6600; }
.swagger-ui .info .base-url, .swagger-ui .info a, .swagger-ui .url { color: #1f5fa8; }
.swagger-ui .json-schema-2020-12-expand-deep-button { color: #4a4a4a; }
.swagger-ui .json-schema-2020-12__attribute, .swagger-ui .json-schema-2020-12-keyword__name--secondary,
.swagger-ui .json-schema-2020-12-keyword__value--secondary { color: #4d5563; }
.swagger-ui .prop-format, .swagger-ui .parameter__in, .swagger-ui .parameter__deprecated,
.swagger-ui .parameter__extension { color: #4d5563; }
.swagger-ui .response-col_links, .swagger-ui .model-hint { color: #4d5563; }
.swagger-ui .btn.try-out__btn, .swagger-ui .btn.cancel { color: #3b4151; }
.swagger-ui .btn.execute { background: #1f5fa8; border-color: #1f5fa8; }
.swagger-ui .download-contents { background: #4d5563; }
.swagger-ui .btn.authorize { color: #1b6e47; border-color: #1b6e47; }
.swagger-ui .btn.authorize svg { fill: #1b6e47; }
.swagger-ui .opblock-tag { min-height: 24px; }
.swagger-ui button, .swagger-ui a { min-height: 24px; min-width: 24px; }
"""


def docs_page(title: str, openapi_url: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="icon" type="image/png" href="{ASSETS_URL}/favicon-32x32.png">
<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">
<link rel="stylesheet" href="{DOCS_URL}/contrast.css">
</head>
<body>
<main id="swagger-ui" data-openapi-url="{html.escape(openapi_url)}"></main>
<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>
<script src="{DOCS_URL}/start.js"></script>
</body>
</html>
"""


def register_api_docs(app: FastAPI) -> None:
    """Serve Swagger UI at /api/docs from local files (create the app with docs_url=None)."""
    page = docs_page(f"{app.title} - docs", app.openapi_url or "/api/openapi.json")

    @app.get(DOCS_URL, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get(f"{DOCS_URL}/start.js", include_in_schema=False)
    def api_docs_start() -> Response:
        return Response(_START_SCRIPT, media_type="text/javascript", headers={"Cache-Control": "no-cache"})

    @app.get(f"{DOCS_URL}/contrast.css", include_in_schema=False)
    def api_docs_contrast() -> Response:
        return Response(_CONTRAST_CSS, media_type="text/css", headers={"Cache-Control": "no-cache"})

    app.mount(ASSETS_URL, SiteFiles(directory=str(_SWAGGER), versioned=True), name="swagger-ui")
