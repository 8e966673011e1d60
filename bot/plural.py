"""Counting words: ``plural(1, "intro")`` → "1 intro", ``plural(2, "reply")`` → "2 replies".

A tiny pure helper so templates never say "1 intros made" or "1 of 1 chats". English
only; the irregular nouns rapport actually uses are listed, everything else follows
the regular rules (-s, -es after a hiss, consonant + y → -ies).
"""

from __future__ import annotations

IRREGULAR: dict[str, str] = {
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "this": "these",
    "that": "those",
    "was": "were",
    "is": "are",
    "has": "have",
    "does": "do",
}
# Nouns whose plural is the singular ("1 series", "2 series").
SAME = frozenset({"series", "feedback", "info", "news", "staff", "sheep"})
_HISS = ("s", "x", "z", "ch", "sh")
_VOWELS = set("aeiou")


def plural_of(word: str) -> str:
    """The plural form of one word (or the last word of a phrase), keeping its case."""
    if not word:
        return word
    head, _, last = word.rpartition(" ")
    lower = last.lower()
    if last.isupper() and len(last) > 1:
        return f"{word}s"  # an acronym: "DMs", "PRs"
    if lower in IRREGULAR:
        out = IRREGULAR[lower]
    elif lower in SAME:
        out = lower
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in _VOWELS:
        out = lower[:-1] + "ies"
    elif lower.endswith(_HISS):
        out = lower + "es"
    else:
        out = lower + "s"
    if last[:1].isupper():
        out = out[:1].upper() + out[1:]
    return f"{head} {out}" if head else out


def noun(n: int, word: str, plural_form: str | None = None) -> str:
    """Just the word, in the form that goes with ``n``: ``noun(2, "chat")`` → "chats"."""
    if abs(n) == 1:
        return word
    return plural_form if plural_form is not None else plural_of(word)


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    """``n`` and the word that goes with it: "1 intro", "0 intros", "2 people".

    ``plural_form`` overrides the rules for a one-off ("1 cactus", "2 cacti").
    """
    return f"{n} {noun(n, word, plural_form)}"
