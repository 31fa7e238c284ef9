"""Time from Chatwoot's webhook to the private note posted back, over N events. Prints numbers.

Usage: python -m scripts.bench_chatwoot [--events 100] [--burst]

Runs the real app (uvicorn, the built site and index from `make index`, a temporary
feedback file) and a small HTTP server that plays Chatwoot's API
(tests/chatwoot_fake.py), both on 127.0.0.1. Each event is the documented
message_created payload (tests/data/chatwoot/) with a creator's message from the list
below, made unique so no cached result is reused. Measured per event: from just before
the webhook POST is sent to the moment the fake Chatwoot has the note, and the webhook's
own answer time. One at a time by default; --burst sends them all at once (the queue's
worst case). The clock is a Thursday morning, so no out-of-hours reply is posted.
Never asserts: shared machines are noisy, so read the medians.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import uvicorn

from search_api.api.app import create_app
from search_api.settings import ROOT, Settings
from tests.chatwoot_fake import FakeChatwoot
from tests.conftest import free_port

SECRET = "bench-secret"
TOKEN = "bench-token"
MESSAGES = [
    "Hi there, I released my first single last month and it is playing on local radio. When do I get paid for radio "
    "plays? Also, how do I register a song with you?",
    "Hello, I changed banks. How do I update my bank details?",
    "what is needletime and do I get it for my songs on the radio?",
    "Good morning. My father was a composer and he passed away in March. Can I receive his royalties?",
    "Can AI generated music be copyrighted?",
    "Hi, is a producer paid for samples used in another song?",
    "How do I join the society and what does it cost?",
    "My royalties are late this quarter, why haven't I been paid?",
    "Who collects my mechanical royalties in other countries?",
    "Do I need a split sheet when I write with other people?",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--burst", action="store_true", help="send every event at once")
    args = parser.parse_args(argv)

    if not (ROOT / "var" / "index" / "current").exists():
        print("No index: run `make index` first.", file=sys.stderr)
        return 1
    fake = FakeChatwoot(TOKEN, free_port()).start()
    work = Path(tempfile.mkdtemp(prefix="bench-chatwoot-"))
    port = free_port()
    settings = Settings(port=port, site_url=f"http://127.0.0.1:{port}/", feedback_db=work / "feedback.sqlite3",
                        rate_limit_per_minute=0, chatwoot_url=fake.url, chatwoot_api_token=TOKEN,
                        chatwoot_webhook_secret=SECRET, log_level="warning")
    app = create_app(settings)
    app.state.clock = lambda: datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)

    base = json.loads((ROOT / "tests" / "data" / "chatwoot" / "message_created_whatsapp.json").read_text("utf-8"))
    events = []
    for n in range(args.events):
        body = copy.deepcopy(base)
        body["id"] = 500000 + n
        body["conversation"]["id"] = 9000 + n
        body["content"] = f"{MESSAGES[n % len(MESSAGES)]} Thank you, from member {1000 + n}."
        events.append(body)

    answers: list[float] = []
    started: dict[int, float] = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            http.post("/api/integrations/chatwoot", params={"token": SECRET}, json={**events[0], "id": 1,
                                                                                  "conversation": {**events[0]["conversation"], "id": 1}})
            fake.wait_for(1)
            fake.clear()

            def send(body: dict) -> None:
                started[body["conversation"]["id"]] = time.perf_counter()
                response = http.post("/api/integrations/chatwoot", params={"token": SECRET}, json=body)
                answers.append((time.perf_counter() - started[body["conversation"]["id"]]) * 1000)
                assert response.status_code == 202, response.text

            for count, body in enumerate(events, 1):
                send(body)
                if not args.burst:
                    fake.wait_for(count)
            posts = fake.wait_for(len(events), timeout=300)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        fake.stop()

    notes = [(p.at - started[p.conversation_id]) * 1000 for p in posts if p.private and p.conversation_id in started]
    mode = "all at once" if args.burst else "one at a time"
    print(f"{len(notes)} of {len(events)} notes posted, {mode}")
    print(f"webhook -> note posted:  median {statistics.median(notes):7.1f} ms   p90 {percentile(notes, 0.9):7.1f} ms"
          f"   max {max(notes):7.1f} ms")
    print(f"webhook answered (202):  median {statistics.median(answers):7.1f} ms   p90 {percentile(answers, 0.9):7.1f} ms"
          f"   max {max(answers):7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
