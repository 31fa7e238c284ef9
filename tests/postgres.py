"""A throwaway PostgreSQL server for the tests: initdb and pg_ctl in a temporary folder.

Debian's `postgresql` package (installed by `make test` when missing) provides the
programs. The cluster listens on 127.0.0.1 at a free port, trusts local connections
(nothing else can reach it), keeps its data in a temporary folder and is stopped and
deleted when the test session ends. Never a mock: the tests talk to a real server.

initdb refuses to run as root, and CI runs the suite as root; then the server runs as
the `postgres` user Debian's package creates (through runuser), and its folder
belongs to that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SERVER_USER = "postgres"  # created by Debian's postgresql-common
START_TIMEOUT_S = 30


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: Debian keeps them off PATH, per major version."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return versions[-1].parent if versions else None


class Cluster:
    """One PostgreSQL server of our own: start(), stop(), start() again, and databases in it."""

    def __init__(self, bindir: Path, port: int) -> None:
        self.bindir = bindir
        self.port = port
        self.as_root = os.geteuid() == 0
        self.user = SERVER_USER if self.as_root else pwd.getpwuid(os.geteuid()).pw_name
        # Not under pytest's tmp_path: that is root's alone (0700) and the server user must enter.
        self.folder = Path(tempfile.mkdtemp(prefix="pg-test-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        if self.as_root:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "--pgdata", str(self.data), "--username", "postgres", "--auth", "trust",
                  "--encoding", "UTF8", "--locale", "C", "--no-sync")

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, cwd=self.folder, capture_output=True, text=True, check=check,
                              timeout=120)

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
                   # A test server: no durability to wait for, few connections, quiet.
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=100 -c shared_buffers=32MB")
        result = self._run("pg_ctl", "start", "--pgdata", str(self.data), "--log", str(self.log),
                           "--wait", "--timeout", str(START_TIMEOUT_S), "-o", options, check=False)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {result.stderr}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "stop", "--pgdata", str(self.data), "--mode", mode, "--wait", check=False)

    def is_running(self) -> bool:
        return self._run("pg_ctl", "status", "--pgdata", str(self.data), check=False).returncode == 0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its URL. Each test that writes gets its own."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name)

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [str(self.bindir / "psql"), "--no-psqlrc", "--quiet", "--tuples-only", "--no-align",
             "--set", "ON_ERROR_STOP=1", "--host", "127.0.0.1", "--port", str(self.port),
             "--username", "postgres", "--dbname", database, "--command", sql],
            capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr}")
        return result.stdout.strip()

    def remove(self) -> None:
        if self.is_running():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def throwaway_cluster(port: int) -> Iterator[Cluster]:
    bindir = find_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        message = "PostgreSQL is not installed: `make test` installs Debian's postgresql package"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must never pass by skipping the PostgreSQL half
        pytest.skip(message)
    cluster = Cluster(bindir, port)
    try:
        started = time.monotonic()
        cluster.start()
        print(f"\nPostgreSQL test server on port {port} in {time.monotonic() - started:.1f} s")
        yield cluster
    finally:
        cluster.remove()
