"""``rapport discord`` killed between deferring an interaction and answering it: the next
process answers it, once, through the same interaction (the answer replaces the
"thinking…" message, so an answer given again after a kill still shows once).

``DISCORD_DEFER_AFTER=0`` defers every interaction at once, so each one goes through
the durable inbox; the fake API holds a chosen request open while the test kills the
process with SIGKILL."""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest

from bot.inbox import INBOX
from store.tinydb_store import TinyDBStore
from tests.adapters.discord import payloads as p
from tests.adapters.discord.fake_api import FakeDiscord, Request
from tests.adapters.discord.fake_gateway import FakeGateway
from tests.adapters.discord.process import RapportProcess

pytestmark = pytest.mark.slow

ANA = p.user("800000000000000001", "ana")
BO = p.user("800000000000000002", "bo")
ENV = {"DISCORD_DEFER_AFTER": "0", "RAPPORT_INBOX_LEASE": "1"}


def ask_intro(n: int) -> dict[str, Any]:
    """Someone new asks Bo for an intro to someone new (a DM to Bo when it runs)."""
    asker = ANA if n == 0 else p.user(f"8000000000000002{n:02d}", f"ana{n}")
    target = p.user(f"8000000000000001{n:02d}", f"cy{n}")
    return p.slash("intro", ["ask"], asker, connector=BO, target=target, why=f"careers {n}")


def for_token(fake: FakeDiscord, payload: dict[str, Any], kind: str) -> list[Request]:
    token = payload["token"]
    return [r for r in fake.of(kind) if token in r.path.split("/")]


class Hold:
    """Hold the first request of ``kind`` for ``payload`` open until released."""

    def __init__(self, fake: FakeDiscord, payload: dict[str, Any], kind: str) -> None:
        self.token, self.kind = payload["token"], kind
        self.reached, self.release = threading.Event(), threading.Event()
        fake.on_request = self

    def __call__(self, req: Request) -> None:
        if (
            req.kind == self.kind
            and self.token in req.path.split("/")
            and not self.reached.is_set()
        ):
            self.reached.set()
            self.release.wait(15)


def start(tmp_path: Path, fake: FakeDiscord, gateway: FakeGateway, n: int) -> RapportProcess:
    proc = RapportProcess(
        tmp_path / f"rapport-{n}.log", fake, RAPPORT_DATA_DIR=str(tmp_path / "data"), **ENV
    )
    gateway.wait(lambda: len(gateway.live()) == 1, 30, "the process's gateway session")
    return proc


@pytest.mark.parametrize("held", ["callback", "edit_original"])
def test_killed_while_deferring_or_answering_the_next_process_answers_once(
    tmp_path: Path, fake: FakeDiscord, gateway: FakeGateway, held: str
) -> None:
    ask = ask_intro(0)
    first = start(tmp_path, fake, gateway, 1)
    hold = Hold(fake, ask, held)
    gateway.interaction(ask)
    assert hold.reached.wait(15), first.output()
    first.kill()
    hold.release.set()
    gateway.wait(lambda: not gateway.live(), 15, "the killed process's session to close")

    with start(tmp_path, fake, gateway, 2) as second:
        # Killed while its answer was held, the first process's edit still reaches
        # Discord when let go; the next process answers again, editing the same message.
        wanted = 2 if held == "edit_original" else 1

        def answered() -> list[Any] | None:
            ok = [e for e in for_token(fake, ask, "edit_original") if e.status < 300]
            return ok if len(ok) >= wanted else None

        edits = gateway.wait(answered, 20, "the answer from the next process")
        gateway.wait(lambda: fake.dms_to(BO["id"]), 15, "the DM the command sends")
        assert len({e.body["content"] for e in edits}) == 1  # one message, however often
        assert "Sent" in edits[0].body["content"]
        assert for_token(fake, ask, "followup") == []
        assert len(fake.dms_to(BO["id"])) == 1
        assert second.stop() == 0, second.output()
    store = TinyDBStore(tmp_path / "data")
    try:
        (entry,) = store.find(INBOX)
        assert entry["state"] == "done" and entry["attempts"] == 1
    finally:
        store.close()


def test_every_deferred_interaction_is_answered_across_kills(
    tmp_path: Path, fake: FakeDiscord, gateway: FakeGateway
) -> None:
    rng = random.Random(5)
    sent: list[dict[str, Any]] = []
    for n in range(6):
        proc = start(tmp_path, fake, gateway, n)
        for _ in range(rng.randint(3, 8)):
            ask = ask_intro(len(sent))
            sent.append(ask)
            gateway.interaction(ask)
            threading.Event().wait(rng.uniform(0.0, 0.05))
        if n < 5:
            proc.kill()
            gateway.wait(lambda: not gateway.live(), 15, "the killed process's session")
        else:
            deferred = [a for a in sent if for_token(fake, a, "callback")]
            gateway.wait(
                lambda d=deferred: all(for_token(fake, a, "edit_original") for a in d),
                30,
                "an answer to every deferred interaction",
            )
            assert proc.stop() == 0, proc.output()
    deferred = [a for a in sent if for_token(fake, a, "callback")]
    assert len(deferred) >= len(sent) // 2, (len(deferred), len(sent))
    for ask in deferred:
        answers = {e.body["content"] for e in for_token(fake, ask, "edit_original")}
        assert len(answers) == 1 and "Sent" in answers.pop()
        assert for_token(fake, ask, "followup") == []
    # Each command acted once: one DM per command that reached the core.
    texts = [m["content"] for m in fake.dms_to(BO["id"])]
    assert len(texts) == len(set(texts))
    store = TinyDBStore(tmp_path / "data")
    try:
        assert {e["state"] for e in store.find(INBOX)} == {"done"}
    finally:
        store.close()
