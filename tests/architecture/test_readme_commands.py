"""The README's command table says what the declarations say: every subcommand's usage and
summary, and no command that doesn't exist."""

from __future__ import annotations

import re
from pathlib import Path

from bot.registry import discover

README = Path(__file__).resolve().parents[2] / "README.md"


def table() -> dict[str, str]:
    text = README.read_text()
    section = text[text.index("## Commands") : text.index("### The console")]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"^\| `(.+?)` \| (.+) \|$", line)
        if m:
            rows[m.group(1).replace("\\|", "|")] = m.group(2)
    return rows


def test_every_subcommand_is_in_the_readme_with_its_summary() -> None:
    rows = table()
    for family in discover().values():
        for sub in family.subs:
            assert sub.usage in rows, f"{sub.usage} is missing from the README"
            assert rows[sub.usage].startswith(sub.summary), sub.usage


def test_the_readme_names_no_command_that_does_not_exist() -> None:
    usages = {sub.usage for family in discover().values() for sub in family.subs}
    assert set(table()) <= usages
