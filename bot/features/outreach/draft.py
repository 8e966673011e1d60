"""The opening line of a connection note: "what you admire about their work" → one
grammatical sentence spoken to them.

People type that phrase every way there is: "her team's launch of the new search API",
"I loved your post about hiring juniors", "loved your talk", "congrats on the IPO",
"how she explains CRDTs", "she leads the data team", "shipped the new checkout!".
:func:`opening` turns any of them into a sentence addressed to the reader, never
"I really enjoyed I loved your post" or "I really enjoyed her team's launch":

- third person becomes second person, with the verb agreeing ("she leads" → "you
  lead", "he has" → "you have", "she's shipped" → "you've shipped", "her talk" → "your
  talk", "I met her" → "I met you"), and so does the reader's own name when given;
- the frame fits what was typed: a sentence in the member's voice is kept ("I loved…"),
  a verb without its "I" gets one ("loved…" → "I loved…"), news becomes "I saw that…"
  (with a "Congratulations!" for a milestone), a milestone noun becomes "Congratulations
  on…!", a piece of work becomes "I really enjoyed…", a bare topic "…your work on…";
- one capital at the start, one sentence-final mark at the end, single spaces.

Pure string work: no I/O, no store. The frames are English grammar, so they live here
rather than in a text module.
"""

from __future__ import annotations

import re

# -- the frames ----------------------------------------------------------------------
ENJOYED = "I really enjoyed {p}."
ENJOYED_READING = "I really enjoyed reading {p}."
ENJOYED_YOUR = "I really enjoyed your {p}."
WORK_ON = "I really enjoyed your work on {p}."
SAW_THAT = "I saw that {p}."
SAW_THAT_YOU = "I saw that you {p}."
SAW_YOU_ARE = "I saw that you're {p}."
CONGRATULATIONS = " Congratulations!"
CONGRATS_ON = "Congratulations on {p}!"
THOUGHT = "I thought {p}."
THINK = "I think {p}."
ADMIRE_WORK = "I really admire your work."
WORK_YOU_DO = "I really admire the work {p} do."
LOVED_HOW = "I loved how you {p}."
LIKE_THAT = "I really like {p}."
AS_IS = "{p}."
AS_IS_GLAD = "{p}!"

# -- word lists ----------------------------------------------------------------------


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


ADVERBS = _set(
    "really just recently also always totally truly absolutely genuinely honestly "
    "especially particularly finally already actually definitely still now often "
    "usually never clearly constantly regularly thoroughly completely so very"
)
# What the member did: "loved your talk" is "I loved your talk".
SENDER_VERBS = _set(
    "loved love enjoyed enjoy liked like admired admire appreciated appreciate read saw "
    "watched heard listened learned learnt noticed attended found followed follow came "
    "stumbled discovered went was am keep kept caught used use recommend recommended "
    "bookmarked devoured binged remember remembered missed can't cannot couldn't "
    "been have had attend watch listen learn notice discover"
)
# What the reader did: "shipped the checkout" is "you shipped the checkout".
RECIPIENT_VERBS = _set(
    "shipped launched released published wrote gave spoke presented built created "
    "designed led organised organized hosted raised grew founded started joined opened "
    "won got became made moved switched announced open-sourced rebuilt redesigned "
    "migrated scaled taught mentored ran finished completed hit reached passed "
    "celebrated landed graduated earned received completed co-founded cofounded "
    "explained shared"
)
# Third person singular verbs a subject may have been left off ("leads the data team").
RECIPIENT_3SG = _set(
    "leads runs manages teaches writes builds organises organizes maintains hosts "
    "works speaks mentors creates designs makes shares heads coaches edits curates "
    "researches studies"
)
ADJ_ED = _set(
    "distributed automated detailed advanced animated related applied embedded red "
    "excited interested based located focused involved dedicated committed qualified "
    "experienced skilled talented motivated obsessed invested engaged tired pleased "
    "thrilled delighted called named supposed used known well-known sophisticated "
    "underrated overrated naked biased balanced limited unlimited connected "
    "self-taught self-hosted"
)
PARTICIPLES = _set(
    "been done built written given made led grown shown taken won gone begun run spoken "
    "got gotten become seen known brought taught found held kept left lost met paid put "
    "said sent set spent told thought understood"
)
SENDER_GERUNDS = _set(
    "reading seeing watching listening hearing following learning meeting using "
    "attending discovering studying"
)
DETERMINERS = _set(
    "the a an this that these those your some all every each one two three four five "
    "many several another any"
)
WH = _set("how what")
WELL_DONE = re.compile(
    r"\bso (?:well|clearly|simply|nicely|beautifully|thoughtfully)\b"
    r"|\b(?:beautifully|brilliantly|elegantly|thoughtfully)\b",
    re.IGNORECASE,
)
WH_READ = _set("why when where whether")
CONGRATS = ("congrats", "congratulations", "kudos", "bravo", "well done", "hats off")
THANKS = ("thanks", "thank you")
FIRST_PERSON = _set("i i'm i've i'd i'll we we're we've we'd my our me")
YOU = _set("you you're you've you'd you'll")
CLAUSE_MARKERS = _set(
    "is are was were has have had just recently finally won got went became hit reached "
    "shipped launched released raised announced published opened joined made passed "
    "turned grew started hired"
)
EVALUATIVE = _set(
    "great amazing so really super brilliant excellent fantastic wonderful inspiring "
    "helpful useful insightful fun clear beautiful awesome incredible impressive "
    "thoughtful lovely eye-opening very spot-on superb terrific outstanding"
)
STOP = _set("of on at in about for with from to by during into over how that which who and or")
MILESTONE_NOUNS = (
    r"launch|launches|ipo|release|promotion|new role|new job|new position|funding|round"
    r"|anniversary|award|acquisition|graduation|book deal|milestone|raise|series [a-e]"
)
MILESTONE = re.compile(
    r"\b(?:shipped|launched|released|went public|ipo'?d?|promoted|joined|won|raised"
    r"|published|graduated|founded|co-?founded|opened|hit|reached|landed|hiring|growing"
    rf"|started (?:a|your|at)|celebrat\w*|{MILESTONE_NOUNS})\b",
    re.IGNORECASE,
)
WORK_NOUNS = _set(
    "talk talks post posts article articles blog project projects paper papers book video "
    "videos course newsletter podcast research design app product library keynote thread "
    "piece essay study report campaign exhibition exhibit show series episode lecture "
    "workshop class guide tutorial thesis demo panel webinar speech presentation portfolio "
    "launch release redesign write-up writeup interview session deck documentary album "
    "collection work"
)
OBJECT_NEXT = _set(
    "at on in to for with about from by during last yesterday today this and or but so "
    "speak present explain say mention describe demo share when while again once twice "
    "recently back out up online before after live talking speaking presenting "
    "explaining"
)
# Third person → second person (the verb after a singular subject is fixed separately).
SWAP = {
    "she": "you",
    "he": "you",
    "they": "you",
    "him": "you",
    "them": "you",
    "his": "your",
    "their": "your",
    "hers": "yours",
    "theirs": "yours",
    "herself": "yourself",
    "himself": "yourself",
    "themselves": "yourself",
    "themself": "yourself",
    "they're": "you're",
    "they've": "you've",
    "they'd": "you'd",
    "they'll": "you'll",
    "she'd": "you'd",
    "he'd": "you'd",
    "she'll": "you'll",
    "he'll": "you'll",
}
SINGULAR_SUBJECTS = frozenset({"she", "he"})
IRREGULAR_3SG = {
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "goes": "go",
    "isn't": "aren't",
    "wasn't": "weren't",
    "hasn't": "haven't",
    "doesn't": "don't",
}
THIRD_PERSON = re.compile(
    r"\b(?:she|he|her|his|him|hers|herself|himself|they|them|their|theirs|themselves"
    r"|she's|he's|they're|they've|she'd|he'd|they'd|she'll|he'll|they'll)\b",
    re.IGNORECASE,
)

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_WORD = re.compile(r"([^\w']*)([\w'&.-]*\w)?([^\w]*)")
_LEADING = re.compile(r"^[\s\-–—•*>:;,.!?]+")
_TRAILING = re.compile(r"[^\w)\"'%]+$")


# -- third person → second person -----------------------------------------------------


class _Tok:
    __slots__ = ("core", "post", "pre")

    def __init__(self, word: str) -> None:
        m = _WORD.fullmatch(word)
        if m is None or m.group(2) is None:
            self.pre, self.core, self.post = word, "", ""
        else:
            self.pre, self.core, self.post = m.group(1), m.group(2), m.group(3)

    @property
    def low(self) -> str:
        return self.core.lower()

    def text(self) -> str:
        return self.pre + self.core + self.post

    def set(self, new: str, keep_case: bool = True) -> None:
        if keep_case and self.core[:1].isupper() and new:
            new = new[0].upper() + new[1:]
        self.core = new


def _base_form(verb: str) -> str:
    """ "leads" → "lead", "teaches" → "teach", "tries" → "try": the form after "you"."""
    low = verb.lower()
    if low in IRREGULAR_3SG:
        return IRREGULAR_3SG[low]
    if len(low) > 4 and low.endswith("ies"):
        return verb[:-3] + "y"
    if low.endswith(("ches", "shes", "sses", "xes", "zzes", "oes")):
        return verb[:-2]
    if low.endswith("s") and not low.endswith(("ss", "us", "is")):
        return verb[:-1]
    return verb


def _agree(toks: list[_Tok], i: int) -> None:
    """Make the verb after a "you" that used to be "she"/"he"/a name agree with it."""
    j = i + 1
    while j < len(toks) and toks[j].low in ADVERBS and not toks[j - 1].post.strip():
        j += 1
    if j >= len(toks) or toks[j - 1].post.strip() or not toks[j].core:
        return
    word = toks[j].low
    if word in IRREGULAR_3SG or (
        word.endswith("s") and word not in WORK_NOUNS and not word.endswith(("ss", "us"))
    ):
        toks[j].set(_base_form(toks[j].core))


def _contraction(toks: list[_Tok], i: int) -> str:
    """ "she's" is "you're" before a noun or -ing, "you've" before a participle."""
    j = i + 1
    while j < len(toks) and toks[j].low in ADVERBS:
        j += 1
    nxt = toks[j].low if j < len(toks) else ""
    if nxt in PARTICIPLES or (nxt.endswith("ed") and nxt not in ADJ_ED):
        return "you've"
    return "you're"


def _named(low: str, name: str) -> str | None:
    """How a word refers to the reader by name: "subject", "possessive" or None."""
    if low == name:
        return "subject"
    if low in (f"{name}'s", f"{name}s'", f"{name}'"):
        return "possessive"
    return None


def second_person(phrase: str, name: str | None = None) -> str:
    """Speak to the reader: "her talk" → "your talk", "she leads" → "you lead".

    ``name`` (the reader's first name) is turned into "you"/"your" as well.
    """
    toks = [_Tok(w) for w in phrase.split()]
    who = (name or "").strip().lower().translate(_QUOTES)
    if not re.fullmatch(r"[a-z][a-z'-]*", who):
        who = ""
    for i, tok in enumerate(toks):
        low = tok.low.translate(_QUOTES)
        if not low:
            continue
        ends_clause = bool(tok.post.strip())
        nxt = toks[i + 1].low if i + 1 < len(toks) and not ends_clause else ""
        named = _named(low, who) if who else None
        if low in SINGULAR_SUBJECTS or named == "subject":
            if named == "subject" and nxt and nxt not in ADVERBS and not _verbish(nxt):
                tok.set("you", keep_case=i == 0)  # "I met Dana at PyCon": no verb to fix
                continue
            tok.set("you", keep_case=named is None or i == 0)
            _agree(toks, i)
        elif low in ("she's", "he's") or (
            named == "possessive" and low.endswith("'s") and _is_copula_next(toks, i)
        ):
            tok.set(_contraction(toks, i), keep_case=named is None or i == 0)
        elif named == "possessive":
            tok.set("your", keep_case=i == 0)
        elif low == "her":
            tok.set("you" if not nxt or nxt in OBJECT_NEXT or nxt in DETERMINERS else "your")
        elif low == "his" and not nxt:
            tok.set("yours")
        elif low in SWAP:
            tok.set(SWAP[low])
    return " ".join(t.text() for t in toks if t.text())


def _verbish(word: str) -> bool:
    return (
        word in IRREGULAR_3SG
        or word in RECIPIENT_3SG
        or word in RECIPIENT_VERBS
        or word in ADVERBS
        or word.endswith("ed")
    )


def _is_copula_next(toks: list[_Tok], i: int) -> bool:
    """ "Dana's hiring" / "Dana's been" read as "Dana is/has", not "Dana's talk"."""
    j = i + 1
    while j < len(toks) and toks[j].low in ADVERBS:
        j += 1
    if j >= len(toks):
        return False
    nxt = toks[j].low
    return (
        nxt.endswith("ing")
        or nxt in PARTICIPLES
        or nxt in DETERMINERS - {"your", "that", "this"}
        or nxt in ("now", "back", "at", "in", "on", "so", "such")
    ) and nxt not in WORK_NOUNS


# -- the sentence ----------------------------------------------------------------------


def clean(admire: str) -> str:
    """One line, straight quotes, no wrapping quotes, no leading bullet or trailing marks."""
    text = " ".join(admire.translate(_QUOTES).split())
    for _ in range(3):
        text = _LEADING.sub("", text)
        text = _TRAILING.sub("", text).strip()
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
            text = text[1:-1].strip()
    # Close a bracket or quote the trailing strip may have left open, by removing it.
    if text.count("(") > text.count(")"):
        text = text.replace("(", "", text.count("(") - text.count(")"))
    if text.count('"') % 2:
        text = text.replace('"', "")
    return text


def _lower_first(p: str, words: list[str]) -> str:
    """ "Your talk" → "your talk" inside our frame; "PyCon keynote" keeps its capital."""
    first = words[0] if words else ""
    low = first.lower()
    known = (
        low in DETERMINERS
        or low in SENDER_VERBS
        or low in RECIPIENT_VERBS
        or low in RECIPIENT_3SG
        or low in ADVERBS
        or low in WH
        or low in WH_READ
        or low in YOU
        or low in SENDER_GERUNDS
        or low in EVALUATIVE
        or low in WORK_NOUNS
        or low in ("great", "new", "recent", "latest", "last", "that", "way")
        or (low.endswith("ing") and first[1:].islower())
        or (low.endswith("ed") and first[1:].islower())
    )
    if first[:1].isupper() and first[1:].islower() and known:
        return p[:1].lower() + p[1:]
    return p


def _head(words: list[str]) -> list[str]:
    """The words of a noun phrase before its first preposition: "your team's launch"."""
    out = []
    for w in words:
        if w in STOP:
            break
        out.append(w)
    return out


def _frame(p: str) -> str:
    tokens = p.split()
    words = [w.strip(',;:()"').lower() for w in tokens]
    if not words or not words[0]:
        return AS_IS.format(p=p) if p else ""
    first, rest = words[0], words[1:]
    i = 0
    while i < len(words) - 1 and words[i] in ADVERBS:
        i += 1
    verb = words[i]
    joined = " ".join(words)
    head = _head(words)
    determined = first in DETERMINERS or any(w.endswith(("'s", "s'")) for w in head)

    if first in FIRST_PERSON:
        return (AS_IS_GLAD if _congratulates(joined) else AS_IS).format(p=p)
    if joined.startswith(CONGRATS):
        return AS_IS_GLAD.format(p=p)
    if joined.startswith(THANKS):
        return AS_IS.format(p=p)
    if first == "been" or (first in ("have", "having") and rest[:1] == ["been"]):
        return AS_IS.format(p="I've " + (p if first == "been" else p.split(None, 1)[1]))
    if verb in SENDER_VERBS:
        return AS_IS.format(p="I " + p)
    if joined in ("you", "yours", "your"):
        return ADMIRE_WORK
    if first in YOU:
        if rest[:1] == ["and"] and not any(_verbish(w) for w in rest):
            return WORK_YOU_DO.format(p=p)  # "him and his team" → "you and your team"
        if first == "you're" and rest[:1] in (["a"], ["an"], ["such"], ["so"]):
            return THINK.format(p=p)
        return _news(SAW_THAT.format(p=p), p)
    if first == "that" and rest[:1] and rest[0] in YOU:
        return LIKE_THAT.format(p=p)
    judged = _judged(words)
    if judged:  # "your talk on data pipelines was great": an opinion of it
        return (THOUGHT if judged in ("was", "were") else THINK).format(p=p)
    if first in WH or (first == "the" and rest[:1] == ["way"]):
        return ENJOYED.format(p=p)
    if first in WH_READ:
        return ENJOYED_READING.format(p=p)
    if first.endswith("ing") and first not in WORK_NOUNS:
        if first in SENDER_GERUNDS:
            return ENJOYED.format(p=p)
        return _news(SAW_YOU_ARE.format(p=p), p)
    if verb in RECIPIENT_3SG:
        tokens[i] = _base_form(tokens[i])
        p = " ".join(tokens)
        verb = words[i] = _base_form(verb)
    if (
        verb in RECIPIENT_VERBS
        or verb in {_base_form(v) for v in RECIPIENT_3SG}
        or (verb.endswith("ed") and verb not in ADJ_ED and verb not in WORK_NOUNS)
    ):
        if WELL_DONE.search(p):
            return LOVED_HOW.format(p=p)
        return _news(SAW_THAT_YOU.format(p=p), p)
    clause = _clause_at(words)
    if clause is not None:
        after = words[clause + 1] if clause + 1 < len(words) else ""
        if words[clause] in ("is", "are", "was", "were") and after in EVALUATIVE:
            return THOUGHT.format(p=p)
        return _news(SAW_THAT.format(p=p), p)
    if re.search(rf"\b(?:{MILESTONE_NOUNS})\b", " ".join(head)):
        return CONGRATS_ON.format(p=p if determined else "your " + p)
    if determined:
        if first in ("a", "an") and len(tokens) > 1:
            p = "the " + p.split(None, 1)[1]  # "a thread you wrote" → "the thread you wrote"
        return ENJOYED.format(p=p)
    if " of yours" in joined:
        return ENJOYED.format(p="that " + p)
    if any(w in WORK_NOUNS for w in head):
        return ENJOYED_YOUR.format(p=p)
    return WORK_ON.format(p=p)


def _clause_at(words: list[str]) -> int | None:
    """Where the verb is, if the phrase is a clause: "your team just launched X" → 2.

    "your team's launch" has no verb, and "the talk you gave" is a noun with a relative
    clause, so neither is one.
    """
    for j in range(1, min(len(words), 5)):
        w = words[j]
        if w in STOP or w in YOU or w in FIRST_PERSON:
            return None
        if w in CLAUSE_MARKERS:
            return j
        if w in RECIPIENT_VERBS and j >= 2 and words[j - 1] not in DETERMINERS:
            return j
    return None


def _judged(words: list[str]) -> str:
    """The verb, when the phrase judges its subject: "… was (really) great" → "was"."""
    for j, w in enumerate(words[1:], 1):
        if w not in ("is", "are", "was", "were", "'s"):
            continue
        k = j + 1
        while k < len(words) - 1 and words[k] in ADVERBS:
            k += 1
        if k < len(words) and words[k] in EVALUATIVE:
            return w
    return ""


def _congratulates(text: str) -> bool:
    return text.startswith(CONGRATS) or " congrats" in text or "congratulations" in text


def _news(sentence: str, p: str) -> str:
    """News gets a "Congratulations!" when it is a milestone: a launch, a new role…"""
    if MILESTONE.search(p) and not _congratulates(p.lower()):
        return sentence + CONGRATULATIONS
    return sentence


def _tidy(sentence: str) -> str:
    s = re.sub(r"\s+", " ", sentence).strip()
    s = re.sub(r"\s+([,.!?;:])", r"\1", s)
    s = re.sub(r"\bi\b(?!\.)", "I", s)  # "i loved" → "I loved"
    s = re.sub(r"\byour your\b", "your", s, flags=re.IGNORECASE)
    s = re.sub(r"\bthat you are\b", "that you're", s)
    s = re.sub(r"([.!?])[.!?]+", r"\1", s)
    return s[:1].upper() + s[1:]


def opening(admire: str, name: str | None = None) -> str:
    """One opening sentence to the reader about their work, or ``""`` if nothing was given.

    >>> opening("her team's launch of the new search API")
    "Congratulations on your team's launch of the new search API!"
    >>> opening("I loved your post about hiring juniors")
    'I loved your post about hiring juniors.'
    >>> opening("she leads the data team at Acme")
    'I saw that you lead the data team at Acme.'
    """
    text = clean(admire)
    if not text or not re.search(r"\w", text):
        return ""
    p = second_person(text, name)
    p = _lower_first(p, p.split())
    return _tidy(_frame(p))
