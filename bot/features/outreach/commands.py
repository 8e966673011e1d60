"""``/outreach``: draft a connection note from a loose template, or review a draft.

The template has three beats: a personal note about their work, a hello with who you
are, and that you'd like to connect. The draft is in the member's voice: they send
it themselves, so we only ever show it to them. The review flags the mistakes that
sink a first request: asking for a coffee straight away, nothing personal, too long.
"""

from __future__ import annotations

from bot.args import Args, Quoted
from bot.context import Context
from bot.errors import UserError
from bot.features.outreach import text as t
from bot.features.outreach.draft import opening
from bot.features.outreach.review import review
from bot.io import Output, Reply, UserArg
from bot.markup import Text, fmt, join
from bot.messages import Message
from bot.registry import Family, Param

family = Family("outreach", t.SUMMARY, order=35, default_name="draft")

EXAMPLE = "/outreach @dana her team's launch of the new search API"
REVIEW_EXAMPLE = (
    "/outreach review Hi Dana, congrats on the launch! I'm Sam, a new grad. I'd love to connect."
)
MAX_REVIEW = 5000


def draft(me: str, name: str | None, admire: str) -> str:
    """The note itself, plain text in the member's voice."""
    lines = [
        t.DRAFT_HELLO.format(name=name) if name else t.DRAFT_HELLO_ANYONE,
        opening(admire, name) or t.DRAFT_ADMIRE_BLANK,
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
        member = ctx.member(who.id)
        if who.is_bot or (member is not None and member.is_bot):
            raise UserError(fmt(t.BOT), EXAMPLE)
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
    findings = review(note)
    if not findings:
        return [Reply(Message(fmt(t.REVIEW_CLEAN, n=len(note))))]
    lines = [fmt(t.REVIEW_TITLE, n=len(note))]
    for found in findings:
        lines.append(fmt(t.FINDING_LINE, title=found.title, message=found.message))
        if found.phrase:
            lines.append(fmt(t.FINDING_QUOTE, phrase=found.phrase))
    lines.append(fmt(t.REVIEW_FIX if len(findings) > 1 else t.REVIEW_FIX_ONE))
    return [Reply(Message(join(*lines)))]
