"""Preparing for a coffee chat, per role and topic: pure, no store and no I/O.

The person who asked for the chat (the *inviter*; ``requester`` in a chat record) leads
it: they're told so, pointed at the other person's public work, and given three
open-ended questions chosen for the chat's topic ("career switch" → questions about
changing careers, not about testing). The *invitee* is told what the inviter hopes
to learn and that there's little to prepare: no question list.

``plan(topic, role, bank)`` returns a :class:`Prep`: the bank category the topic maps
to, the questions, and the lines of the message as templates (``{who}``, ``{topic}``)
for ``bot.markup.fmt``. To keep the no-repeats promise of the question bank, the
caller may ignore ``Prep.questions`` and pass ``Prep.category`` to
``bot.features.questions.bank.serve`` instead, which remembers what each person has seen.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Collection
from dataclasses import dataclass

from bot.features.coffee import text as t
from bot.features.questions.bank import Bank, Category, Question

INVITER = "inviter"
INVITEE = "invitee"
ROLES = {INVITER: INVITER, "requester": INVITER, INVITEE: INVITEE}
N_QUESTIONS = 3
# What a topic says, in the order ties are broken: the most specific first.
TOPIC_WORDS: tuple[tuple[str, str], ...] = (
    (
        "switching",
        r"switch\w*|career chang\w*|chang\w* (?:my |your )?(?:careers?|fields?|industr\w+"
        r"|direction|paths?)|pivot\w*|transition\w*|mov\w+ (?:in)?to|from \w+(?: \w+)? (?:in)?to"
        r"|new field|retrain\w*|re-?skill\w*|bootcamp\w*|second career|career changer",
    ),
    (
        "hiring",
        r"interview\w*|hiring|recruit\w*|applications?|apply\w*|applied|r[ée]sum[ée]s?|cvs?"
        r"|job (?:search|hunt\w*)|offers?|negotiat\w*|salar\w*|referrals?",
    ),
    (
        "first-job",
        r"break\w* in(?:to)?|first (?:job|role|position|gig)|getting (?:started|in)|start\w* out"
        r"|entry[- ]level|junior|new grads?|graduat\w*|intern\w*|students?|no experience"
        r"|early[- ]career|get(?:ting)? into",
    ),
    ("remote", r"remote\w*|hybrid|distributed|work\w* from home|wfh|async\w*|time ?zones?"),
    (
        "growth",
        r"grow\w*|learn\w*|promot\w*|mentor\w*|level\w* up|skills?|senior\w*|feedback"
        r"|career (?:growth|development|progression)|develop\w* as",
    ),
    (
        "company",
        r"culture|compan\w+|working (?:at|for)|life at|org|organi[sz]ation|employer|startups?"
        r"|the team|their team|your team|teams?",
    ),
    (
        "stack",
        r"tech ?stack|stack|tools?|tooling|languages?|frameworks?|technolog\w+|testing|tests"
        r"|devops|infra\w*|architecture|code|coding|backend|frontend|databases?|python|java\w*"
        r"|rust|golang|react",
    ),
    ("challenges", r"challeng\w*|problems?|hard|obstacles?|struggl\w*|burn ?out|stress\w*"),
    ("career", r"careers?|path|journey|background|story"),
    ("advice", r"advice|tips?|guidance|suggestions?"),
    ("work", r"day[- ]to[- ]day|typical (?:day|week)|projects?|role|day job|work"),
)
_TOPIC_PATTERNS = [(key, re.compile(rf"\b(?:{words})\b")) for key, words in TOPIC_WORDS]
# "working at Acme", "life at Stitch Fix": a named company.
_AT_COMPANY = re.compile(r"\b(?:at|for|with|joining) (?-i:[A-Z])\w+")
# For a topic we can't place, questions anyone in any field can answer.
GENERAL = ("work", "challenges", "career", "advice")


@dataclass(frozen=True)
class Prep:
    """What one person gets before a chat.

    ``lines`` are markup templates for ``fmt(line, who=Mention(other), topic=topic)``;
    the question list goes where ``QUESTIONS`` appears in them.
    """

    role: str
    topic: str
    category: Category | None
    questions: tuple[Question, ...]
    lines: tuple[str, ...]


# Where the numbered questions go among ``Prep.lines``.
QUESTIONS = "{questions}"


def clean_topic(topic: str | None) -> str:
    return " ".join((topic or "").split()).strip(" \"'“”‘’.,;:!?")


def topic_category(topic: str | None, bank: Bank) -> Category | None:
    """The bank category a chat's topic is about, or ``None`` when there's no topic.

    A topic the words don't place gets a general mix (their work, challenges, path and
    advice: questions for any field, no tech stack).
    """
    text = clean_topic(topic)
    if not text:
        return None
    direct = bank.find(text)
    if direct is not None:
        return direct
    low = text.lower().replace("’", "'")
    best: tuple[int, int, str] | None = None
    for order, (key, pattern) in enumerate(_TOPIC_PATTERNS):
        hits = len(pattern.findall(low))
        if key == "company" and _AT_COMPANY.search(text):
            hits += 1
        if hits and key in bank.categories:
            score = (-hits, order, key)
            if best is None or score < best:
                best = score
    if best is not None:
        return bank.categories[best[2]]
    return general(bank)


def general(bank: Bank) -> Category:
    """Questions anyone can answer, whatever their field, interleaved by category."""
    columns = [bank.categories[k].questions for k in GENERAL if k in bank.categories]
    mixed: list[Question] = []
    for i in range(max((len(c) for c in columns), default=0)):
        mixed.extend(col[i] for col in columns if i < len(col))
    return Category("general", "A mix", (), tuple(mixed))


def pick(
    pool: tuple[Question, ...],
    *,
    served: Collection[str] = (),
    user: str = "",
    n: int = N_QUESTIONS,
) -> tuple[Question, ...]:
    """``n`` questions from ``pool`` not in ``served``, starting at this person's place in it
    (the same rotation as ``questions.serve``); served ones only if the pool runs dry."""
    if not pool:
        return ()
    shift = zlib.crc32(user.encode()) % len(pool)
    pool = pool[shift:] + pool[:shift]
    fresh = [q for q in pool if q.id not in served]
    picked = fresh[:n]
    if len(picked) < n:
        taken = {q.id for q in picked}
        picked += [q for q in pool if q.id not in taken][: n - len(picked)]
    return tuple(picked)


def plan(
    topic: str | None,
    role: str,
    bank: Bank,
    *,
    served: Collection[str] = (),
    user: str = "",
    n: int = N_QUESTIONS,
) -> Prep:
    """The preparation for ``role`` ("inviter"/"requester" or "invitee") in a chat about
    ``topic`` (``None`` or ``""``: no topic given)."""
    who = ROLES.get(role.lower())
    if who is None:
        raise ValueError(f"unknown role {role!r}")
    text = clean_topic(topic)
    category = topic_category(text, bank)
    if who == INVITEE:
        first = t.INVITEE_TOPIC if text else t.INVITEE_NO_TOPIC
        return Prep(who, text, category, (), (first, t.INVITEE_EASY, t.INVITEE_GIVE))
    pool = category.questions if category else bank.all()
    questions = pick(pool, served=served, user=user, n=n)
    lines = [t.INVITER_LEAD, t.INVITER_LOOK]
    lines.append(t.INVITER_TOPIC if text else t.INVITER_QUESTIONS)
    lines += [QUESTIONS, t.INVITER_CLOSE]
    if category is not None and category.key in bank.categories:
        lines.append(t.INVITER_MORE_TOPIC.replace("{key}", category.key))
    else:
        lines.append(t.INVITER_MORE)
    return Prep(who, text, category, questions, tuple(lines))
