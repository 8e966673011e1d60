"""The content library speaks to job seekers in any field: developer-only items are
tagged (and can be left out in one go), ids admins may have hidden never change, and
the library covers wording an intro request and helping others first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.features.tips import content

# Every id that existed before tags: admins hide items by id, so none may disappear.
EARLIER_IDS = (
    [f"coffee-{n:02}" for n in range(1, 11)]
    + [f"questions-{n:02}" for n in range(1, 11)]
    + [f"outreach-{n:02}" for n in range(1, 10)]
    + [f"relationships-{n:02}" for n in range(1, 10)]
    + [f"search-{n:02}" for n in range(1, 10)]
    + [f"encourage-{n:02}" for n in range(1, 25)]
)
# Words that only make sense to software developers.
DEV_WORDS = re.compile(
    r"\b(repos?|stack|postgres|backend|frontend|framework\w*|deploy\w*|github|engineers?"
    r"|coding|codebase|bug|programming|languages?)\b",
    re.I,
)


def test_no_earlier_id_went_missing() -> None:
    for item_id in EARLIER_IDS:
        assert content.by_id(item_id) is not None, item_id


def test_untagged_items_are_field_neutral() -> None:
    for item in content.without_tags(content.library(), {"developers"}):
        assert not DEV_WORDS.search(item.text), item.id


def test_developer_items_are_kept_and_tagged() -> None:
    tagged = content.ids_tagged("developers")
    assert {"questions-04", "questions-05"} <= set(tagged)
    assert all(content.by_id(i).tags == ("developers",) for i in tagged)
    # Kept in the default rotation; leaving them out is one call.
    assert set(tagged) <= {i.id for i in content.library()}
    assert not set(tagged) & {i.id for i in content.without_tags(content.tips(), ["Developers"])}
    assert content.ids_tagged("nobody") == ()


def test_the_library_teaches_how_to_word_an_intro_request() -> None:
    texts = " ".join(i.text.lower() for i in content.tips() if i.category == "outreach")
    assert "forward" in texts  # a blurb the friend can forward
    assert "why them" in texts or "why this person" in texts
    assert "short" in texts
    assert "easy out" in texts


def test_the_library_teaches_helping_others_first() -> None:
    texts = " ".join(i.text.lower() for i in content.tips() if i.category == "relationships")
    assert "give before you ask" in texts
    assert "openings" in texts
    assert "make an intro yourself" in texts


def test_an_unknown_tag_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- id: x-01\n  category: outreach\n  tags: [astronauts]\n  text: hello there friend\n",
        encoding="utf-8",
    )

    class Files:
        def joinpath(self, name: str) -> Path:
            return tmp_path / name

    monkeypatch.setattr(content.resources, "files", lambda pkg: Files())
    with pytest.raises(ValueError, match="unknown tag"):
        content.load_file("bad.yaml")


def test_a_single_tag_may_be_written_without_brackets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "one.yaml").write_text(
        "- id: x-01\n  category: outreach\n  tags: developers\n  text: hello there friend\n",
        encoding="utf-8",
    )

    class Files:
        def joinpath(self, name: str) -> Path:
            return tmp_path / name

    monkeypatch.setattr(content.resources, "files", lambda pkg: Files())
    assert content.load_file("one.yaml")[0].tags == ("developers",)
