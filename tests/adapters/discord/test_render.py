"""Neutral markup → Discord markdown, with user text made inert."""

from __future__ import annotations

import asyncio
from pathlib import Path

import discord

from bot.adapters.discord.buttons import TEMPLATE, custom_id, resolve
from bot.adapters.discord.render import render_message, to_markdown
from bot.io import Community
from bot.markup import Bold, ChannelLink, Code, Italic, Link, Mention, Plain, fmt
from bot.messages import Attachment, Button, Message
from store.tinydb_store import TinyDBStore

GUILD = Community("discord", "700000000000000001")


def test_spans_become_discord_markdown() -> None:
    text = (
        Bold((Plain("Hi "), Mention("800000000000000001"))),
        Plain(" "),
        Italic((Plain("see"),)),
        Plain(" "),
        ChannelLink("700000000000000010"),
        Plain(" "),
        Code("/intro list"),
        Plain(" "),
        Link("https://example.com", "the guide"),
    )
    assert to_markdown(text) == (
        "**Hi <@800000000000000001>** *see* <#700000000000000010> `/intro list` "
        "[the guide](https://example.com)"
    )


def test_user_text_is_inert() -> None:
    typed = "*bold* _it_ `code` [x](https://evil) @everyone @here <@&123456789012345678>"
    out = to_markdown(fmt("You said: {text}", text=typed))
    assert "@everyone" not in out and "@here" not in out and "<@&1" not in out
    assert "\\*bold\\*" in out and "\\_it\\_" in out and "\\`code\\`" in out
    assert "\\[x\\](https://evil)" in out or "\\[x](https://evil)" in out


def test_code_with_backticks_and_mentions_stays_code() -> None:
    assert to_markdown((Code("a `b` c"),)) == "`` a `b` c ``"
    assert "@\u200beveryone" in to_markdown((Code("@everyone"),))


def run(coro):  # type: ignore[no-untyped-def]
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def test_a_message_with_buttons_files_and_mentions(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path)

    async def go() -> None:
        message = Message(
            fmt("{who}, meet {other}", who=Mention("800000000000000001"), other="@here"),
            buttons=(
                Button("intro.make", "Make the intro", "k3f9qz", "primary"),
                Button("intro.not_now", "Not now", "k3f9qz"),
                Button("intro.make", "Again", "k3f9qz"),  # same id twice: stored instead
            ),
            attachments=(Attachment("chat.ics", "BEGIN:VCALENDAR", "text/calendar"),),
        )
        out = render_message(message, GUILD, store)
        assert out.content == "<@800000000000000001>, meet @\u200bhere"
        ids = [item.custom_id for item in out.view.children]  # type: ignore[union-attr]
        assert ids[:2] == [
            "rp:700000000000000001:intro.make:k3f9qz",
            "rp:700000000000000001:intro.not_now:k3f9qz",
        ]
        assert ids[2].startswith("rp#") and len(set(ids)) == 3
        styles = [item.item.style for item in out.view.children]  # type: ignore[union-attr]
        assert styles[:2] == [discord.ButtonStyle.primary, discord.ButtonStyle.secondary]
        assert out.view.is_finished()  # type: ignore[union-attr]  # never kept in memory
        assert [f.filename for f in out.files] == ["chat.ics"]
        assert out.mentions.to_dict() == {"parse": [], "users": [800000000000000001]}

    run(go())
    store.close()


def test_button_ids_carry_what_a_press_needs(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path)
    short = custom_id(GUILD, Button("coffee.accept", "Accept", "k3f9qz:2"), store)
    target = resolve(TEMPLATE.fullmatch(short), store)  # type: ignore[arg-type]
    assert target is not None
    assert (target.community, target.action, target.value) == (GUILD, "coffee.accept", "k3f9qz:2")
    long = custom_id(GUILD, Button("x.y", "Go", "v" * 200), store)
    assert len(long) <= 100
    again = resolve(TEMPLATE.fullmatch(long), store)  # type: ignore[arg-type]
    assert again is not None and again.value == "v" * 200
    store.close()


def test_long_text_goes_to_an_embed_and_is_cut_on_a_line(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path)

    async def go() -> None:
        body = "\n".join(f"line {i} " + "x" * 80 for i in range(100))
        out = render_message(Message((Plain(body),)), GUILD, store)
        assert out.content is None and out.embed is not None
        description = out.embed.description or ""
        assert len(description) <= 4096 and description.endswith("one Discord message.*")
        assert "\nline" in description

    run(go())
    store.close()


def test_typed_short_ids_and_invisible_characters_stay_inert() -> None:
    from bot.adapters.discord.render import escape

    shown = escape("hi <@999> <@&123> <#5> \u202eevil\x00 end")
    assert "<@9" not in shown and "<@&" not in shown and "<#5" not in shown
    assert "\u202e" not in shown and "\x00" not in shown and "evil" in shown
