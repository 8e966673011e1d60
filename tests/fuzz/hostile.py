"""Hostile input for every command and button: text, forged ids, odd dates, mixed parts.

The pieces are chosen to hit the places bots usually break: the platforms' markup and
mention syntax, huge and empty text, control and direction characters, other
scripts, dates that don't exist, and ids that look real but aren't. Real members and
channels (as a platform would resolve them) are mixed in, so deep paths are reached.
"""

from __future__ import annotations

import re
from functools import cache

from hypothesis import strategies as st

from bot.directory import Member, StaticDirectory
from bot.io import ChannelArg, Part, UserArg
from bot.registry import discover

# Members the fuzzers add to the console community: ids shaped like Slack's and
# Discord's, so their mentions render live and the checks can tell ours from typed ones.
SLACK_MEMBER = Member("UALICE01", "sl-alice", tz="America/New_York")
DISCORD_MEMBER = Member("800000000000000001", "dc-ana", tz="Asia/Kolkata")
# Display names are the members' own words: one picks a hostile one.
EVIL_MEMBER = Member("U0EVIL01", "<!channel> @everyone <@U123> *bold*")
EXTRA_MEMBERS = (SLACK_MEMBER, DISCORD_MEMBER, EVIL_MEMBER)
PEOPLE = ("you", "alice", "bob", "carol", "dan", *(m.id for m in EXTRA_MEMBERS))
STRANGER = "U0NOBODY"  # a real platform id the directory doesn't know (left, or never synced)
ACTORS = (*PEOPLE, STRANGER)
CHANNELS = ("general", "jobs", "wins", "coffee", "C0JOBS01", "700000000000000011")

MARKUP = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S0123|@devs>",
    "<@U123>",
    "<@U123|bob>",
    "<@UALICE01>",
    "<#C1>",
    "<#C0JOBS01|jobs>",
    "<@&123>",
    "<@&123456789012345678>",
    "<@800000000000000001>",
    "<@!800000000000000001>",
    "<#700000000000000011>",
    "@everyone",
    "@here",
    "@channel",
    "@ everyone",
    "@\u200beveryone",
    "＠everyone",
    "<https://evil.example|click me>",
    "[click](https://evil.example)",
    "**bold** __under__ ~~strike~~ ||spoiler|| `code` ```block```",
    "*_~`>|\\",
    "&lt;!channel&gt;",
    "&amp;lt;",
    "> quoted\n>>> block",
)
SCRIPTS = (
    "مرحبا بكم في المجتمع",
    "שלום לכולם",
    "日本語のテキストです",
    "Ελληνικά γράμματα",
    "Привет, как дела?",
    "हिन्दी पाठ",
    "ünïcödé çåfé",
    "🙂👩🏽‍💻🇺🇦☕️",
    "Z̷̢̛a̶l̸g̵o̴",
)
CONTROL = (
    "",
    " ",
    "\t\n\r",
    "\x00\x01\x07\x08\x1b[31m\x7f",
    "\u202e\u200f\u200e\u2066RTL\u2069",
    "\u200b\u200d\ufeff",
    "\u2028\u2029",
    "\\",
    '"',
    '"unterminated',
    "“curly quotes”",
    '""',
    "'",
    "{name}",
    "{0}",
    "%s%n",
    "`",
)
DATES = (
    "31 feb",
    "feb 31",
    "2026-02-30 10:00",
    "yesterday",
    "in 10 years",
    "in 0 days",
    "in -3 days",
    "in 1000000000 days",
    "in 99999999999999999999 weeks",
    "every 0 days",
    "every -1 weeks",
    "every 1 seconds",
    "every month",
    "every 3 months",
    "tomorrow 25:99",
    "tomorrow 3pm",
    "tue 10:30",
    "next friday",
    "now",
    "9999-12-31 23:59",
    "0001-01-01",
    "on the 32nd",
    "1e308",
    "NaN",
    "inf",
    "on 2026-12-03 15:00",
    "in 2 weeks",
    "until next month",
    "every monday 9:00",
    "every friday 16:00",
    "21:00-08:00",
    "25:00-99:99",
    "08:00-08:00",
)
FORGED_IDS = (
    "k3f9qz",
    "zzzzzz",
    "../../etc/passwd",
    "None",
    "null",
    "0",
    "-1",
    "'; DROP TABLE intros; --",
    "id:rev",
    "abc:999999999999999999999",
    "a" * 300,
    "coffee-03",
    "rp#abc",
)
HUGE = ("A" * 10_000, "🙂" * 5_000, ("word " * 2_000).strip(), "<!channel>" * 1_000)

ALL_PIECES = MARKUP + SCRIPTS + CONTROL + DATES + FORGED_IDS


@cache
def vocabulary() -> tuple[str, ...]:
    """Every word of every subcommand's usage and example (picked up from the registry)."""
    words: set[str] = set()
    for family in discover().values():
        for sub in family.subs:
            for source in (sub.usage, sub.example):
                for word in re.split(r"[\s\[\]|<>()]+", source):
                    if word and not word.startswith(("/", "@", "#")):
                        words.add(word)
    return tuple(sorted(words))


@cache
def subcommands() -> tuple[tuple[str, str | None], ...]:
    """(family, subcommand) for every subcommand of every family; None is the default form."""
    return tuple((f.name, s.name) for f in discover().values() for s in f.subs)


@cache
def examples() -> tuple[str, ...]:
    """Every example line of every subcommand, as a member would type it."""
    return tuple(s.example for f in discover().values() for s in f.subs)


def directory_with_extras(directory: StaticDirectory) -> StaticDirectory:
    for member in EXTRA_MEMBERS:
        directory.add(member)
    return directory


# -- strategies ------------------------------------------------------------------------------

piece = st.one_of(
    st.sampled_from(ALL_PIECES),
    st.sampled_from(vocabulary()),
    st.text(max_size=20),
    st.integers(-5, 400).map(str),
)
huge = st.sampled_from(HUGE)
text = st.one_of(
    st.lists(piece, max_size=6).map(" ".join),
    st.lists(piece, max_size=3).map("".join),
    huge,
    st.sampled_from(ALL_PIECES),
)
names = st.one_of(st.none(), st.sampled_from(("bob", "@everyone", "<!channel>", "", "🙂" * 50)))
users = st.one_of(
    st.builds(UserArg, st.sampled_from(PEOPLE), names, st.sampled_from((None, False))),
    st.builds(UserArg, st.sampled_from(("rapport",)), names, st.just(True)),
    st.builds(UserArg, st.sampled_from((STRANGER, "W0GONE", "123456789012345678", "U0")), names),
)
channels = st.builds(
    ChannelArg,
    st.sampled_from((*CHANNELS, "C0GONE", "999999999999999999")),
    st.one_of(st.none(), st.sampled_from(("jobs", "<!here>", "@everyone"))),
)
part = st.one_of(text, users, channels)


def with_spaces(parts: list[Part]) -> tuple[Part, ...]:
    """Join parts as a platform would hand them over: text and mentions, spaced."""
    out: list[Part] = []
    for p in parts:
        if out:
            if isinstance(out[-1], str) and isinstance(p, str):
                out[-1] = out[-1] + " " + p
                continue
            if not isinstance(p, str) and not isinstance(out[-1], str):
                out.append(" ")
        out.append(p)
    return tuple(out)


arguments = st.lists(part, max_size=6).map(with_spaces)
