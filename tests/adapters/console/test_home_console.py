"""The console shows the home view with numbered buttons, stats, and the privacy file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from store.tinydb_store import TinyDBStore
from tests.harness import console

SCRIPT = [
    ":as alice",
    "/intro @bob @carol I'd love to hear how they moved into data",
    "/coffee @carol tomorrow 3pm",
    ":as bob",
    "/rapport home",
    ":press 1 · Make the intro",
    ":as carol",
    "/rapport home",
    ":press 2 · Accept",
    "/rapport stats",
    "/rapport privacy export",
    "/rapport privacy delete",
    ":press Yes, erase everything",
    "/rapport privacy export",
    ":as alice",
    "/rapport home",
]


def test_home_stats_and_privacy_in_the_console(tmp_path: Path) -> None:
    out = console(SCRIPT, tmp_path)
    bob_home = out.split("bob> /rapport home")[1].split("bob> :press")[0]
    assert "(your home — only @bob can see this)" in bob_home
    assert "1. @alice asks you to introduce them to @carol" in bob_home
    assert "1 · Make the intro" in bob_home and "1 · Not now" in bob_home
    assert "I've asked @carol whether they're happy to connect" in out

    carol_home = out.split("carol> /rapport home")[1].split("carol> :press")[0]
    assert "1. @bob would like to introduce you to @alice" in carol_home
    assert "2. @alice invited you for coffee on Wed 2 Dec, 15:00 (UTC)" in carol_home
    assert "You accepted a coffee chat with @alice" in out
    assert "Intros you asked for: 0 · made: 0" in out

    saved = re.findall(r"\(saved to (.+rapport-export\.json)\)", out)
    assert len(saved) == 2 and Path(saved[0]).parent == tmp_path / "files" / "carol"
    after = json.loads(Path(saved[1]).read_text(encoding="utf-8"))
    assert after["records"] == 0 and after["tables"] == {}
    assert "everything rapport kept about you here is erased" in out
    alice_home = out.split("alice> /rapport home")[1]
    assert "withdrawn" not in alice_home  # her request closed: nothing open any more
    assert "Nothing open" in alice_home and "No chats booked" in alice_home


def test_after_erasing_the_console_tables_hold_nothing_of_them(tmp_path: Path) -> None:
    console(SCRIPT[:13], tmp_path)
    store = TinyDBStore(tmp_path)
    try:
        assert store.count("console_buttons") > 0
        for table in store.tables():
            for doc in store.find(table):
                assert "carol" not in json.dumps(doc), f"{table}: {doc}"
    finally:
        store.close()
