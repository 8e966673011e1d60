"""The durable inbox under SIGKILL: ``rapport slack`` is killed again and again under a
stream of signed commands; every command it acknowledged is answered, and shown once.

A process killed after its answer reached Slack but before it recorded ``done`` sends
the answer again when the input is taken over (``attempts > 0`` in the inbox); both
sends replace the command's "one moment…" in place, so the member sees one answer.
The fake keeps Slack's ``replace_original`` semantics (``FakeSlack.shown``)."""

from __future__ import annotations

import itertools
import os
import random
import signal
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.inbox import INBOX
from store.tinydb_store import TinyDBStore
from tests.adapters.slack.fake_slack import TEAM, Call, FakeSlack, seen
from tests.adapters.slack.signing import command_body, post
from tests.adapters.slack.test_cli import start, wait_until

# Enough to cover each phase of the ack path in make test; RAPPORT_KILLS=200 to hunt
# (about 7 minutes: ``RAPPORT_KILLS=200 pytest -s tests/adapters/slack/test_inbox_kills.py``)
KILLS = int(os.environ.get("RAPPORT_KILLS", "5"))
WORKERS = 4
WAITING = "One moment…"  # the ack of a command taken; the answer replaces it
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
                    if answer.status == 200 and answer.json().get("text") == WAITING:
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

                def answered() -> bool:
                    keys = {c.path.rsplit("/", 1)[-1] for c in fake.of("response_url")}
                    return all(k in keys for k in acked)

                assert wait_until(answered, timeout=30), "acknowledged commands unanswered"
                proc.send_signal(signal.SIGTERM)
                proc.communicate(timeout=20)
            else:
                proc.communicate(timeout=10)

        answers: dict[str, list[Call]] = defaultdict(list)
        for call in fake.of("response_url"):
            answers[call.path.rsplit("/", 1)[-1]].append(call)
        counts = {k: len(v) for k, v in answers.items()}
        store = TinyDBStore(tmp_path / "data")
        try:
            entries = {
                e["payload"]["response_url"].rsplit("/", 1)[-1]: e for e in store.find(INBOX)
            }
        finally:
            store.close()
        assert len(acked) > 100, "too few commands to mean anything"
        assert all(answers[k] for k in acked), "an acknowledged command went unanswered"
        shown = {k: seen(answers[k], acked=WAITING) for k in acked}
        wrong = {k: v for k, v in shown.items() if len(v) != 1 or v[0] == WAITING}
        assert not wrong, [(k, [c.params for c in answers[k]]) for k in wrong]
        assert all(any(w in v[0] for w in ("settings", "time zone")) for v in shown.values())
        twice = [k for k in acked if counts[k] > 1]
        # Each answer after the first comes from a takeover (a command may be taken over
        # more than once when the process that took it over is killed too).
        assert all(counts[k] <= 1 + entries[k]["attempts"] for k in twice), [
            (k, counts[k], entries[k]["attempts"]) for k in twice
        ]
        taken_over = sum(1 for e in entries.values() if e["attempts"] > 0)
        print(
            f"{len(acked)} acked over {KILLS} kills; {taken_over} taken over after a kill; "
            f"{len(twice)} sent twice (killed between the answer and its record), "
            "each shown once; 0 lost"
        )
    finally:
        fake.close()
