"""A new family is its own folder and nothing else: it shows up on every platform.

The test writes a tiny ``echo`` feature into a temporary folder, adds that folder to
``bot.features`` (as if the package were dropped into ``bot/features/echo/``) and
checks help, Discord's command tree with typed options, Slack's parsing and the
console — without editing any other file.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from discord import app_commands

import bot.features
from bot.adapters.discord.commands import build_commands
from bot.adapters.slack import translate
from bot.clock import ManualClock
from bot.core import Rapport
from bot.io import CommandInvocation, Community
from bot.markup import to_plain
from bot.registry import discover
from store import open_store
from tests.harness import console

ECHO = textwrap.dedent(
    '''
    """``/echo``: says back what it was given (a family written for a test)."""

    from bot.args import Args
    from bot.context import Context
    from bot.io import Output, Reply
    from bot.markup import Mention, fmt
    from bot.messages import Message
    from bot.registry import Family, Param

    family = Family("echo", "Say something back to someone.", default_name="say")


    @family.sub(
        None,
        usage="/echo @person <words>",
        example="/echo @ana hello",
        params=(
            Param("person", "user", "Who to say it to"),
            Param("words", "text", "What to say"),
        ),
    )
    def say(ctx: Context, args: Args) -> list[Output]:
        """Say some words back, to someone."""
        who = args.user("who to say it to")
        words = args.rest() or "…"
        return [Reply(Message(fmt("echo to {who}: {words}", who=Mention(who.id), words=words)))]
    '''
)


@pytest.fixture
def echo_feature(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    root = tmp_path / "features"
    (root / "echo").mkdir(parents=True)
    (root / "echo" / "__init__.py").write_text('"""The echo feature."""\n')
    (root / "echo" / "commands.py").write_text(ECHO)
    monkeypatch.setattr(bot.features, "__path__", [*bot.features.__path__, str(root)])
    yield
    for name in [m for m in sys.modules if m.startswith("bot.features.echo")]:
        del sys.modules[name]


def _core(tmp_path: Path) -> Rapport:
    clock = ManualClock(datetime(2026, 12, 1, 9, tzinfo=UTC))
    return Rapport(open_store(str(tmp_path / "data")), clock)


def test_a_new_family_is_found_and_listed_in_help(echo_feature: None, tmp_path: Path) -> None:
    core = _core(tmp_path)
    assert "echo" in core.families
    community = Community("console", "local")
    shown = core.handle_command(CommandInvocation(community, "you", "rapport", ("help",)))
    text = to_plain(shown[0].message.text)
    assert "/echo @person <words>" in text and "Say some words back" in text


def test_a_new_family_is_on_discord_with_typed_options(echo_feature: None) -> None:
    class Handler:
        async def on_command(self, *args: object) -> None: ...

        async def complete(self, *args: object) -> list[app_commands.Choice[str]]:
            return []

    built = {c.name: c for c in build_commands(discover().values(), Handler())}
    echo = built["echo"]
    assert isinstance(echo, app_commands.Command)  # one form: /echo itself, no subcommand
    options = {p.name: p for p in echo.parameters}
    assert options["person"].type is discord_user_type()
    assert options["person"].required and options["words"].required
    assert options["person"].description == "Who to say it to"


def discord_user_type() -> object:
    from discord import AppCommandOptionType

    return AppCommandOptionType.user


def test_a_new_family_reads_slack_text(echo_feature: None, tmp_path: Path) -> None:
    core = _core(tmp_path)
    body = {
        "team_id": "T1",
        "user_id": "U1",
        "command": "/echo",
        "text": "<@U2|bo> hello there",
        "trigger_id": "t1",
    }
    inv = translate.command(body, translate.parse_text(body["text"]))
    shown = core.handle_command(inv)
    assert to_plain(shown[0].message.text) == "echo to @U2: hello there"


def test_a_new_family_runs_in_the_console(echo_feature: None, tmp_path: Path) -> None:
    out = console(["/echo @bob hello from the console"], tmp_path / "console")
    assert "echo to @bob: hello from the console" in out
