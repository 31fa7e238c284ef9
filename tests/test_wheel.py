"""A non-editable install works: the wheel carries the files the code reads at run time.

The wheel is built from a copy of the package (so no build/ or egg-info lands in the
checkout), installed into a fresh virtual environment without --editable, and that
environment builds an index from the built site and serves a search and the desk page
over HTTP. Had vocabulary.txt or the desk page been left out of the wheel, the build
or the page would fail here, as they did before pyproject declared them.

To stay quick, the wheel's dependencies are the ones already installed in this test
environment: the fresh environment sees them through a .pth line (no pip resolution,
no 350 MB copy), and `pip check` proves every dependency the wheel declares is met.
Our own package is imported from the fresh environment's copy, never the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx

from search_api.settings import ROOT

from .conftest import Built, free_port

SERVE = """
import sys
from pathlib import Path

import search_api
import uvicorn
from search_api.api.app import create_app
from search_api.engine.index import build_index
from search_api.settings import Settings
from search_api.site.sections import load_pages

assert Path(search_api.__file__).is_relative_to(sys.prefix), f"imported from {search_api.__file__}"
settings = Settings()
build_index(load_pages(settings.site_dir, settings.docs_dir), settings.index_dir)  # reads vocabulary.txt
uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")
"""


def run(*command: str | Path, cwd: Path) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(map(str, command))}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_the_wheel_installed_into_a_fresh_environment_builds_an_index_and_serves_a_search(
    built: Built, tmp_path: Path,
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copytree(ROOT / "search_api", source / "search_api", ignore=shutil.ignore_patterns("__pycache__"))
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--wheel-dir", tmp_path / "dist", "./source", cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("*.whl"))

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel,
        cwd=tmp_path)
    site_packages = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                             cwd=tmp_path).strip())
    assert (site_packages / "search_api" / "engine" / "vocabulary.txt").is_file()
    assert (site_packages / "search_api" / "api" / "desk_page" / "index.html").is_file()
    # A plain path, not a site directory: the checkout's editable-install hook is not run.
    (site_packages / "zz-installed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "check", cwd=tmp_path)

    port = free_port()
    settings = built.settings
    env = {
        "PATH": os.environ["PATH"], "HOME": str(tmp_path), "HOST": "127.0.0.1", "PORT": str(port),
        "SITE_URL": f"http://127.0.0.1:{port}/", "SITE_DIR": str(settings.site_dir),
        "DOCS_DIR": str(settings.docs_dir), "MKDOCS_CONFIG": str(settings.mkdocs_config),
        "LEDGER_FILE": str(settings.ledger_file), "INDEX_DIR": str(tmp_path / "index"),
        "FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"), "NO_MKDOCS_2_WARNING": "1",
    }
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        # -I: no PYTHONPATH, no current directory on sys.path, so the checkout cannot leak in.
        server = subprocess.Popen([str(python), "-I", "-c", SERVE], cwd=tmp_path, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, f"the installed server stopped:\n{log.read_text(errors='replace')[-3000:]}"
            assert time.monotonic() < deadline, f"the installed server did not start:\n{log.read_text()[-3000:]}"
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        found = httpx.get(f"{base}/api/search", params={"q": "how do I join"}, timeout=30)
        assert found.status_code == 200 and found.json()["results"], found.text
        assert found.json()["results"][0]["url"].startswith(f"{base}/")
        desk = httpx.get(f"{base}/desk/", timeout=30)
        assert desk.status_code == 200 and "Agent desk" in desk.text
        assert httpx.get(f"{base}/desk/desk.js", timeout=30).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
