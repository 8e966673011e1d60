"""Reading a command's arguments: words, quoted phrases, and platform-resolved mentions.

Adapters hand over arguments as parts: text, and users or channels the platform
itself resolved. Text is never searched for identities: ``<@U1>`` typed as text
stays text. A missing or wrong argument raises ``UserError`` with an example.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import UserError
from bot.io import ChannelArg, Part, UserArg
from bot.markup import fmt
from bot.text import UNCLOSED_QUOTE

_WORD = re.compile(r'"([^"]*)"|“([^”]*)”|(\S+)')


@dataclass(frozen=True)
class Quoted:
    """A phrase the user wrapped in quotes, e.g. "someone at Acme"."""

    text: str


Token = str | Quoted | UserArg | ChannelArg


class Args:
    """A cursor over the tokens of one command."""

    def __init__(
        self,
        parts: tuple[Part, ...],
        *,
        example: str | None = None,
        named: Callable[[str], UserArg | None] | None = None,
    ) -> None:
        self.example = example
        # Where a platform lets people name members without @ (the console), the word
        # that stands where a person is expected is looked up; elsewhere it stays text.
        self._named = named
        self._parts = parts
        self._tokens: list[Token] = []
        # Where each token starts (part index, offset), so ``rest`` returns raw text.
        self._starts: list[tuple[int, int]] = []
        for pi, part in enumerate(parts):
            if isinstance(part, str):
                for m in _WORD.finditer(part):
                    if m.group(3) is not None:
                        self._tokens.append(m.group(3))
                    else:
                        self._tokens.append(Quoted(m.group(1) or m.group(2) or ""))
                    self._starts.append((pi, m.start()))
            else:
                self._tokens.append(part)
                self._starts.append((pi, 0))
        self._pos = 0
        # Where a quote opened and never closed begins: read as words, it would be taken
        # for names or times, so taking it is refused (free text, ``rest``, is left as is).
        self._unclosed = next(
            (
                i
                for i, tok in enumerate(self._tokens)
                if isinstance(tok, str) and tok.startswith(('"', "“"))
            ),
            None,
        )

    # -- looking -------------------------------------------------------------

    def empty(self) -> bool:
        return self._pos >= len(self._tokens)

    def peek(self) -> Token | None:
        return self._tokens[self._pos] if not self.empty() else None

    def peek_word(self) -> str | None:
        tok = self.peek()
        return tok.lower() if isinstance(tok, str) else None

    # -- taking --------------------------------------------------------------

    def take(self) -> Token | None:
        tok = self.peek()
        if self._pos == self._unclosed:
            raise UserError(fmt(UNCLOSED_QUOTE, quote=self._quote()), self.example)
        if tok is not None:
            self._pos += 1
        return tok

    def _quote(self) -> str:
        """The unclosed quote as typed, shortened."""
        assert self._unclosed is not None
        pi, start = self._starts[self._unclosed]
        said = " ".join(str(self._parts[pi])[start:].split())
        return said if len(said) <= 40 else said[:40] + "…"

    def take_person(self) -> Token | None:
        """The next token, as a member where the platform lets people be named without @."""
        return self._person(self.take())

    def word(self, what: str) -> str:
        tok = self.take()
        if isinstance(tok, str):
            return tok
        if isinstance(tok, Quoted):
            return tok.text
        raise UserError(f"I expected {what} here.", self.example)

    def user(self, what: str = "a person") -> UserArg:
        """The next token as a member the platform resolved; otherwise a friendly refusal."""
        tok = self._person(self.take())
        if isinstance(tok, UserArg):
            return tok
        if tok is None:
            raise UserError(f"Please mention {what} with @.", self.example)
        shown = tok.text if isinstance(tok, Quoted) else _display(tok)
        raise UserError(
            f"I couldn't find a member called “{shown}”. "
            "Mention them with @ so I know who you mean.",
            self.example,
        )

    def user_or_phrase(self, what: str) -> UserArg | Quoted:
        tok = self._person(self.take())
        if isinstance(tok, (UserArg, Quoted)) and not (
            isinstance(tok, Quoted) and not tok.text.strip()
        ):
            return tok
        if tok is None:
            raise UserError(f"Please name {what}.", self.example)
        raise UserError(
            f"I couldn't find a member called “{_display(tok)}”. Mention a member with @, "
            f'or put someone outside the community in quotes, like "someone at Acme".',
            self.example,
        )

    def _person(self, tok: Token | None) -> Token | None:
        if isinstance(tok, str) and self._named is not None:
            return self._named(tok) or tok
        return tok

    def channel(self, what: str = "a channel") -> ChannelArg:
        tok = self.take()
        if isinstance(tok, ChannelArg):
            return tok
        raise UserError(f"Please name {what} with #.", self.example)

    def rest(self) -> str:
        """Everything not yet taken, as the user wrote it (mentions shown as @name)."""
        if self.empty():
            return ""
        pi, offset = self._starts[self._pos]
        self._pos = len(self._tokens)
        out: list[str] = []
        for i, part in enumerate(self._parts[pi:]):
            if isinstance(part, str):
                out.append(part[offset:] if i == 0 else part)
            else:
                out.append(_display(part))
        return "".join(out).strip()


def _display(tok: Token) -> str:
    if isinstance(tok, UserArg):
        return "@" + (tok.name or tok.id)
    if isinstance(tok, ChannelArg):
        return "#" + (tok.name or tok.id)
    if isinstance(tok, Quoted):
        return f'"{tok.text}"'
    return tok
