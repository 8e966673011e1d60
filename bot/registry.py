"""Command families: each feature in ``bot/features`` declares its ``Family``.

A family names its subcommands, the buttons it answers and the scheduled events
it handles. Help text comes from the handlers' own docstrings, so ``/rapport help``,
the Slack manifest and Discord's command tree all say the same thing.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from bot.markup import FORMER

if TYPE_CHECKING:
    from datetime import datetime

    from bot.args import Args
    from bot.context import Context
    from bot.io import Form, HomeSection, HomeView, Output
    from store import Store

Outputs = list["Output"]
SubHandler = Callable[["Context", "Args"], Outputs]
ButtonHandler = Callable[["Context", str], Outputs]
DueHandler = Callable[["Context", dict[str, Any]], Outputs]
# A form, built from what its key carries after the form's name: (ctx, key_arg) → Form.
FormBuilder = Callable[["Context", str], "Form"]
# A submitted form: (ctx, key_arg, values) → outputs, or raises ``FieldErrors``.
FormHandler = Callable[["Context", str, dict[str, Any]], Outputs]
HomeHandler = Callable[["Context"], "HomeView"]
# A hold policy a family brings to the outbox (quiet hours, caps), made for one core;
# it may wrap the due-handlers too (``wrap_event(name, handler)``).
PolicyFactory = Callable[[Any], Any]
# Housekeeping of a family's tables that only grow: (store, now) → how many records went.
Housekeeper = Callable[["Store", "datetime"], int]
# One section of a member's home from this family's records (None: nothing to show).
HomeSectionBuilder = Callable[["Context", str], "HomeSection | None"]
# The member's own open items matching what they typed so far: (label, id) pairs.
ItemSource = Callable[["Context", str], list[tuple[str, str]]]

Kind = Literal["user", "channel", "text", "quoted", "time", "choice", "zone", "item", "family"]


# Who an erased member becomes in other people's records (shown as words: ``markup``).
FORMER_MEMBER = FORMER
# A feature's part of erasing a member: ``(ctx, uid, notes)``; ``notes`` collects
# (user, message) pairs the erasure sends to the people it affects.
Eraser = Callable[["Context", str, list[tuple[str, Any]]], None]


@dataclass(frozen=True)
class Kept:
    """What rapport keeps in one table, declared by whoever writes it (for export and erase).

    ``mine(doc, uid)`` says whether a record is the member's (their export); by default a
    record is theirs when its ``user`` or ``owner`` is them. In a ``shared`` table other
    people's records that name the member are kept with the member replaced; the member's
    own (``owner`` field) are deleted. ``exported=False``: bookkeeping, not personal data.
    """

    table: str
    mine: Callable[[dict[str, Any], str], bool] | None = None
    shared: bool = False
    owner: str | None = None
    exported: bool = True


@dataclass(frozen=True)
class Numbers:
    """What a family counts, for ``/rapport stats`` and the weekly digest.

    ``member(ctx, user)``: that member's own numbers; ``steps(ctx, user)``: the moments
    they took a step toward someone (the streak); ``window(ctx, start, end)``: the
    community's numbers for the moments in (start, end]. Keys are shared words
    (``requests``, ``intros``, ``chats``, ``followups``, ``wins``…), added up across
    families.
    """

    member: Callable[[Context, str], dict[str, int]] | None = None
    steps: Callable[[Context, str], list[Any]] | None = None
    window: Callable[[Context, Any, Any], dict[str, int]] | None = None


@dataclass(frozen=True)
class Param:
    """One typed parameter of a subcommand, declared once.

    Slack and the console read it from the typed text (the handler's ``Args``); platforms
    with native options (Discord) build a picker, choice list or autocomplete from it and
    turn the chosen value back into the same text, so the core cannot tell them apart.
    """

    name: str
    kind: Kind
    help: str
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()  # (what people see, what the core reads)
    items: ItemSource | None = None  # for ``item``: the member's own open items
    prefix: str = ""  # words typed before the value, e.g. "size" → "size 3"
    unless: str = ""  # leave this one out when that one was given


@dataclass(frozen=True)
class Variant:
    """One way to use a subcommand, as a native command names it.

    ``path`` is the name under ``/family`` (``("ask",)`` or ``("roulette", "enable")``),
    ``words`` are typed right after the subcommand's name, ``params`` follow in the order
    the handler reads them.
    """

    path: tuple[str, ...]
    sub: str | None
    words: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    help: str = ""


@dataclass
class Sub:
    name: str | None
    func: SubHandler
    usage: str
    example: str
    admin: bool = False
    variants: tuple[Variant, ...] = ()  # declared; see ``Family.variants`` for the rest

    @property
    def summary(self) -> str:
        doc = inspect.getdoc(self.func) or ""
        return doc.splitlines()[0] if doc else ""


@dataclass
class Family:
    """One slash command (``/intro``) and everything behind it."""

    name: str
    summary: str
    subs: list[Sub] = field(default_factory=list)
    buttons: dict[str, ButtonHandler] = field(default_factory=dict)
    events: dict[str, DueHandler] = field(default_factory=dict)
    forms: dict[str, tuple[FormBuilder, FormHandler]] = field(default_factory=dict)
    order: int = 50
    default_name: str = "new"  # the default form's name where subcommands need names
    home: HomeHandler | None = None  # builds a member's home (one family does)
    # What this family shows in a member's home: (position, builder), lowest first.
    home_sections: list[tuple[int, HomeSectionBuilder]] = field(default_factory=list)
    housekeepers: list[Housekeeper] = field(default_factory=list)
    policies: list[PolicyFactory] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    erasers: list[Eraser] = field(default_factory=list)
    numbers: list[Numbers] = field(default_factory=list)

    def sub(
        self,
        name: str | None = None,
        *,
        usage: str,
        example: str,
        admin: bool = False,
        params: tuple[Param, ...] | None = None,
        help: str = "",
        variants: tuple[Variant, ...] = (),
    ) -> Callable[[SubHandler], SubHandler]:
        """Register a subcommand; ``name=None`` is the default form (``/intro @a @b why``).

        ``params`` declares its typed parameters (one variant); a subcommand with several
        shapes (``roulette enable|join|…``) declares ``variants`` instead.
        """
        declared = variants
        if params is not None:
            path = (name or self.default_name,)
            declared = (Variant(path, name, (), params, help),)

        def register(func: SubHandler) -> SubHandler:
            self.subs.append(Sub(name, func, usage, example, admin, declared))
            return func

        return register

    def variants(self) -> list[Variant]:
        """Every native form of the family: the declared ones, then ones read off usage lines.

        A subcommand declared without parameters still gets a form (a member picker for
        ``@person``, a channel picker for ``#channel``, free text for the rest), so a family
        added tomorrow works everywhere at once.
        """
        found = [v for sub in self.subs for v in sub.variants]
        taken = {v.path[0] for v in found if v.path}
        named = any(s.name for s in self.subs) or bool(found)
        for sub in self.subs:
            if sub.variants:
                continue
            variant = _variant_from_usage(self, sub, named=named, taken=taken)
            found.append(variant)
            taken.add(variant.path[0] if variant.path else "")
        if len(found) == 1 and found[0].sub is None and not any(s.name for s in self.subs):
            only = found[0]
            found[0] = Variant((), None, only.words, only.params, only.help)
        return found

    def button(self, action: str) -> Callable[[ButtonHandler], ButtonHandler]:
        def register(func: ButtonHandler) -> ButtonHandler:
            self.buttons[action] = func
            return func

        return register

    def form(self, name: str, *, build: FormBuilder) -> Callable[[FormHandler], FormHandler]:
        """Register the handler of the form ``name`` (keys ``name:<arg>``) and how to build
        it, so the core can show it again, filled in, when a submission is refused."""

        def register(func: FormHandler) -> FormHandler:
            self.forms[name] = (build, func)
            return func

        return register

    def due(self, event: str) -> Callable[[DueHandler], DueHandler]:
        def register(func: DueHandler) -> DueHandler:
            self.events[event] = func
            return func

        return register

    def home_view(self, func: HomeHandler) -> HomeHandler:
        """Register the builder of a member's home (``HomeOpened``)."""
        self.home = func
        return func

    def home_section(self, builder: HomeSectionBuilder, *, position: int) -> None:
        """Contribute a section to every member's home, at ``position`` among all sections."""
        self.home_sections.append((position, builder))

    def keeps(self, *rules: Kept) -> None:
        """Declare the tables this family writes, for a member's export and erasure."""
        self.kept.extend(rules)

    def on_erase(self, func: Eraser) -> Eraser:
        """Register this family's part of erasing a member (withdrawing what is open)."""
        self.erasers.append(func)
        return func

    def counts(self, numbers: Numbers) -> None:
        """Contribute this family's numbers to stats and the digest."""
        self.numbers.append(numbers)

    def policy(self, make: PolicyFactory) -> PolicyFactory:
        """Bring a hold policy to every core built with this family (made at construction)."""
        self.policies.append(make)
        return make

    def housekeeping(self, func: Housekeeper) -> Housekeeper:
        """Register a clean-up run with the outbox housekeeping (every few hours)."""
        self.housekeepers.append(func)
        return func

    def find_sub(self, word: str | None) -> Sub | None:
        for sub in self.subs:
            if sub.name is not None and word is not None and sub.name == word.lower():
                return sub
        return None

    def near_sub(self, word: str | None) -> Sub | None:
        """The subcommand a mistyped word most likely meant (``lsit`` → ``list``); never
        for a longer word that merely starts with one (``listed``, ``finding``)."""
        if not word:
            return None
        word = word.lower()
        names = [s.name for s in self.subs if s.name is not None and not word.startswith(s.name)]
        close = difflib.get_close_matches(word, names, n=1, cutoff=0.75)
        return self.find_sub(close[0]) if close else None

    def default_sub(self) -> Sub | None:
        return next((s for s in self.subs if s.name is None), None)

    @property
    def example(self) -> str:
        return self.subs[0].example if self.subs else f"/{self.name}"


_USAGE_TOKEN = re.compile(r"[@#][\w-]+")
_PLACEHOLDER = re.compile(r"([<\[])([\w ]+)[>\]]")


def _variant_from_usage(family: Family, sub: Sub, *, named: bool, taken: set[str]) -> Variant:
    if sub.name is not None:
        path: tuple[str, ...] = (param_name(sub.name),)
    elif named:
        path = (family.default_name if family.default_name not in taken else "new",)
    else:
        path = ()
    words = sub.usage.split()[1:]  # without "/family"
    if sub.name and words and words[0].lower() == sub.name:
        words = words[1:]
    usage = " ".join(words)
    params: list[Param] = []
    seen: set[str] = set()
    for token in _USAGE_TOKEN.findall(usage):
        name = param_name(token[1:]) or ("person" if token[0] == "@" else "channel")
        if name in seen or name == "text":
            continue
        seen.add(name)
        required = f"[{token}" not in usage
        if token[0] == "@":
            params.append(Param(name, "user", f"The member ({token})", required))
        else:
            params.append(Param(name, "channel", f"The channel ({token})", required))
    rest = _USAGE_TOKEN.sub("", usage).strip(" []|")
    if rest:
        holders = _PLACEHOLDER.findall(rest)
        single = len(holders) == 1 and _PLACEHOLDER.fullmatch(rest.strip())
        name = param_name(holders[0][1].replace(" ", "_")) if single else "text"
        if name in seen or not name:
            name = "text"
        required = bool(single) and rest.strip().startswith("<")
        params.append(Param(name, "text", f"As in: {usage}", required))
    return Variant(path, sub.name, (), tuple(params))


def param_name(word: str) -> str:
    """A parameter or command name: lower case letters, digits, ``-`` and ``_``."""
    return re.sub(r"[^\w-]", "", word.lower())[:32]


def discover(package: str = "bot.features") -> dict[str, Family]:
    """Every family declared by the features of ``package``.

    Each feature is a sub-package whose ``commands`` module declares ``family`` (or a
    list ``families``); nothing else needs editing to add one.
    """
    pkg = importlib.import_module(package)
    found: dict[str, Family] = {}
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_") or not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"{package}.{info.name}.commands")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{info.name}.commands":
                raise
            continue
        declared = getattr(module, "families", None) or [getattr(module, "family", None)]
        for family in declared:
            if isinstance(family, Family):
                found[family.name] = family
    return dict(sorted(found.items(), key=lambda kv: (kv[1].order, kv[0])))
