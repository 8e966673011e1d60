"""Start the console community, interactively or from a script."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.adapters.console import text as t
from bot.adapters.console.community import build_directory
from bot.adapters.console.session import ConsoleClock, ConsoleSession, fixed, run, saved_offset
from bot.bootstrap import bootstrap, settle_memory
from bot.config import Config


def run_console(
    config: Config,
    *,
    script: str | None = None,
    members: int = 0,
    start: datetime | None = None,
    tz: str | None = None,
) -> int:
    directory = build_directory(members, tz=tz)
    clock = ConsoleClock(
        fixed(start.replace(tzinfo=start.tzinfo or UTC)) if start else lambda: datetime.now(UTC)
    )
    core = bootstrap(config, clock=clock, directory=directory)
    settle_memory()
    if start is None:
        clock.offset = saved_offset(core)
    session = ConsoleSession(core, directory, clock, write=_writer())
    try:
        if script is not None:
            if script == "-":
                run(session, sys.stdin)
            else:
                with open(Path(script), encoding="utf-8") as lines:
                    run(session, lines)
        else:
            print(t.WELCOME)
            _interactive(session)
    finally:
        session.close()
        core.store.close()
    return 0


def _writer():
    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    return write


def _interactive(session: ConsoleSession) -> None:
    try:
        import readline  # noqa: F401  (line editing and history when available)
    except ImportError:
        pass
    while True:
        try:
            line = input(f"{session.user}> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return
        # The prompt already shows the line; don't echo it twice.
        session.echo = False
        if not session.run_line(line):
            return
