"""Reviewing a connection note before it is sent: pure, structured findings.

The first rule of a first message is to ask for nothing big: not a job, a referral,
an interview, a résumé review, not even a coffee (that comes after they accept). The
note should also be about *their work* (curious, not creepy: never their family,
photos, home or looks), specific rather than merely glowing, and short.

``review(note)`` returns :class:`Finding` s, most important first, each with its
kind, a short title, a kind suggestion of what to do instead, and the phrase of the
note that earned it (the whole sentence where that reads better, ``""`` where there
is nothing to quote: length, something missing). No findings means ready to send.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.features.outreach import text as t

LIMIT = 300  # connection notes get cut off around here
QUOTE_MAX = 100  # longer sentences are quoted around the offending words

# Asking for something big; the order is the order findings are reported in.
BIG_ASKS = ("job_ask", "referral_ask", "interview_ask", "resume_ask", "mentor_ask")
ORDER = (*BIG_ASKS, "too_personal", "coffee_ask", "flattery", "not_personal")
ORDER += ("too_long", "brackets", "no_intro")

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})
_BRACKETS = re.compile(r"\[[^\]]*\]")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_F = re.IGNORECASE

_RESUME = r"(?:resume|résumé|cv|portfolio|cover letter|application|linkedin|profile|github)"

# Asks that are big wherever they appear.
_STRONG: dict[str, re.Pattern[str]] = {
    "job_ask": re.compile(
        r"\b(?:(?:are|is) (?:you|your (?:\w+ )?(?:team|company|group|org\w*|startup|lab)"
        r"|the team|anyone|(?-i:[A-Z])\w+) (?:currently |still |by any chance )?hiring"
        r"|hire me|consider me for|give me a (?:job|role|chance)"
        r"|(?:offer|get|find) me a (?:job|role|position)"
        r"|(?:any|are there(?: any)?) (?:open )?(?:roles|positions|openings|jobs|vacancies)"
        r"|(?:job|role|position|opening)s? (?:for me|on your team|at your company))\b",
        _F,
    ),
    "referral_ask": re.compile(
        r"\b(?:refer me|put in a (?:good )?word|recommend me|vouch for me"
        r"|(?:pass|forward|send) (?:along |on )?my (?:resume|résumé|cv|application)"
        r"|(?:a|your) referral)\b",
        _F,
    ),
    "interview_ask": re.compile(
        r"\b(?:interview me|(?:get|land|set up|arrange|offer me|give me) (?:me )?an interview)\b",
        _F,
    ),
    "resume_ask": re.compile(
        rf"\b(?:(?:look|looking) (?:at|over|through) my {_RESUME}"
        rf"|(?:review|check|read|critique) (?:over |through )?my {_RESUME}"
        rf"|(?:feedback|thoughts|eyes) on my {_RESUME}"
        r"|my (?:resume|résumé|cv) (?:is )?attached|attached (?:is )?my (?:resume|résumé|cv)"
        r"|(?:resume|résumé|cv) review)\b",
        _F,
    ),
    "mentor_ask": re.compile(r"\b(?:(?:be|become) my mentor|mentor me)\b", _F),
}
# Words that are a big ask only inside a sentence that asks for something.
_IN_ASK: dict[str, re.Pattern[str]] = {
    "job_ask": re.compile(
        r"(?<!your )\b(?:(?:a|any|an|open|new) (?:job|role|position|opening|vacancy)s?"
        r"|openings?|join your (?:team|company)|work (?:for|with|at) (?:you|your))\b",
        _F,
    ),
    "referral_ask": re.compile(r"\brefer(?:ral|rals|red|ring)?\b", _F),
    "interview_ask": re.compile(r"\binterviews?\b", _F),
    "resume_ask": re.compile(r"\b(?:resume|résumé|cv)\b", _F),
    "mentor_ask": re.compile(r"\bmentor(?:ing|ship)?\b", _F),
}
_ASKING = re.compile(
    r"\?|\b(?:would|could|can|will) you\b|\bwould it be possible\b|\bany chance\b"
    r"|\b(?:i'd|i would|i'll|i will) (?:love|like|appreciate|be grateful|be thrilled|be happy)\b"
    r"|\bplease\b|\bhoping (?:you|to|for)\b|\bwondering\b|\bif you (?:could|can|have|know)\b"
    r"|\blet me know\b|\b(?:do|would) you mind\b|\bi(?:'m| am) (?:looking|hoping|asking)\b"
    r"|\bi (?:want|need)\b",
    _F,
)

# Today's knowledge of a coffee ask, kept as it was in ``/outreach review``.
COFFEE_ASK = re.compile(
    r"\b(coffee|tea|lunch|drinks?|(a|quick|short|brief|virtual) (call|chat|meeting|zoom|meet)"
    r"|hop on|jump on|\d+\s*-?\s*min(ute)?s?\b|pick your brain|meet up|meet for|get together"
    r"|set up a time|schedule (a |some )?(time|call|chat|meeting)|book (a |some )?time"
    r"|calendly|zoom|your calendar|(love|like|want|happy|glad) to (chat|talk|meet|hop)"
    r"|catch up over|are you free|free (for|to) (a|chat|talk|meet))\b",
    _F,
)

_RELATIVES = (
    r"kids?|children|son|daughter|bab(?:y|ies)|family|wife|husband|partner|spouse"
    r"|girlfriend|boyfriend|fianc[ée]e?|mom|mum|dad|mother|father|parents"
)
TOO_PERSONAL = re.compile(
    rf"\byour (?:{_RELATIVES})\b(?! (?:of|business|company|app|product|project|startup))"
    r"|\byour (?:wedding|honeymoon|divorce|pregnancy|vacation|holiday|weekend|dating"
    r"|love life|personal life|private life|home|house|apartment|flat|address"
    r"|neighbou?rhood|street|hair|smile|eyes|outfit|looks|face|body|weight|diagnosis"
    r"|religion|church|age|birthday)\b(?! ?(?:of|app|page|screen|office|project|product"
    r"|work|startup|business|company|tech))"
    r"|\b(?:kids?'?|children'?s?|family|vacation|holiday|wedding|beach|school|baby)"
    r" (?:photos?|pics?|pictures?|selfies?)\b"
    r"|\b(?:photos?|pics?|pictures?|selfies?|stories) (?:on|from|in) (?:your )?"
    r"(?:facebook|instagram|tiktok)\b|\b(?:on|from|via|in) your (?:facebook|instagram|tiktok)\b"
    r"|\byour (?:facebook|instagram|tiktok)(?! (?:team|ads|app|marketing|campaign))\b"
    r"|\byour selfies?\b"
    r"|\byou(?:'re| are| look)(?: so| really| very)? (?:cute|adorable|gorgeous|beautiful"
    r"|handsome|pretty|attractive|sexy|hot|young)\b"
    r"|\bso cute\b|\badorable\b|\bwhere you live\b|\b(?:near|by|past) your (?:place|home)\b"
    r"|\bhow old\b|\bpregnan\w*|\bprivate life\b|\bpersonal life\b",
    _F,
)
FLATTERY = re.compile(
    r"\byou(?:'re| are)(?: (?:just|truly|so|really|absolutely|literally|such|simply))*"
    r" (?:amazing|awesome|incredible|brilliant|a genius|(?:so )?talented|the best|a legend"
    r"|a rock ?star|an inspiration|inspiring|my idol|my hero|my role model|wonderful"
    r"|fantastic|phenomenal|the greatest|goals)\b"
    r"|\b(?:huge|big|biggest|massive|long[- ]time|great|such a) fan\b|\bfan of yours\b"
    r"|\b(?:love|admire|adore) (?:all |everything about )?(?:you\b|your (?:work|stuff|content"
    r"|everything|vibe|energy|profile|page)\b)"
    r"|\byour (?:work|content|profile|stuff) is (?:so |really |just )?(?:amazing|awesome"
    r"|incredible|great|fantastic|inspiring)\b"
    r"|\b(?:you|your work) (?:really |truly )?inspires? me\b|\bi admire you\b"
    r"|\b(?:legend|idol|role model|rock ?star|genius)\b",
    _F,
)
_WORK_NOUNS = (
    r"talk|post|article|blog|project|paper|book|video|course|newsletter|podcast|research"
    r"|design|app|product|library|keynote|thread|piece|essay|study|report|campaign"
    r"|exhibit\w*|show|series|episode|lecture|workshop|class|guide|tutorial|thesis|launch"
    r"|release|demo|panel|webinar|speech|presentation|case study|team'?s?|company'?s?"
    r"|startup'?s?|work (?:on|at|with|in)|redesign|rebrand|migration|feature|api|tool|site"
    r"|website|meetup|community|standups?|write-?up|deck|initiative|program(?:me)?"
    r"|conference|open[- ]source|interview|documentary|album|collection"
)
SPECIFIC = re.compile(
    rf"\b(?:your|the|that|their) (?:[\w'-]+ ){{0,2}}(?:{_WORK_NOUNS})\b"
    r"|\b(?:how|the way|what|why|that) you(?:'ve)? (?:just |recently )?(?:\w+ed|built|ran|run"
    r"|lead|led|wrote|write|gave|spoke|made|taught|teach|explain\w*|handle\w*|approach\w*"
    r"|think about|said|grew|left|chose|took|began|went|did|open-sourced)\b"
    r"|\b(?:met|heard|saw|watched) you\b"
    r"|\bcongrat\w*(?: on| to)?\b|\bkudos\b|\blaunch\w*|\bshipped\b|\breleased?\b|\bannounce\w*"
    r"|\bipo'?d?\b|\bpromot\w*|\bnew (?:role|job|position)\b|\bjoined\b|\bpublished\b"
    r"|\b(?:saw|read|watched|heard|noticed|attended|listened to|came across) (?:your|how|that"
    r"|what|the|about)\b",
    _F,
)
INTRO = re.compile(
    r"\b(i'm|im|i am|my name|i work|i've been|i study|i recently|i just|as an? |i lead|i build"
    r"|i'm a|i run|i teach)",
    _F,
)


@dataclass(frozen=True)
class Finding:
    """One thing the review noticed: ``kind`` (a key of ``text.FINDINGS``), a short
    ``title``, a kind ``message`` saying what to do instead, and the ``phrase`` of the
    note that earned it (``""`` when there is nothing to quote)."""

    kind: str
    title: str
    message: str
    phrase: str = ""


def finding(kind: str, phrase: str = "", **values: int) -> Finding:
    title, message = t.FINDINGS[kind]
    return Finding(kind, title, message.format(**values) if values else message, phrase)


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def _quote(note: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """The sentence holding ``note[start:end]``, or the words around it if that is long."""
    for a, b in spans:
        if a <= start < b:
            sentence = " ".join(note[a:b].split())
            if len(sentence) <= QUOTE_MAX:
                return sentence
            break
    a = max(0, start - 30)
    b = min(len(note), end + 30)
    words = note[a:b].split()
    if a > 0 and len(words) > 1:
        words = words[1:]  # drop a word cut in half
    if b < len(note) and len(words) > 1:
        words = words[:-1]
    return ("…" if a > 0 else "") + " ".join(words) + ("…" if b < len(note) else "")


def big_asks(text: str) -> list[tuple[str, re.Match[str]]]:
    """The big asks in ``text``, one match per kind, in ``BIG_ASKS`` order."""
    found: dict[str, re.Match[str]] = {}
    for kind, pattern in _STRONG.items():
        m = pattern.search(text)
        if m:
            found[kind] = m
    for a, b in _sentences(text):
        sentence = text[a:b]
        if not _ASKING.search(sentence):
            continue
        for kind, pattern in _IN_ASK.items():
            m = pattern.search(text, a, b)
            if m and kind not in found:
                found[kind] = m
    return [(kind, found[kind]) for kind in BIG_ASKS if kind in found]


def review(note: str, *, first: bool = True) -> list[Finding]:
    """What to fix in a connection note, most important first; ``[]`` means ready.

    ``first``: the note is a first message to someone who doesn't know you yet, the
    case the advice is about. For a later message (they already accepted), asking for
    a chat, a referral or a review is fair, so only the other checks apply.
    """
    # Same length as the note, so match positions point into the note itself.
    text = note.translate(_APOSTROPHES)
    text = _BRACKETS.sub(lambda m: " " * len(m.group()), text)
    spans = _sentences(text)

    def quoted(m: re.Match[str]) -> str:
        return _quote(note, m.start(), m.end(), spans)

    out: list[Finding] = []
    if first:
        out += [finding(kind, quoted(m)) for kind, m in big_asks(text)]
    personal = TOO_PERSONAL.search(text)
    if personal:
        out.append(finding("too_personal", quoted(personal)))
    coffee = COFFEE_ASK.search(text)
    if first and coffee:
        out.append(finding("coffee_ask", quoted(coffee)))
    specific = SPECIFIC.search(text)
    flattery = FLATTERY.search(text)
    if flattery and not specific:
        out.append(finding("flattery", quoted(flattery)))
    elif not specific:
        out.append(finding("not_personal"))
    if len(note) > LIMIT:
        out.append(finding("too_long", n=len(note), limit=LIMIT))
    bracket = _BRACKETS.search(note)
    if bracket:
        out.append(finding("brackets", bracket.group()))
    if not INTRO.search(text):
        out.append(finding("no_intro"))
    return out


def ready(findings: list[Finding]) -> bool:
    """Nothing to fix: good to send."""
    return not findings
