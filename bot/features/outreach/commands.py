"""``/outreach``: draft a connection note from a loose template, or review a draft.

The template has three beats: a personal note about their work, a hello with who you
are, and that you'd like to connect. The draft is in the member's voice: they send
it themselves, so we only ever show it to them. The review flags the mistakes that
sink a first request: asking for a coffee straight away, nothing personal, too long.
"""

from __future__ import annotations

import re

from bot.args import Args, Quoted
from bot.context import Context
from bot.errors import UserError
from bot.features.outreach import text as t
from bot.io import Output, Reply, UserArg
from bot.markup import Text, fmt, join
from bot.messages import Message
from bot.registry import Family, Param

family = Family("outreach", t.SUMMARY, order=35, default_name="draft")

EXAMPLE = "/outreach @dana her team's launch of the new search API"
REVIEW_EXAMPLE = (
    "/outreach review Hi Dana, congrats on the launch! I'm Sam, a new grad. I'd love to connect."
)
LIMIT = 300
MAX_REVIEW = 5000

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})
_BRACKETS = re.compile(r"\[[^\]]*\]")
COFFEE_ASK = re.compile(
    r"\b(coffee|tea|lunch|drinks?|(a|quick|short|brief|virtual) (call|chat|meeting|zoom|meet)"
    r"|hop on|jump on|\d+\s*-?\s*min(ute)?s?\b|pick your brain|meet ?up|meet for|get together"
    r"|set up a time|schedule (a |some )?(time|call|chat|meeting)|book (a |some )?time"
    r"|calendly|zoom|your calendar|(love|like|want|happy|glad) to (chat|talk|meet|hop)"
    r"|catch up over|are you free|free (for|to) (a|chat|talk|meet))\b"
)
PERSONAL = re.compile(
    r"\b(congrat\w*|saw|seen|read|loved|love your|enjoyed|admire\w*|impressed|noticed"
    r"|watched|listened|heard|follow(ing)? your|inspir\w*|fan of|launch\w*|shipped|released?"
    r"|announce\w*|ipo'?d|ipo|promot\w*|new role|your (talk|post|article|blog|project|team'?s?"
    r"|company'?s?|paper|repo|book|video|course|newsletter|podcast|research|design|app|product"
    r"|library|open[- ]source|keynote|thread))\b"
)
INTRO = re.compile(
    r"\b(i'm|im|i am|my name|i work|i've been|i study|i recently|i just|as an? |i lead|i build"
    r"|i'm a|i run|i teach)"
)
_SWAP = {
    "their": "your",
    "theirs": "yours",
    "they": "you",
    "them": "you",
    "they're": "you're",
    "they've": "you've",
    "he": "you",
    "she": "you",
    "his": "your",
    "he's": "you're",
    "she's": "you're",
    "themselves": "yourself",
}
_CLAUSE_START = ("you", "you're", "you've", "you'd")
_LOWER_FIRST = ("the", "a", "an", "your", "that", "this")


# -- drafting ----------------------------------------------------------------------


def second_person(phrase: str) -> str:
    """ "their talk on testing" → "your talk on testing": the note speaks to them."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        new = _SWAP.get(word.lower().translate(_APOSTROPHES))
        if new is None:
            return word
        return new.capitalize() if word[0].isupper() else new

    return re.sub(r"[A-Za-z]+(?:['’][a-z]+)?", swap, phrase)


def admire_line(admire: str) -> str:
    phrase = second_person(admire.strip().rstrip(".!?,;: "))
    first = phrase.split()[0] if phrase.split() else ""
    if first.lower() in _LOWER_FIRST + _CLAUSE_START:
        phrase = first.lower() + phrase[len(first) :]
    if first.lower().translate(_APOSTROPHES) in _CLAUSE_START:
        return t.DRAFT_ADMIRE_CLAUSE.format(admire=phrase)
    return t.DRAFT_ADMIRE.format(admire=phrase)


def draft(me: str, name: str | None, admire: str) -> str:
    """The note itself, plain text in the member's voice."""
    lines = [
        t.DRAFT_HELLO.format(name=name) if name else t.DRAFT_HELLO_ANYONE,
        admire_line(admire) if admire else t.DRAFT_ADMIRE_BLANK,
        t.DRAFT_ME.format(me=me),
        t.DRAFT_CONNECT,
        t.DRAFT_SIGN.format(me=me),
    ]
    return "\n".join(lines)


def first_name(name: str) -> str | None:
    name = name.strip().lstrip("@")
    if not name or name.lower().startswith(("someone", "somebody", "a ", "an ", "the ")):
        return None
    return name.split()[0]


@family.sub(
    None,
    usage="/outreach @person [what you admire about their work]",
    example=EXAMPLE,
    help="Draft a first message to someone you'd like to connect with.",
    params=(
        Param("person", "user", "Who you'd like to connect with"),
        Param("admire", "text", "Something you admire about their work", required=False),
    ),
)
def write(ctx: Context, args: Args) -> list[Output]:
    """Draft a short connection note to someone, in your voice."""
    if args.empty():
        raise UserError(fmt(t.WHO), EXAMPLE)
    who = args.user_or_phrase("the person you'd like to reach out to")
    if isinstance(who, UserArg):
        if who.id == ctx.user:
            raise UserError(fmt(t.SELF), EXAMPLE)
        name = first_name(ctx.name(who.id) if ctx.member(who.id) else (who.name or who.id))
    else:
        assert isinstance(who, Quoted)
        name = first_name(who.text)
    admire = " ".join(args.rest().split())
    note = draft(ctx.name(ctx.user), name, admire)
    lines: list[Text] = [
        fmt(t.DRAFT_INTRO),
        fmt(t.DRAFT_RULE),
        fmt("{note}", note=note),
        fmt(t.DRAFT_RULE),
        fmt(t.DRAFT_LENGTH, n=len(note)),
        fmt(t.DRAFT_FILL),
    ]
    if not admire:
        lines.append(fmt(t.DRAFT_ADD_ADMIRE))
    lines.append(fmt(t.DRAFT_AFTER))
    return [Reply(Message(join(*lines)))]


# -- reviewing ---------------------------------------------------------------------


def review(note: str) -> list[str]:
    """The flags a draft earns, most important first (codes of ``outreach_text.FLAGS``)."""
    text = note.translate(_APOSTROPHES).lower()
    words = _BRACKETS.sub(" ", text)
    flags = []
    if COFFEE_ASK.search(words):
        flags.append("coffee_ask")
    if not PERSONAL.search(words):
        flags.append("not_personal")
    if len(note) > LIMIT:
        flags.append("too_long")
    if _BRACKETS.search(text):
        flags.append("brackets")
    if not INTRO.search(words):
        flags.append("no_intro")
    return flags


@family.sub(
    "review",
    usage="/outreach review <your draft>",
    example=REVIEW_EXAMPLE,
    params=(Param("draft", "text", "Paste your draft message"),),
)
def review_(ctx: Context, args: Args) -> list[Output]:
    """Check a connection note before you send it."""
    note = args.rest().strip()
    if not note:
        raise UserError(fmt(t.REVIEW_EMPTY), REVIEW_EXAMPLE)
    if len(note) > MAX_REVIEW:
        raise UserError(fmt(t.REVIEW_HUGE, n=len(note)))
    flags = review(note)
    if not flags:
        return [Reply(Message(fmt(t.REVIEW_CLEAN, n=len(note))))]
    lines = [fmt(t.REVIEW_TITLE, n=len(note))]
    for code in flags:
        title, why = t.FLAGS[code]
        lines.append(fmt(t.REVIEW_FLAG, title=title, why=why))
    lines.append(fmt(t.REVIEW_FIX))
    return [Reply(Message(join(*lines)))]
