"""The core: routing, friendly refusals that store nothing, apologies with an error id,
help from docstrings, and requests answered once however often they arrive."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.adapters.console.community import COMMUNITY
from bot.args import Args
from bot.context import Context
from bot.core import Rapport
from bot.errors import UserError
from bot.io import CommandInvocation, DirectMessage, Output, Reply, UserArg
from bot.markup import fmt, to_plain
from bot.messages import Message
from bot.registry import Family
from tests.harness import Harness


def make_family() -> Family:
    fam = Family("demo", "A family for tests.")

    @fam.sub(None, usage="/demo @person <note>", example="/demo @alice hello")
    def note(ctx: Context, args: Args) -> list[Output]:
        """Leave a note for someone."""
        person = args.user("the person to note")
        text = args.rest()
        ctx.store.insert("notes", {"to": person.id, "text": text})
        if not text:
            raise UserError("Please add a note after the name.")
        return [
            Reply(Message(fmt("Noted."))),
            DirectMessage(person.id, Message(fmt("{t}", t=text))),
        ]

    @fam.sub("boom", usage="/demo boom", example="/demo boom")
    def boom(ctx: Context, args: Args) -> list[Output]:
        """Fail unexpectedly."""
        ctx.store.insert("notes", {"to": "x"})
        raise RuntimeError("kaboom")

    @fam.sub("once", usage="/demo once", example="/demo once")
    def once(ctx: Context, args: Args) -> list[Output]:
        """Something a member can do only once."""
        if ctx.store.find_one("onces", {"key": ctx.user}):
            raise UserError("You did that already.")
        ctx.store.insert("onces", {"key": ctx.user})
        return [Reply(Message(fmt("Done once.")))]

    @fam.sub("admin", usage="/demo admin", example="/demo admin", admin=True)
    def admin(ctx: Context, args: Args) -> list[Output]:
        """Only for admins."""
        return [Reply(Message(fmt("ok admin")))]

    return fam


@pytest.fixture
def demo(h: Harness) -> Harness:
    h.core = Rapport(h.store, h.clock, h.config, h.directory, {"demo": make_family()})
    h.worker.core = h.core
    return h


def invoke(
    h: Harness, text_parts: tuple, *, request_id: str | None = None, user: str = "you"
) -> str:
    out = h.core.handle_command(
        CommandInvocation(COMMUNITY, user, "demo", text_parts, request_id=request_id)
    )
    return "\n".join(to_plain(o.message.text) for o in out if isinstance(o, Reply))


def test_unknown_command_points_to_help(h: Harness) -> None:
    assert "/rapport help" in h.reply("you", "/frobnicate now")


def test_unknown_subcommand_shows_usage(h: Harness) -> None:
    reply = h.reply("you", "/rapport frob")
    assert "I don't know /rapport frob" in reply
    assert "/rapport settings" in reply


def test_help_is_generated_from_docstrings(demo: Harness) -> None:
    from bot.core import Rapport as _  # noqa: F401

    usage = to_plain(demo.core.usage(make_family()))
    assert "/demo @person <note> — Leave a note for someone." in usage


def test_refusal_is_friendly_and_stores_nothing(demo: Harness) -> None:
    before = demo.snapshot()
    reply = invoke(demo, (UserArg("alice", "alice"),))
    assert "Please add a note" in reply
    assert demo.snapshot() == before


def test_missing_argument_gets_an_example(demo: Harness) -> None:
    reply = invoke(demo, ("nobody here",))
    assert "couldn't find a member called “nobody”" in reply
    assert "Example: /demo @alice hello" in reply


def test_unexpected_error_apologises_with_an_id_and_logs(
    demo: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    before = demo.snapshot()
    with caplog.at_level(logging.ERROR):
        reply = invoke(demo, ("boom",))
    assert "Sorry, something went wrong" in reply
    error_id = reply.split("error id ")[1].rstrip(".")
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)
    assert demo.snapshot() == before


def test_admin_only_subcommand_refuses_members(demo: Harness) -> None:
    assert "Only a community admin" in invoke(demo, ("admin",), user="alice")
    demo.config = demo.core.config = type(demo.config)(admins=("alice",))
    assert invoke(demo, ("admin",), user="alice") == "ok admin"


def test_a_repeated_request_is_answered_once(demo: Harness) -> None:
    parts = (UserArg("alice", "alice"), " hello")
    first = invoke(demo, parts, request_id="r1")
    again = invoke(demo, parts, request_id="r1")
    assert first == again == "Noted."
    assert demo.store.count("notes") == 1
    demo.tick()
    assert len(demo.recorder.to("alice")) == 1


def test_a_repeat_that_would_now_be_refused_answers_as_the_first_time(demo: Harness) -> None:
    assert invoke(demo, ("once",), request_id="r1") == "Done once."
    assert invoke(demo, ("once",), request_id="r1") == "Done once."  # Slack's retry
    assert "already" in invoke(demo, ("once",), request_id="r2")  # a new request
    assert demo.store.count("onces") == 1


def test_old_request_ids_are_forgotten(demo: Harness, tmp_path: Path) -> None:
    from datetime import timedelta

    invoke(demo, (UserArg("alice", "alice"), " hi"), request_id="r1")
    demo.clock.advance(timedelta(days=2))
    assert demo.core.forget_old_requests() == 1
