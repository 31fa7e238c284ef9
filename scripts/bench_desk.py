"""Time from keypress to answer cards on the agent desk, in Debian's Chromium. Prints numbers.

Usage: python -m scripts.bench_desk [--url http://127.0.0.1:8000/] [--runs 20] [--cpu-slowdown 4]

Start the server first (`make run`, or `python -m scripts.serve`). The desk records each
"desk:key-to-cards" User Timing measure: from the key event to the frame that shows the
cards. Two ways in are measured:
  enter  the message is pasted and Enter pressed: the search starts at once;
  typed  the words are typed at 60 ms a key: the search starts after the desk's pause.
`--cpu-slowdown 4` runs the page's scripts four times slower, like a cheap laptop or phone.
Never asserts: shared machines are noisy, so read the medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from urllib.parse import urljoin

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]
TYPING_DELAY_MS = 60
QUERIES = [
    "when do i get paid for radio",
    "who collects mechanicals",
    "split sheet",
    "my royalties are late",
    "how do I join",
    "what does needletime mean",
    "can I use a sample",
    "Hi, I changed banks in August and nothing has come through since. Why haven't I been paid for the last "
    "quarter? Also, how do I register a new song I wrote with my cousin? Thanks, Thandi",
]
MEASURE = "desk:key-to-cards"


def measures(page: Page) -> int:
    return page.evaluate("name => performance.getEntriesByName(name).length", MEASURE)


def last_timings(page: Page) -> tuple[float, float]:
    """(keypress to cards, the /api/answer request's own time) of the newest search, in ms."""
    return page.evaluate(
        """name => {
          const shown = performance.getEntriesByName(name).at(-1).duration;
          const calls = performance.getEntriesByType("resource").filter(e => e.name.includes("/api/answer"));
          return [shown, calls.length ? calls.at(-1).duration : NaN];
        }""",
        MEASURE,
    )


def one_search(page: Page, query: str, mode: str) -> tuple[float, float]:
    page.keyboard.press("Escape")
    before = measures(page)
    if mode == "enter":
        page.keyboard.insert_text(query)
        page.keyboard.press("Enter")
    else:
        page.keyboard.type(query, delay=TYPING_DELAY_MS)
    page.wait_for_function("([name, n]) => performance.getEntriesByName(name).length > n", arg=[MEASURE, before])
    return last_timings(page)


def summary(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    return f"{label:<34} median {statistics.median(ordered):7.1f} ms   p90 {p90:7.1f} ms   n={len(ordered)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000/", help="the running server (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="rounds over the %d queries (default: %%(default)s)" % len(QUERIES))
    parser.add_argument("--cpu-slowdown", type=float, default=1.0,
                        help="run the page's scripts this many times slower (4: a cheap laptop)")
    args = parser.parse_args(argv)
    desk = urljoin(args.url if args.url.endswith("/") else args.url + "/", "desk/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        if args.cpu_slowdown > 1:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.cpu_slowdown})
        try:
            page.goto(desk)
        except Exception as error:  # Playwright's own error names the address and the cause
            print(f"Cannot open {desk}: {error}\nStart the server first: make run", file=sys.stderr)
            return 1
        one_search(page, QUERIES[0], "enter")  # warm up: first request, first layout
        print(f"{desk}  cpu slowdown x{args.cpu_slowdown:g}  {args.runs} rounds of {len(QUERIES)} queries")
        for mode in ("enter", "typed"):
            shown, api = [], []
            for _ in range(args.runs):
                for query in QUERIES:
                    to_cards, call = one_search(page, query, mode)
                    shown.append(to_cards)
                    api.append(call)
            print(summary(f"{mode}: keypress -> cards", shown))
            print(summary(f"{mode}: of which /api/answer", api))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
