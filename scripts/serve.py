"""Serve the site at / and the API under /api/ from one process (HOST, PORT)."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from search_api.app import create_app
from search_api.settings import Settings


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__).parse_args(argv)
    settings = Settings()
    app = create_app(settings)
    base = f"http://{settings.host}:{settings.port}"
    print(f"Site:     {base}/\nAPI:      {base}/api/search?q=royalties\nAPI docs: {base}/api/docs\n"
          "Press Ctrl-C to stop.", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    return 0


if __name__ == "__main__":
    sys.exit(main())
