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
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
});
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
</head>
<body>
<div id="swagger-ui" data-openapi-url="{html.escape(openapi_url)}"></div>
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

    app.mount(ASSETS_URL, SiteFiles(directory=str(_SWAGGER), versioned=True), name="swagger-ui")
