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

    python -m bench.bench_slack [--seconds 30] [--clients 50]
    RAPPORT_BENCH_SLACK_SECONDS=5 make bench
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
    """A Bolt app whose listeners only ack, on the same server and settings as ours."""
    from bot.adapters.slack.server import SlackHTTPServer
    from slack_bolt import App

    from bot.adapters.slack.client import make_client
    from bot.registry import discover

    app = App(
        client=make_client("xoxb-bench", api_url),
        signing_secret=SECRET,
        process_before_response=True,
        name="bare",
    )

    def ack_only(ack) -> None:  # type: ignore[no-untyped-def]
        ack()

    for name in discover():
        app.command(f"/{name}")(ack_only)
    server = SlackHTTPServer(app, host="127.0.0.1", port=port)
    server.start()
    _wait_for_term()
    server.stop()


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
                    if answer:  # "busy, try again": the queue was full
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Slack HTTP mode load benchmark")
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("RAPPORT_BENCH_SLACK_SECONDS", 30))
    )
    parser.add_argument("--clients", type=int, default=50)
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
    finally:
        for proc in procs:
            _stop(proc)

    _report(args.clients, args.seconds, ours, bare, delays, drained, dms)


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
