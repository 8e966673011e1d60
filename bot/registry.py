"""Command families: each feature in ``bot/features`` declares its ``Family``.

A family names its subcommands, the buttons it answers and the scheduled events
it handles. Help text comes from the handlers' own docstrings, so ``/rapport help``,
the Slack manifest and Discord's command tree all say the same thing.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.args import Args
    from bot.context import Context
    from bot.io import Output

Outputs = list["Output"]
SubHandler = Callable[["Context", "Args"], Outputs]
ButtonHandler = Callable[["Context", str], Outputs]
DueHandler = Callable[["Context", dict[str, Any]], Outputs]


@dataclass
class Sub:
    name: str | None
    func: SubHandler
    usage: str
    example: str
    admin: bool = False

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
    order: int = 50

    def sub(
        self, name: str | None = None, *, usage: str, example: str, admin: bool = False
    ) -> Callable[[SubHandler], SubHandler]:
        """Register a subcommand; ``name=None`` is the default form (``/intro @a @b why``)."""

        def register(func: SubHandler) -> SubHandler:
            self.subs.append(Sub(name, func, usage, example, admin))
            return func

        return register

    def button(self, action: str) -> Callable[[ButtonHandler], ButtonHandler]:
        def register(func: ButtonHandler) -> ButtonHandler:
            self.buttons[action] = func
            return func

        return register

    def due(self, event: str) -> Callable[[DueHandler], DueHandler]:
        def register(func: DueHandler) -> DueHandler:
            self.events[event] = func
            return func

        return register

    def find_sub(self, word: str | None) -> Sub | None:
        for sub in self.subs:
            if sub.name is not None and word is not None and sub.name == word.lower():
                return sub
        return None

    def default_sub(self) -> Sub | None:
        return next((s for s in self.subs if s.name is None), None)

    @property
    def example(self) -> str:
        return self.subs[0].example if self.subs else f"/{self.name}"


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
