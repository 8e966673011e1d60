"""Slack HTTP mode under load: time to the HTTP response for signed slash commands.

Three processes on loopback: the fake Slack Web API, the server under test, and
this one, where 50 clients (configurable) send signed slash commands back to back
for 30 s (configurable). The server under test is first ``rapport slack`` itself
(HTTP mode, TinyDB store in a temp dir, scheduler and outbox running, every
command really handled and answered through its ``response_url``), then a bare
Bolt app on the same HTTP server whose listeners only ``ack()``. Printed: p50 and
p99 time to the HTTP response for both, our p99 as a ratio of the bare app's, and
how quickly the real answers reached the fake Slack.
Targets: p99 ≤ 300 ms, ratio ≤ 1.5.

Then an open-loop run: signed commands at a fixed rate (200/s) for 60 s against
``rapport slack`` over a store of 100,000 records, whatever the answers' pace. Printed:
p50/p99 time to the final answer (the ``response_url`` post), busy refusals, lost
answers (acked but never answered) and the process's peak RSS.
Targets: 0 busy, 0 lost, final-answer p99 ≤ 1 s.

    python -m bench.bench_slack [--seconds 30] [--clients 50] [--rate 200]
        [--open-seconds 60] [--records 100000]
    RAPPORT_BENCH_SLACK_SECONDS=5 RAPPORT_BENCH_SLACK_OPEN_SECONDS=10 make bench
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bot.adapters.slack.text import WORKING
from tests.adapters.slack.signing import SECRET, signature

ROOT = Path(__file__).resolve().parents[1]
TEAM = "T0BENCH"
MEMBERS = 200
WARMUP = 1.0  # seconds of load before measuring
TARGET_P99 = 0.300
TARGET_RATIO = 1.5


# -- the helper processes -------------------------------------------------------


def serve_fake() -> None:
    """The fake Web API, answering for any user id; prints its base URL."""
    from tests.adapters.slack.fake_slack import FakeSlack

    fake = FakeSlack()
    fake.auto_users = True
    fake.keep_params = False
    print(fake.base, flush=True)
    _wait_for_term()
    fake.close()


def serve_bare(port: int, api_url: str) -> None:
    """A Bolt ``AsyncApp`` whose listeners only ack, behind the same aiohttp front."""
    from aiohttp import web
    from slack_bolt.async_app import AsyncApp

    from bot.adapters.slack.front import SlackFront
    from bot.registry import discover

    app = AsyncApp(token="xoxb-bench", signing_secret=SECRET, process_before_response=True)
    app.client.base_url = api_url

    async def ack_only(ack) -> None:  # type: ignore[no-untyped-def]
        await ack(text=WORKING, response_type="ephemeral")  # the same ack as rapport's

    for name in discover():
        app.command(f"/{name}")(ack_only)

    async def run() -> None:
        runner = web.AppRunner(SlackFront(app, SECRET).web, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port, backlog=512).start()
        got = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, got.set)
        await got.wait()
        await runner.cleanup()

    asyncio.run(run())


def _refused(answer: bytes) -> bool:
    """An ack saying "busy, try again" rather than rapport's "one moment…"."""
    return json.loads(answer or b"{}").get("text", WORKING) != WORKING


def _wait_for_term() -> None:
    got = []
    signal.signal(signal.SIGTERM, lambda *a: got.append(1))
    while not got:
        time.sleep(0.1)


def _spawn(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.bench_slack", *args] if args[0].startswith("--") else args,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server under test exited at start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server under test did not start")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


# -- the load ---------------------------------------------------------------------


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    accepted: list[float] = field(default_factory=list)  # acks of commands taken on
    sent_at: dict[str, float] = field(default_factory=dict)  # response key -> monotonic
    errors: int = 0
    busy: int = 0
    seconds: float = 0.0


def _commands() -> itertools.cycle:
    """A mix of reading, writing and delivering commands from many members."""
    rng = random.Random(7)
    mix = []
    for i in range(400):
        user = f"U{rng.randrange(MEMBERS):05d}"
        friend = f"U{rng.randrange(MEMBERS):05d}"
        kind = i % 5
        if kind == 0:
            mix.append((user, "/rapport", "settings"))
        elif kind == 1:
            zone = rng.choice(["Europe/Berlin", "America/New_York", "Asia/Kolkata"])
            mix.append((user, "/rapport", f"settings tz {zone}"))
        elif kind == 2:
            mix.append((user, "/rapport", "help"))
        elif kind == 3:
            mix.append((user, "/tips", "list"))
        else:
            who = f"<@{friend}|{friend.lower()}>"
            mix.append((user, "/intro", f'{who} "someone at Acme {i}" I would love to learn'))
    return itertools.cycle(mix)


async def _load(url: str, fake: str, clients: int, seconds: float) -> Run:
    import aiohttp

    run = Run()
    commands = _commands()
    counter = itertools.count()
    start = time.monotonic()
    measure_from = start + WARMUP
    stop_at = measure_from + seconds

    async def client(session: aiohttp.ClientSession) -> None:
        while time.monotonic() < stop_at:
            n = next(counter)
            user, command, text = next(commands)
            key = f"b{n}"
            body = urlencode(
                {
                    "team_id": TEAM,
                    "channel_id": "CBENCH",
                    "user_id": user,
                    "user_name": user.lower(),
                    "command": command,
                    "text": text,
                    "response_url": f"{fake}/respond/{key}",
                    "trigger_id": f"bench.{n}",
                }
            )
            ts = str(int(time.time()))
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature(SECRET, ts, body),
            }
            began = time.monotonic()
            try:
                async with session.post(url, data=body, headers=headers) as response:
                    answer = await response.read()
                    ok = response.status == 200
            except aiohttp.ClientError:
                ok, answer = False, b""
            took = time.monotonic() - began
            if began >= measure_from:
                if ok:
                    run.latencies.append(took)
                    if _refused(answer):  # "busy, try again": the queue was full
                        run.busy += 1
                    else:
                        run.accepted.append(took)
                        run.sent_at[key] = began
                else:
                    run.errors += 1

    connector = aiohttp.TCPConnector(limit=clients, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(client(session) for _ in range(clients)))
    run.seconds = time.monotonic() - measure_from
    return run


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _fake_calls(fake: str, method: str) -> list[dict]:
    with urllib.request.urlopen(f"{fake}/_calls?method={method}", timeout=30) as r:
        return json.loads(r.read())["calls"]


def _measure(
    name: str, server: subprocess.Popen, port: int, fake: str, clients: int, seconds: float
) -> Run:
    _wait_listening(port, server)
    url = f"http://127.0.0.1:{port}/slack/events"
    return asyncio.run(_load(url, fake, clients, seconds))


def _drain(fake: str, run: Run, timeout: float = 180) -> tuple[list[float], float]:
    """Wait until every measured command was answered at the fake (bounded); reply delays."""
    started = time.monotonic()
    while True:
        arrived = {c["path"].rsplit("/", 1)[-1]: c["at"] for c in _fake_calls(fake, "response_url")}
        if all(k in arrived for k in run.sent_at) or time.monotonic() - started > timeout:
            break
        time.sleep(0.5)
    delays = [arrived[k] - t for k, t in run.sent_at.items() if k in arrived]
    return delays, time.monotonic() - started


@dataclass
class OpenRun:
    sent_at: dict[str, float] = field(default_factory=dict)  # accepted: response key -> sent
    acks: list[float] = field(default_factory=list)
    busy: int = 0
    errors: int = 0
    late_sends: int = 0  # sends that left more than 50 ms after their slot (client lag)


def _signed(n: int, fake: str, command: tuple[str, str, str], prefix: str) -> tuple[str, dict]:
    user, name, text = command
    key = f"{prefix}{n}"
    body = urlencode(
        {
            "team_id": TEAM,
            "channel_id": "CBENCH",
            "user_id": user,
            "user_name": user.lower(),
            "command": name,
            "text": text,
            "response_url": f"{fake}/respond/{key}",
            "trigger_id": f"{prefix}.{n}",
        }
    )
    ts = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature(SECRET, ts, body),
    }
    return body, headers


async def _open_load(url: str, fake: str, rate: float, seconds: float) -> OpenRun:
    """Send at fixed times whatever the answers' pace (an open loop)."""
    import aiohttp

    run = OpenRun()
    commands = _commands()
    total = int(rate * seconds)
    connector = aiohttp.TCPConnector(limit=1000)
    timeout = aiohttp.ClientTimeout(total=30)

    async def one(session: aiohttp.ClientSession, n: int, slot: float) -> None:
        body, headers = _signed(n, fake, next(commands), "o")
        began = time.monotonic()
        if began - slot > 0.05:
            run.late_sends += 1
        try:
            async with session.post(url, data=body, headers=headers) as response:
                answer = await response.read()
                ok = response.status == 200
        except aiohttp.ClientError:
            ok, answer = False, b""
        if not ok:
            run.errors += 1
        elif _refused(answer):
            run.busy += 1
        else:
            run.acks.append(time.monotonic() - began)
            run.sent_at[f"o{n}"] = began

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start = time.monotonic() + 0.5
        tasks = []
        for n in range(total):
            slot = start + n / rate
            delay = slot - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(session, n, slot)))
        await asyncio.gather(*tasks)
    return run


def _peak_rss(pid: int) -> int:
    """The process's peak resident memory so far, in bytes (Linux: VmHWM)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def open_loop(fake: str, rate: float, seconds: float, records: int) -> None:
    from bench.bench_store import populate
    from store.tinydb_store import TinyDBStore

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        started = time.monotonic()
        store = TinyDBStore(data)
        populate(store, records)
        store.close()
        filled = time.monotonic() - started
        port = _free_port()
        proc = _spawn(
            [sys.executable, "-m", "bot.cli", "slack"],
            env={
                "SLACK_BOT_TOKEN": "xoxb-bench",
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": fake + "/api/",
                "SLACK_HOST": "127.0.0.1",
                "SLACK_PORT": str(port),
                "SLACK_APP_TOKEN": "",
                "RAPPORT_DATA_DIR": str(data),
                "RAPPORT_LOG_LEVEL": "ERROR",
            },
        )
        try:
            _wait_listening(port, proc, timeout=120)
            url = f"http://127.0.0.1:{port}/slack/events"
            run = asyncio.run(_open_load(url, fake, rate, seconds))
            delays, drained = _drain(fake, run, timeout=60)  # type: ignore[arg-type]
            peak = _peak_rss(proc.pid)
        finally:
            _stop(proc)
    accepted = len(run.sent_at)
    lost = accepted - len(delays)
    p99 = _pct(delays, 99)
    print(
        f"\nopen loop: {rate:.0f} signed commands/s for {seconds:.0f} s over a store of "
        f"{records:,} records (filled in {filled:.1f} s)"
    )
    print(
        f"  sent {int(rate * seconds)}, acked {accepted}, busy {run.busy}, errors {run.errors}; "
        f"ack p50 {_pct(run.acks, 50) * 1000:.1f} ms, p99 {_pct(run.acks, 99) * 1000:.1f} ms"
    )
    print(
        f"  final answer (response_url): p50 {_pct(delays, 50) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms; lost {lost}; drained {drained:.1f} s after the last send"
    )
    print(f"  peak RSS of rapport slack: {peak / (1 << 20):.0f} MiB")
    if run.late_sends:
        print(f"  ({run.late_sends} sends left over 50 ms late: the load generator lagged)")
    met = run.busy == 0 and lost == 0 and p99 <= 1.0
    print(f"  targets 0 busy, 0 lost, p99 ≤ 1 s: {'met' if met else 'NOT met'}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Slack HTTP mode load benchmark")
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("RAPPORT_BENCH_SLACK_SECONDS", 30))
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rate", type=float, default=200.0, help="open loop: commands/s")
    parser.add_argument(
        "--open-seconds",
        type=float,
        default=float(os.environ.get("RAPPORT_BENCH_SLACK_OPEN_SECONDS", 60)),
        help="open loop: how long (0 skips it)",
    )
    parser.add_argument("--records", type=int, default=100_000, help="open loop: store size")
    parser.add_argument("--fake", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    args = parser.parse_args([] if argv is None else argv)
    if args.fake:
        serve_fake()
        return
    if args.bare:
        serve_bare(args.bare, args.api_url)
        return

    fake_proc = _spawn(["--fake"])
    procs = [fake_proc]
    try:
        assert fake_proc.stdout is not None
        fake = fake_proc.stdout.readline().strip()
        api_url = fake + "/api/"
        with tempfile.TemporaryDirectory() as tmp:
            port = _free_port()
            ours_proc = _spawn(
                [sys.executable, "-m", "bot.cli", "slack"],
                env={
                    "SLACK_BOT_TOKEN": "xoxb-bench",
                    "SLACK_SIGNING_SECRET": SECRET,
                    "SLACK_API_URL": api_url,
                    "SLACK_HOST": "127.0.0.1",
                    "SLACK_PORT": str(port),
                    "SLACK_APP_TOKEN": "",
                    "RAPPORT_DATA_DIR": str(Path(tmp) / "data"),
                    "RAPPORT_LOG_LEVEL": "ERROR",
                },
            )
            procs.append(ours_proc)
            ours = _measure("rapport", ours_proc, port, fake, args.clients, args.seconds)
            delays, drained = _drain(fake, ours)
            dms = sum(1 for c in _fake_calls(fake, "chat.postMessage") if c["ok"])
            _stop(ours_proc)

        port = _free_port()
        bare_proc = _spawn(["--bare", str(port), "--api-url", api_url])
        procs.append(bare_proc)
        bare = _measure("bare", bare_proc, port, fake, args.clients, args.seconds)
        _stop(bare_proc)
        _report(args.clients, args.seconds, ours, bare, delays, drained, dms)
        if args.open_seconds > 0:
            open_loop(fake, args.rate, args.open_seconds, args.records)
    finally:
        for proc in procs:
            _stop(proc)


def _report(
    clients: int,
    seconds: float,
    ours: Run,
    bare: Run,
    delays: list[float],
    drained: float,
    dms: int,
) -> None:
    def row(name: str, run: Run) -> str:
        rate = len(run.latencies) / run.seconds if run.seconds else 0
        return (
            f"{name:<22} {len(run.latencies):>8} {rate:>8.0f} "
            f"{_pct(run.latencies, 50) * 1000:>8.1f} {_pct(run.latencies, 99) * 1000:>8.1f} "
            f"{run.errors:>6} {run.busy:>6}"
        )

    print(f"{clients} clients, {seconds:.0f} s each, signed slash commands over loopback")
    heads = ("requests", "per s", "p50 ms", "p99 ms")
    print(f"{'server':<22} " + " ".join(f"{h:>8}" for h in heads) + f" {'errors':>6} {'busy':>6}")
    print(row("rapport slack (HTTP)", ours))
    print(row("bare Bolt app (ack)", bare))
    if ours.busy:
        print(
            f"  rapport's acks of the {len(ours.accepted)} commands it took on: "
            f"p50 {_pct(ours.accepted, 50) * 1000:.1f} ms, "
            f"p99 {_pct(ours.accepted, 99) * 1000:.1f} ms"
        )
    ratio = _pct(ours.latencies, 99) / _pct(bare.latencies, 99)
    p99 = _pct(ours.latencies, 99)
    print(
        f"our p99 / bare p99 = {ratio:.2f}  (target ≤ {TARGET_RATIO}: "
        f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}); our p99 {p99 * 1000:.0f} ms "
        f"(target ≤ {TARGET_P99 * 1000:.0f} ms: {'met' if p99 <= TARGET_P99 else 'NOT met'})"
    )
    answered = len(delays)
    print(
        f"answers through response_url: {answered} of {len(ours.sent_at)}, "
        f"p50 {_pct(delays, 50) * 1000:.0f} ms, p99 {_pct(delays, 99) * 1000:.0f} ms after the "
        f"request; backlog drained {drained:.1f} s after the load stopped; {dms} DMs delivered"
    )
    print(
        "(Every client sends its next command as soon as the last is acked, so the work "
        "behind the acks queues up; when the queue is full rapport answers 'busy, try "
        "again' at once — counted under busy.)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
