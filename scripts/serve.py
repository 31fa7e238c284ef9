"""Serve the site at / and the API under /api/ (HOST, PORT; WORKERS for production).

Every setting comes from the environment (see README, "For operators"). With
WORKERS=1 (the default, `make run`) one process serves; with WORKERS=2 or more,
uvicorn starts that many worker processes and restarts any that die: the production
start, meant to sit behind a reverse proxy (set TRUSTED_PROXIES and SITE_URL).
"""

from __future__ import annotations

import argparse
import sys

import uvicorn

from search_api.api.app import create_app
from search_api.api.serving import APP_FACTORY, server_options
from search_api.settings import Settings


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(
        description=__doc__.splitlines()[0], epilog="Settings are environment variables: HOST, PORT, WORKERS, ...",
    ).parse_args(argv)
    settings = Settings()
    base = f"http://{settings.host}:{settings.port}"
    print(f"Site:     {base}/\nAPI:      {base}/api/search?q=royalties\nAPI docs: {base}/api/docs\n"
          f"MCP:      {settings.public_url}mcp (for AI assistants)\n"
          f"Workers:  {settings.workers}\nPress Ctrl-C to stop.", flush=True)
    if settings.workers == 1:
        uvicorn.run(create_app(settings), **server_options(settings))
    else:
        # Workers are separate processes: each imports the factory and reads the environment.
        uvicorn.run(APP_FACTORY, factory=True, workers=settings.workers, **server_options(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
