"""The shipped manifest matches the command families."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.adapters.slack.manifest import BOT_SCOPES, build_manifest, dump
from bot.registry import discover

MANIFEST = Path(__file__).resolve().parents[3] / "slack" / "manifest.yml"


def test_the_manifest_is_in_sync_with_the_families():
    shipped = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert shipped == build_manifest(discover()), (
        "slack/manifest.yml is out of date: run "
        "`.venv/bin/python -m bot.adapters.slack.manifest > slack/manifest.yml`"
    )


def test_every_family_is_a_slash_command_with_escaping():
    commands = yaml.safe_load(MANIFEST.read_text())["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [f"/{name}" for name in discover()]
    assert all(c["should_escape"] is True for c in commands)
    assert all(0 < len(c["description"]) <= 100 for c in commands)


def test_minimal_scopes_interactivity_home_and_events():
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert manifest["oauth_config"]["scopes"]["bot"] == BOT_SCOPES
    assert not any(s.endswith((":history", ":read.email")) for s in BOT_SCOPES)
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_an_http_mode_manifest_points_everything_at_one_url():
    url = "https://rapport.example.org/slack/events"
    manifest = yaml.safe_load(dump(build_manifest(discover(), url=url)))
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert manifest["settings"]["interactivity"]["request_url"] == url
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert {c["url"] for c in manifest["features"]["slash_commands"]} == {url}


def test_the_header_says_which_mode_the_manifest_is_for() -> None:
    from bot.adapters.slack.manifest import build_manifest, dump
    from bot.registry import discover

    http = dump(build_manifest(discover(), url="https://bot.test/slack/events"))
    assert "HTTP mode" in http.split("display_information")[0]
    assert "Socket Mode" not in http.split("display_information")[0]
    socket = dump(build_manifest(discover()))
    assert "Socket Mode" in socket.split("display_information")[0]


def test_the_license_file_matches_pyproject() -> None:
    root = MANIFEST.parents[1]
    assert 'license = { text = "MIT" }' in (root / "pyproject.toml").read_text()
    assert (root / "LICENSE").read_text().startswith("MIT License")
