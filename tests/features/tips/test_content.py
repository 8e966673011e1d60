"""The content library: its shape (ids, categories, lengths, enough of each kind) and
that it is written in our own words, never copied from the seed article."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.features.tips import content
from bot.markup import Plain, fmt

# A few of the seed's sentences most tempting to copy (for when the seed itself is absent).
SEED_SENTENCES = [
    "What are the main types of projects you work on?",
    "What are some of the key challenges you often face?",
    "What technologies do you and your team predominantly use?",
    "Never, and I repeat never make an ask for a coffee chat in your initial connection request.",
    "Ignore the noise, push through, and keep going.",
    "If you have a dream to work in tech, please don't let negative thoughts bring you down "
    "or hold you back from putting yourself out there.",
    "Over time, the people you meet with will keep you top of mind.",
    "Whether you have a lot of people in your network or not, your network can always get bigger.",
    "Relationship building isn't a clear-cut science, but it creates clear-cut results.",
]
SEED_DIRS = [
    Path(os.environ.get("RAPPORT_SEED_DIR", "")),
    Path(__file__).resolve().parents[4] / "shared" / "seed",
]


def words(text: str) -> list[str]:
    text = text.replace("’", "'").replace("‘", "'").lower()
    return re.findall(r"[a-z0-9']+", text)


def grams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def seed_text() -> str:
    found = [
        p.read_text(encoding="utf-8")
        for d in SEED_DIRS
        if str(d) not in ("", ".") and d.is_dir()
        for p in sorted(d.glob("*.txt"))
    ]
    return "\n".join([*found, *SEED_SENTENCES])


def test_enough_tips_in_every_category_and_enough_encouragement() -> None:
    counts = Counter(i.category for i in content.library())
    assert len(content.tips()) >= 40
    assert len(content.encouragement()) >= 20
    for category in content.TIP_CATEGORIES:
        assert counts[category] >= 6, category


def test_every_item_has_a_unique_id_a_known_category_and_a_sane_length() -> None:
    items = content.library()
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids))
    for item in items:
        assert re.fullmatch(r"[a-z]+-\d{2}", item.id), item.id
        assert item.category in content.CATEGORIES
        assert 30 <= len(item.text) <= 220, item.id
        assert "{" not in item.text and "}" not in item.text  # our markup, no placeholders
        assert item.text[-1] in ".!?\"'`", item.id


def test_library_text_renders_as_our_markup() -> None:
    for item in content.library():
        spans = fmt(item.text)
        assert spans, item.id
    assert any(not isinstance(s, Plain) for i in content.library() for s in fmt(i.text))


def test_no_eight_word_run_of_the_seed_appears_in_the_library() -> None:
    seed = grams(seed_text())
    assert seed, "the seed sentences should give us something to compare"
    for item in content.library():
        copied = grams(item.text) & seed
        assert not copied, f"{item.id} copies the seed: {' '.join(next(iter(copied)))}"


def test_near_copies_of_the_seed_questions_are_caught_by_the_check() -> None:
    copied = "Ask them: what are the main types of projects you work on?"
    assert grams(copied) & grams(seed_text())


def test_items_are_found_by_id_and_topics_by_the_words_people_type() -> None:
    assert content.by_id("COFFEE-01") is content.by_id("coffee-01")
    assert content.by_id("nope-01") is None
    assert content.category_named("coffee") == "coffee_chats"
    assert content.category_named("Job search") == "job_search"
    assert content.category_named("search") == "job_search"
    assert content.category_named("rel") == "relationships"
    assert content.category_named("xyz") is None
    assert set(content.TOPIC_WORDS) == set(content.CATEGORIES)


def test_a_malformed_file_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x-01\n  category: gossip\n  text: hello there\n", encoding="utf-8")

    class Files:
        def joinpath(self, name: str) -> Path:
            return tmp_path / name

    monkeypatch.setattr(content.resources, "files", lambda pkg: Files())
    with pytest.raises(ValueError, match="unknown category"):
        content.load_file("bad.yaml")
