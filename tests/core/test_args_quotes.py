"""A quote opened and never closed is refused where words are read one by one (names,
times), and left alone in free text."""

from __future__ import annotations

from tests.harness import Harness


def test_an_unclosed_quote_is_refused_where_it_would_be_misread(h: Harness) -> None:
    said = h.reply("alice", '/intro @bob "someone at Acme I want to learn')
    assert "A quote isn't closed" in said and "Sent!" not in said
    assert "A quote isn't closed" in h.reply("alice", '/coffee @bob tomorrow 3pm "career')
    assert h.store.find("intros") == [] and h.store.find("coffee_chats") == []


def test_free_text_keeps_a_lone_quote_mark(h: Harness) -> None:
    h.reply("you", "/win channel #wins")
    assert "Shared in #wins" in h.reply("alice", '/win I finally said "yes" to a 6\'2" desk')
