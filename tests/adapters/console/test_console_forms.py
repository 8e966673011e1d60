"""Forms in the console, one question a line: what a field holds is shown and kept
unless changed, people are named as in the one-line commands, and a command typed in
the middle of a form is not taken as an answer."""

from __future__ import annotations

from pathlib import Path

from tests.harness import console

PROFILE = '/rapport profile role "data engineer" company Acme seeking "staff roles" findable on'


def after(out: str, line: str) -> str:
    return out.split(line, 1)[1]


def test_skipping_every_field_keeps_the_profile(tmp_path: Path) -> None:
    out = console(
        [":as bob", PROFILE, "/rapport profile edit", *[":skip"] * 5, "/rapport profile"],
        tmp_path / "d",
    )
    assert "(now: data engineer — :skip keeps it, :clear empties it)" in out
    assert "(now: Acme — :skip keeps it, :clear empties it)" in out
    shown = after(out, "bob> /rapport profile\n")
    assert "What I do: data engineer at Acme" in shown
    assert "Looking for: staff roles" in shown
    assert "Findable in searches: on" in shown


def test_clear_empties_one_field_and_typing_replaces_another(tmp_path: Path) -> None:
    out = console(
        [":as bob", PROFILE, "/rapport profile edit", "analyst", ":clear", *[":skip"] * 3],
        tmp_path / "d",
    )
    saved = out.rsplit("Saved.", 1)[1]
    assert "What I do: analyst\n" in saved
    assert " at Acme" not in saved
    assert "Looking for: staff roles" in saved


def test_a_choice_offers_no_clear(tmp_path: Path) -> None:
    out = console(["/rapport profile edit", ":skip", ":skip", ":skip"], tmp_path / "d")
    assert "Open to work? — e.g. Yes, No (now: No — :skip keeps it)" in out


def test_commands_inside_a_form_are_not_answers(tmp_path: Path) -> None:
    out = console(
        [":as bob", PROFILE, "/rapport profile edit", "/coffee list", ":as carol", ":skip"],
        tmp_path / "d",
    )
    assert out.count("You're in the middle of a form") == 2
    assert "bob> :skip" in out  # still bob: :as was not run
    assert "Where (company or organisation) (now: Acme" in after(out, "bob> :skip")


def test_people_by_bare_name_and_nobody_by_that_name(tmp_path: Path) -> None:
    out = console(["/coffee", "zed", "Carol", "tomorrow 3pm", ":skip"], tmp_path / "d")
    assert "✗ There's no member called “zed” here. Members: you, alice, bob, carol, dan." in out
    assert "Invite sent to @carol" in out


def test_a_required_field_cannot_be_skipped(tmp_path: Path) -> None:
    out = console(["/coffee", ":skip", "@carol"], tmp_path / "d")
    asked = after(out, "you> :skip")
    assert "✗ This one is needed" in asked
    assert "Who you'd like to have coffee with" in asked
