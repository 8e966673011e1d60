"""``/questions [topic]``: open-ended questions for a coffee chat, never the same twice in a row."""

from __future__ import annotations

from bot.args import Args
from bot.context import Context
from bot.errors import UserError
from bot.features.questions import text as t
from bot.features.questions.bank import bank, serve
from bot.io import Output, Reply
from bot.markup import Text, fmt, join
from bot.messages import Message
from bot.registry import Family, Param

family = Family(
    "questions", "Open-ended questions to bring to a coffee chat.", order=21, default_name="get"
)


def _topics() -> str:
    return ", ".join(bank().categories)


@family.sub(
    None,
    usage="/questions [topic]",
    example="/questions challenges",
    help="Good open-ended questions for your next coffee chat.",
    params=(Param("topic", "text", "A topic, like career path or tech stack", required=False),),
)
def questions(ctx: Context, args: Args) -> list[Output]:
    """Three questions to ask; add a topic, like career, stack or hiring, to keep to it."""
    topic = args.rest()
    category = None
    if topic:
        category = bank().find(topic)
        if category is None:
            raise UserError(fmt(t.UNKNOWN, topic=topic, topics=_topics()), "/questions career")
    picked, restarted = serve(ctx.store, ctx.community, ctx.user, category=category, n=3)
    lines: list[Text] = [
        fmt(t.HEAD_TOPIC, topic=category.title.lower()) if category else fmt(t.HEAD_MIXED)
    ]
    lines += [fmt(t.LINE, n=i, text=q.text) for i, q in enumerate(picked, 1)]
    if restarted:
        lines.append(fmt(t.RESTARTED))
    lines.append(fmt(t.FOOT, topics=_topics()))
    return [Reply(Message(join(*lines)))]
