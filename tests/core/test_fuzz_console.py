"""The console adapter fuzzed: hostile lines typed at it never break it or the core.

Random scripts mix every example line of every subcommand (with hostile text after
it), the console's own controls (``:press`` by number or label, ``:as``, ``:advance``,
``:close_dms`` …) with odd arguments, and raw hostile lines. Properties: ``run_line``
never raises, the core never apologises (a caught crash), nothing prints a traceback,
and every command line gets an answer.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.console.community import build_directory
from bot.adapters.console.session import ConsoleClock, ConsoleSession, fixed
from bot.bootstrap import bootstrap
from bot.config import Config
from tests.fuzz import hostile as hx
from tests.fuzz.checks import APOLOGY, Watch

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
META = (":press", ":as", ":advance", ":close_dms", ":who", ":time", ":help", ":frob", ":")
META_ARGS = (
    "1",
    "2",
    "7",
    "999999999999",
    "-1",
    "0",
    "Make the intro",
    "Accept",
    "Happy to connect",
    "alice",
    "@bob",
    "rapport",
    "nobody",
    "3d",
    "2h30m",
    "1w",
    "0s",
    "99999w",
    "1e9d",
    "-3d",
    "",
)
SETUP = (
    "/win channel #wins",
    "/coffee roulette enable #coffee every week size 2",
    ":as alice",
    "/intro @bob @carol I'd love to hear how she moved into data work",
    "/coffee @bob tomorrow 3pm career switch",
    ":as bob",
)

example_line = st.builds(
    lambda line, tail: f"{line} {tail}",
    st.sampled_from(hx.examples()),
    st.one_of(st.just(""), hx.text.map(lambda s: s.replace("\n", " "))),
)
meta_line = st.builds(
    lambda verb, arg: f"{verb} {arg}",
    st.sampled_from(META),
    st.one_of(st.sampled_from(META_ARGS), hx.text.map(lambda s: s.replace("\n", " "))),
)
raw_line = hx.text.map(lambda s: s.replace("\n", " "))
line = st.one_of(example_line, example_line, meta_line, meta_line, raw_line)


def run_script(lines: list[str]) -> str:
    tmp = Path(tempfile.mkdtemp(prefix="rapport-console-fuzz-"))
    out: list[str] = []
    try:
        directory = build_directory(0)
        hx.directory_with_extras(directory)
        clock = ConsoleClock(fixed(START))
        core = bootstrap(Config(data_dir=str(tmp)), clock=clock, directory=directory)
        watch = Watch(core)
        session = ConsoleSession(core, directory, clock, write=out.append)
        try:
            for text in (*SETUP, *lines):
                before = len(out)
                assert session.run_line(text) is not None
                watch.assert_no_crash(f"console line {text[:200]!r}")
                said = "".join(out[before:])
                assert APOLOGY not in said, f"{text[:200]!r}: {said[:500]}"
                assert "Traceback" not in said, f"{text[:200]!r}: {said[:500]}"
                if text.strip().startswith("/"):
                    assert said.strip(), f"no answer to {text[:200]!r}"
        finally:
            session.close()
            core.store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return "".join(out)


@settings(
    max_examples=80,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(line, max_size=12))
def test_any_console_script_is_answered_and_never_breaks(lines: list[str]) -> None:
    run_script(lines)


def test_pressing_every_button_the_console_showed_as_everyone() -> None:
    """Press each numbered button as each member: refusals or answers, never a crash."""
    people = ("alice", "bob", "carol", "dan", "you")
    presses = [f":as {p}\n:press {n}" for n in range(1, 9) for p in people]
    transcript = run_script([*"\n".join(presses).splitlines(), ":advance 3d", ":press 1"])
    assert "[1]" in transcript
