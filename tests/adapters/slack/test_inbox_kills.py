"""The durable inbox under SIGKILL: ``rapport slack`` is killed again and again under a
stream of signed commands; every command it acknowledged is answered, once.

The one window the design leaves (killed after the answer reached Slack, before
``done`` was recorded) may answer twice; such an input is one that was taken over
(``attempts > 0`` in the inbox), so the test tells the two apart and allows nothing
else."""

from __future__ import annotations

import itertools
import random
import signal
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.inbox import INBOX
from store.tinydb_store import TinyDBStore
from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.adapters.slack.signing import command_body, post
from tests.adapters.slack.test_cli import start, wait_until

KILLS = 8  # enough to cover each phase of the ack path; raise it to hunt
WORKERS = 4
ENV = {"RAPPORT_INBOX_LEASE": "1", "SLACK_HTTP_TIMEOUT": "2", "SLACK_WORKERS": str(WORKERS)}


@pytest.mark.slow
def test_every_acknowledged_command_is_answered_once_across_kills(tmp_path: Path):
    fake = FakeSlack()
    fake.auto_users = True
    rng = random.Random(17)
    acked: list[str] = []
    counter = itertools.count()
    lock = threading.Lock()
    try:
        for _kill in range(KILLS + 1):
            proc, url = start(fake, tmp_path, "slack", env=ENV)
            stop = threading.Event()

            def stream(url: str = url, stop: threading.Event = stop) -> None:
                while not stop.is_set():
                    n = next(counter)
                    key = f"k{n}"
                    text = (
                        "settings" if n % 2 else f"settings tz {rng.choice(['Asia/Tokyo', 'UTC'])}"
                    )
                    body = command_body(
                        "/rapport",
                        text,
                        user=f"U{n % 7:04d}",
                        team=TEAM,
                        response_url=fake.response_url(key),
                        trigger_id=f"trig-{n}",
                    )
                    try:
                        answer = post(url, body, timeout=3)
                    except OSError:
                        continue
                    if answer.status == 200 and not answer.body:
                        with lock:
                            acked.append(key)

            with ThreadPoolExecutor(4) as pool:
                for _ in range(4):
                    pool.submit(stream)
                if _kill < KILLS:
                    threading.Event().wait(rng.uniform(0.3, 1.2))
                    proc.send_signal(signal.SIGKILL)
                    proc.wait(10)
                    stop.set()
                else:  # the last run: no kill; everything left must be answered
                    threading.Event().wait(0.5)
                    stop.set()
            if _kill == KILLS:
                answered = lambda: all(fake.responses(k) for k in acked)  # noqa: E731
                assert wait_until(answered, timeout=30), "acknowledged commands unanswered"
                proc.send_signal(signal.SIGTERM)
                proc.communicate(timeout=20)
            else:
                proc.communicate(timeout=10)

        counts = Counter(c.path.rsplit("/", 1)[-1] for c in fake.of("response_url"))
        store = TinyDBStore(tmp_path / "data")
        try:
            entries = {
                e["payload"]["response_url"].rsplit("/", 1)[-1]: e for e in store.find(INBOX)
            }
        finally:
            store.close()
        assert len(acked) > 100, "too few commands to mean anything"
        assert all(counts[k] >= 1 for k in acked)
        twice = [k for k in acked if counts[k] > 1]
        assert all(counts[k] == 2 and entries[k]["attempts"] > 0 for k in twice), twice
        # At most the answers in flight at a kill: one per worker thread (SLACK_WORKERS).
        assert len(twice) <= KILLS * WORKERS
        taken_over = sum(1 for e in entries.values() if e["attempts"] > 0)
        print(
            f"{len(acked)} acked over {KILLS} kills; {taken_over} taken over after a kill; "
            f"{len(twice)} answered twice (killed between the answer and its record)"
        )
    finally:
        fake.close()
