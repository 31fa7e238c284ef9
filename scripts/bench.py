"""Benchmark the search service as it runs in production; prints numbers, never asserts.

Usage: python -m scripts.bench [--seconds 10] [--clients 1,8,32,64] [--sizes 1,10,100]

1. Builds the site and the index from DOCS_DIR / MKDOCS_CONFIG into a temporary
   folder (the 1x build time), then starts `python -m scripts.serve` with WORKERS
   (default: one per core) and the rate limit off, on a free localhost port.
2. For each number of concurrent clients, a closed loop of keep-alive connections
   sends requests for SECONDS each: short queries, essay-length messages, and
   /api/health (the ceiling: the framework with no search work). Hundreds of
   distinct queries, so no cache can answer them all. Prints requests a second and
   p50 / p95 / p99 latency, and each search figure as a share of the ceiling.
3. Builds synthetic corpora 10 and 100 times larger (copies of the real articles
   under copy-NNN/) and prints the full build time and the search p50 at each size.
4. Prints the bytes a phone downloads for one API answer and for the site's whole
   search/search_index.json, both gzipped.

The load generator shares the machine with the server, so on 2 cores the numbers
are a floor, not what a server with a separate client would do.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

import httpx
from whoosh import index as whoosh_index
from whoosh.analysis import STOP_WORDS

from scripts.build_index import build_site
from search_api.engine.index import build_index, current_target
from search_api.engine.search import find
from search_api.site.sections import Page, load_pages
from search_api.settings import ROOT, Settings

TARGETS = """Targets (issue 10, on a 2-core machine):
  1 client:   short p50 <= 5 ms, short p99 <= 30 ms, essay p50 <= 100 ms
  32 clients: search p99 <= 150 ms, search throughput >= 1/3 of the ceiling
  build time grows no faster than the corpus"""
GREETINGS = ["Hi", "Hello", "Good morning", "Dear team", "Hey", "Sawubona", "Good afternoon"]
FILLER = [
    "I hope you are well and thank you for your time.",
    "I have been trying to sort this out for weeks now and nobody could help me.",
    "My friend said I should write to you because you would know what to do.",
    "I am an independent artist and I release my music myself.",
    "Sorry for the long message, I just want to understand how this works.",
    "It is really important for me because this is how I pay my rent.",
]
SIGN_OFFS = ["Thanks, Thandi", "Kind regards, Sipho Dlamini", "Thank you so much, Lerato", "Regards, Bongani"]


# --- queries --------------------------------------------------------------------------

def short_queries(pages: list[Page], rng: random.Random, count: int = 400) -> list[str]:
    """Distinct 2-4 word keyword queries, the way agents type them, from headings and tags."""
    sources = [s.question for p in pages for s in p.sections] + [p.title for p in pages]
    sources += [" ".join(p.tags) for p in pages if p.tags]
    found: dict[str, None] = {}
    for _ in range(count * 20):
        words = [w.strip("?,.:;!()'\"").lower() for w in rng.choice(sources).split()]
        words = [w for w in words if len(w) > 2 and w not in STOP_WORDS]
        if len(words) >= 2:
            found.setdefault(" ".join(rng.sample(words, min(len(words), rng.randint(2, 4)))), None)
        if len(found) >= count:
            break
    return list(found)


def essay_queries(pages: list[Page], rng: random.Random, count: int = 300) -> list[str]:
    """Distinct pasted messages of about 150-250 words, each asking two or three questions."""
    sections = [s for p in pages for s in p.sections if s.body]
    essays = []
    for _ in range(count):
        asked = rng.sample(sections, rng.randint(2, 3))
        context = " ".join(rng.choice(sections).body.split()[:rng.randint(90, 160)])
        parts = [f"{rng.choice(GREETINGS)},", *rng.sample(FILLER, 2), context]
        parts += [f"Also, {s.question[0].lower()}{s.question[1:]}" for s in asked]
        parts += [rng.choice(FILLER), rng.choice(SIGN_OFFS)]
        essays.append(" ".join(parts))
    return essays


# --- the load generator: raw HTTP/1.1 keep-alive, so the client costs little CPU ----------

@dataclass
class Cell:
    kind: str
    clients: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _client(host: str, port: int, paths: list[str], offset: int, deadline: float,
                  latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    i = offset
    try:
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += 1
            request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: gzip\r\n\r\n"
            started = time.perf_counter()
            writer.write(request.encode())
            status = await _read_response(reader)
            if status == 200:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                errors[0] += 1
    finally:
        writer.close()


async def _run_cell(host: str, port: int, paths: list[str], clients: int, seconds: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + seconds
    spread = max(1, len(paths) // clients)
    await asyncio.gather(*(_client(host, port, paths, c * spread, deadline, latencies, errors) for c in range(clients)))
    return latencies, errors[0]


def measure(base: tuple[str, int], kind: str, paths: list[str], clients: int, seconds: float) -> Cell:
    asyncio.run(_run_cell(*base, paths, clients, min(1.0, seconds)))  # warm-up, not counted
    started = time.perf_counter()
    latencies, errors = asyncio.run(_run_cell(*base, paths, clients, seconds))
    return Cell(kind, clients, time.perf_counter() - started, latencies, errors)


# --- the server -----------------------------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(settings: Settings, workers: int, work: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {
        **os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WORKERS": str(workers),
        "SITE_URL": f"http://127.0.0.1:{port}/", "SITE_DIR": str(settings.site_dir),
        "INDEX_DIR": str(settings.index_dir), "DOCS_DIR": str(settings.docs_dir),
        "MKDOCS_CONFIG": str(settings.mkdocs_config), "FEEDBACK_DB": str(work / "feedback.sqlite3"),
        "RATE_LIMIT_PER_MINUTE": "0",  # the one place the limit is off: our own load test
    }
    log = (work / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "scripts.serve"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health").status_code == 200:
                return process, port
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server did not start; see {work / 'server.log'}")


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


# --- builds at 1x, 10x, 100x ------------------------------------------------------------

def synthetic_config(settings: Settings, docs: Path, target: Path) -> Path:
    """A copy of mkdocs.yml that reads `docs`, with its other relative paths made absolute."""
    config_dir = settings.mkdocs_config.resolve().parent
    lines = []
    for line in settings.mkdocs_config.read_text(encoding="utf-8").splitlines():
        if line.startswith("docs_dir:"):
            line = f"docs_dir: {docs}"
        elif line.strip().startswith(("custom_dir:", "module_name:")):
            name = line.split(":", 1)[1].strip()
            line = line.split(":", 1)[0] + f": {Path(name) if Path(name).is_absolute() else config_dir / name}"
        lines.append(line)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def synthetic_docs(real_docs: Path, factor: int, target: Path) -> Path:
    """The real articles, plus factor-1 copies of every article folder under copy-NNN/."""
    shutil.copytree(real_docs, target)
    content = [p for p in real_docs.iterdir() if p.suffix == ".md" or (p.is_dir() and any(p.rglob("*.md")))]
    for copy in range(2, factor + 1):
        folder = target / f"copy-{copy:03d}"
        folder.mkdir()
        for item in content:
            if item.is_dir():
                shutil.copytree(item, folder / item.name)
            else:
                shutil.copy2(item, folder / item.name)
    return target


@dataclass
class Build:
    factor: int
    articles: int
    questions: int
    site_s: float
    index_s: float
    short_p50_ms: float
    essay_p50_ms: float


def timed_build(settings: Settings, rng: random.Random) -> Build:
    started = time.perf_counter()
    build_site(settings, settings.site_dir)
    site_s = time.perf_counter() - started
    started = time.perf_counter()
    pages = load_pages(settings.site_dir, settings.docs_dir)
    build_index(pages, settings.index_dir)
    index_s = time.perf_counter() - started
    ix = whoosh_index.open_dir(str(current_target(settings.index_dir)))
    short = [p50_ms(ix, q) for q in short_queries(pages, rng, 200)]
    essays = [p50_ms(ix, q) for q in essay_queries(pages, rng, 60)]
    return Build(0, len(pages), sum(len(p.sections) for p in pages), site_s, index_s,
                 statistics.median(short), statistics.median(essays))


def p50_ms(ix: whoosh_index.Index, text: str) -> float:
    started = time.perf_counter()
    find(ix, text)
    return (time.perf_counter() - started) * 1000


def build_at(base: Settings, factor: int, work: Path, rng: random.Random) -> Build:
    folder = work / f"x{factor}"
    folder.mkdir()
    docs = synthetic_docs(base.docs_dir, factor, folder / "docs") if factor > 1 else base.docs_dir
    config = synthetic_config(base, docs, folder / "mkdocs.yml") if factor > 1 else base.mkdocs_config
    settings = base.model_copy(update={"docs_dir": docs, "mkdocs_config": config,
                                       "site_dir": folder / "site", "index_dir": folder / "index"})
    build = timed_build(settings, rng)
    build.factor = factor
    return build


# --- bytes to a phone ---------------------------------------------------------------------

def phone_bytes(base_url: str, queries: list[str]) -> tuple[float, int, int]:
    """(median gzipped bytes of one API answer, gzipped bytes of search_index.json, its raw bytes)."""
    sizes = []
    with httpx.Client(base_url=base_url, headers={"Accept-Encoding": "gzip"}) as http:
        for q in queries[:50]:
            with http.stream("GET", "/api/search", params={"q": q}) as response:
                sizes.append(sum(len(chunk) for chunk in response.iter_raw()))
        with http.stream("GET", "/search/search_index.json") as response:
            compressed = b"".join(response.iter_raw())
    return statistics.median(sizes), len(compressed), len(gzip.decompress(compressed))


# --- printing ------------------------------------------------------------------------------

def print_load(rounds: list[list[Cell]]) -> None:
    """One line per endpoint and client count: with several rounds, the median of each
    figure, and the share of the ceiling is the median of each round's own share."""
    print(f"{'endpoint':<10}{'clients':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
          f"{'of ceiling':>12}")
    ceilings = [{c.clients: c.rps for c in cells if c.kind == "health"} for cells in rounds]
    for cell in sorted(rounds[0], key=lambda c: (c.clients, ["health", "short", "essay"].index(c.kind))):
        same = [next(c for c in cells if (c.kind, c.clients) == (cell.kind, cell.clients)) for cells in rounds]
        shares = [c.rps / ceiling[c.clients] for c, ceiling in zip(same, ceilings)]
        share = "" if cell.kind == "health" else f"{statistics.median(shares):.2f}"
        med = statistics.median
        print(f"{cell.kind:<10}{cell.clients:>8}{med(c.rps for c in same):>9.0f}"
              f"{med(c.percentile(0.5) for c in same):>9.1f}{med(c.percentile(0.95) for c in same):>9.1f}"
              f"{med(c.percentile(0.99) for c in same):>9.1f}{sum(c.errors for c in same):>8}{share:>12}")
    if len(rounds) > 1:
        for kind in ("short", "essay"):
            for clients in sorted(ceilings[0]):
                shares = [next(c.rps for c in cells if (c.kind, c.clients) == (kind, clients)) / ceiling[clients]
                          for cells, ceiling in zip(rounds, ceilings)]
                print(f"  {kind} at {clients} clients, share of the ceiling by round: "
                      + " ".join(f"{s:.2f}" for s in shares))


def print_builds(builds: list[Build]) -> None:
    print(f"{'corpus':<8}{'articles':>9}{'questions':>10}{'site s':>9}{'index s':>9}{'total s':>9}"
          f"{'ms/article':>11}{'short p50':>10}{'essay p50':>10}")
    for b in builds:
        total = b.site_s + b.index_s
        print(f"{str(b.factor) + 'x':<8}{b.articles:>9}{b.questions:>10}{b.site_s:>9.1f}{b.index_s:>9.1f}"
              f"{total:>9.1f}{total * 1000 / b.articles:>11.1f}{b.short_p50_ms:>8.1f}ms{b.essay_p50_ms:>8.1f}ms")
    first = builds[0]
    for b in builds[1:]:
        growth = (b.site_s + b.index_s) / (first.site_s + first.index_s)
        print(f"  {b.factor}x corpus: build time x{growth:.1f} for x{b.articles / first.articles:.0f} the articles")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="DOCS_DIR and MKDOCS_CONFIG choose the content (as for the server).")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per measurement (default 10)")
    parser.add_argument("--clients", default="1,8,32,64", help="concurrent clients to try (default 1,8,32,64)")
    parser.add_argument("--sizes", default="1,10,100", help="corpus sizes for build times (default 1,10,100)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="server workers (default: cores)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every cell this many times, interleaved, and print medians (default 1); "
                             "on a shared machine each round's share of its own ceiling is steadier")
    args = parser.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",")]
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(10)
    base = Settings()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        print(f"Building the real content from {base.docs_dir} ...", flush=True)
        builds = [build_at(base, 1, work, rng)]
        served = base.model_copy(update={"site_dir": work / "x1" / "site", "index_dir": work / "x1" / "index"})
        pages = load_pages(served.site_dir, served.docs_dir)
        short, essays = short_queries(pages, rng), essay_queries(pages, rng)
        words = statistics.median(len(e.split()) for e in essays)
        process, port = start_server(served, args.workers, work)
        try:
            paths = {
                "health": ["/api/health"],
                "short": [f"/api/search?q={quote_plus(q)}" for q in short],
                "essay": [f"/api/search?q={quote_plus(q)}" for q in essays],
            }
            print(f"\nLoad average before: {os.getloadavg()[0]:.1f} (other work on the machine skews everything)")
            print(f"Load: {args.workers} workers on {os.cpu_count()} cores, {args.seconds:.0f} s per cell, "
                  f"{len(short)} distinct short queries, {len(essays)} distinct essays "
                  f"(median {words:.0f} words); {builds[0].articles} articles, {builds[0].questions} questions",
                  flush=True)
            rounds = [[measure(("127.0.0.1", port), kind, kind_paths, n, args.seconds)
                       for n in clients for kind, kind_paths in paths.items()] for _ in range(max(1, args.rounds))]
            print_load(rounds)
            print(f"Load average after: {os.getloadavg()[0]:.1f}")
            answer, index_gz, index_raw = phone_bytes(f"http://127.0.0.1:{port}", short)
        finally:
            stop_server(process)
        print(f"\nBytes a phone downloads (gzip): one API answer {answer:,.0f} B (median of 50, 5 results); "
              f"search/search_index.json {index_gz:,} B ({index_raw:,} B unzipped): {index_gz / answer:.0f}x more")
        for factor in sizes:
            if factor > 1:
                print(f"\nBuilding a {factor}x corpus ...", flush=True)
                builds.append(build_at(base, factor, work, rng))
        print("\nFull build (strict site build + index) and in-process search p50 by corpus size:")
        print_builds(builds)
    print("\n" + TARGETS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
