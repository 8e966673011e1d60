"""A roulette round delivered at Slack's own pace (issue #18), end to end and in real time.

A fake Slack Web API (``tests/adapters/slack/fake_slack.py``) enforces Slack's limits as
Slack does: ``conversations.open`` 50 calls in any 60 s (Tier 3), ``chat.postMessage`` one
a second per channel; over them it answers 429 with ``Retry-After``. A real ``rapport
slack --port P`` process (HTTP mode, TinyDB in a temp dir, ``SLACK_API_URL`` at the fake)
takes signed slash commands: an admin enables the roulette in #coffee, N members join,
and the admin starts a round with ``/coffee roulette now``.

Printed per size: groups delivered, lost, duplicated, 429s received, Web API calls per
group (``conversations.open`` alone — the limited call, ideally 1 — and all calls to the
group's conversation), and the wall time from the command to the last group's first
message, against the floor Slack's limit sets: G groups need (G − 50)/50 minutes at 50
opens a minute (the first 50 at once); for G ≤ 50 the seconds themselves.
Targets: 100 % delivered, 0 lost, 0 duplicated, ≤ 1.05 opens per group, wall ≤ 1.1 ×
floor at 400 members, ≤ 5 s at 100.

    python -m bench roulette_delivery           # 100 and 400 members (about 4 minutes)
    python -m bench roulette_delivery --full    # and 1,000 members (9 more minutes)
"""

from __future__ import annotations

import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

from tests.adapters.slack.fake_slack import TEAM, FakeSlack, Rule
from tests.adapters.slack.signing import SECRET, command_body, post

ROOT = Path(__file__).resolve().parents[1]
SIZES = (100, 400)
FULL_SIZES = (100, 400, 1000)
OPENS, WINDOW = 50, 60.0  # conversations.open: Tier 3
ADMIN = "UADMIN"
COFFEE = "CCOFFEE"
TARGET_OPENS_PER_GROUP = 1.05
TARGET_RATIO = 1.1
TARGET_SMALL_S = 5.0


class LimitedSlack(FakeSlack):
    """The fake Web API with Slack's rate limits, enforced in real time."""

    def __init__(self) -> None:
        super().__init__()
        self.auto_users = True
        self.opens: deque[float] = deque()
        self.posted: dict[str, float] = {}
        self.limited = 0

    def _rule_for(self, method: str, params: dict[str, Any]) -> Rule | None:
        now = time.monotonic()
        if method == "conversations.open":
            while self.opens and self.opens[0] <= now - WINDOW:
                self.opens.popleft()
            if len(self.opens) >= OPENS:
                self.limited += 1
                wait = max(1, math.ceil(self.opens[0] + WINDOW - now))
                return Rule(method, "ratelimited", status=429, retry_after=wait)
            self.opens.append(now)
        elif method == "chat.postMessage":
            channel = str(params.get("channel"))
            last = self.posted.get(channel)
            if last is not None and now - last < 1.0:
                self.limited += 1
                return Rule(method, "ratelimited", status=429, retry_after=1)
            self.posted[channel] = now
        return super()._rule_for(method, params)


def floor_seconds(groups: int) -> float:
    return max(0, groups - OPENS) / OPENS * WINDOW


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("rapport slack exited at start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("rapport slack did not start")


class Bot:
    """``rapport slack`` in HTTP mode, and a way to send it signed slash commands."""

    def __init__(self, fake: FakeSlack, data: Path) -> None:
        self.fake = fake
        self.port = _free_port()
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "RAPPORT_DATA_DIR": str(data),
        }
        env.pop("SLACK_APP_TOKEN", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "slack", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_listening(self.port, self.proc)
        self.n = 0

    def command(self, user: str, text: str) -> str:
        """Send ``/coffee text`` as ``user``; returns the response_url key."""
        self.n += 1
        key = f"r{self.n}"
        body = command_body(
            "/coffee",
            text,
            user=user,
            team=TEAM,
            response_url=self.fake.response_url(key),
            trigger_id=f"bench.{self.n}",
            channel=COFFEE,
            user_name=user.lower(),
        )
        answer = post(f"http://127.0.0.1:{self.port}/slack/events", body)
        if answer.status != 200:
            raise RuntimeError(f"{text!r} as {user}: HTTP {answer.status}")
        return key

    def answered(self, keys: list[str], timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self.fake.responses(k) for k in keys):
                return
            time.sleep(0.1)
        raise RuntimeError("commands were not answered in time")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def run(members: int) -> dict[str, float]:
    fake = LimitedSlack()
    fake.add_user(ADMIN, "admin", admin=True)
    users = [f"U{i:05d}" for i in range(members)]
    for u in users:
        fake.add_user(u, u.lower())
    groups = members // 2
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(fake, Path(tmp) / "data")
        try:
            enable = bot.command(ADMIN, f"roulette enable <#{COFFEE}|coffee> every week size 2")
            bot.answered([enable])
            bot.answered([bot.command(u, "roulette join") for u in users])
            fake.clear()
            fake.limited = 0
            started = time.monotonic()
            bot.answered([bot.command(ADMIN, "roulette now")])
            deadline = started + floor_seconds(groups) * 1.5 + 60
            while time.monotonic() < deadline:
                first = _first_posts(fake)
                if len(first) >= groups:
                    break
                time.sleep(0.2)
            time.sleep(2.0)  # anything sent twice would show now
        finally:
            bot.stop()
    first = _first_posts(fake)
    group_posts = [
        c for c in fake.of("chat.postMessage") if str(c.params.get("channel", "")).startswith("G")
    ]
    ok_posts: dict[str, int] = {}
    for c in group_posts:
        if c.ok:
            ok_posts[c.params["channel"]] = ok_posts.get(c.params["channel"], 0) + 1
    opens = [c for c in fake.of("conversations.open") if "," in str(c.params.get("users", ""))]
    fake.close()
    return {
        "members": members,
        "groups": groups,
        "delivered": len(first),
        "lost": groups - len(first),
        "duplicated": sum(n - 1 for n in ok_posts.values()),
        "429s": fake.limited,
        "opens/group": len(opens) / groups,
        "calls/group": (len(opens) + len(group_posts)) / groups,
        "wall": (max(first.values()) - started) if first else float("nan"),
        "floor": floor_seconds(groups),
    }


def _first_posts(fake: FakeSlack) -> dict[str, float]:
    """Each group conversation's first accepted message, by channel."""
    first: dict[str, float] = {}
    for c in fake.of("chat.postMessage"):
        channel = str(c.params.get("channel", ""))
        if channel.startswith("G") and c.ok and channel not in first:
            first[channel] = c.at
    return first


def verdict(r: dict[str, float]) -> str:
    ok = r["lost"] == 0 and r["duplicated"] == 0 and r["delivered"] == r["groups"]
    ok = ok and r["opens/group"] <= TARGET_OPENS_PER_GROUP
    if r["groups"] <= OPENS:
        ok = ok and r["wall"] <= TARGET_SMALL_S
    else:
        ok = ok and r["wall"] <= TARGET_RATIO * r["floor"]
    return "ok" if ok else "MISSED"


def main() -> None:
    full = "--full" in sys.argv
    sizes = FULL_SIZES if full else SIZES
    print(
        "a roulette round on a fake Slack enforcing conversations.open 50/60 s and "
        "chat.postMessage 1/s per channel, real time"
        + ("" if full else " (1,000 members only with --full)")
    )
    print(
        f"{'members':>7} {'groups':>6} {'delivered':>9} {'lost':>4} {'dup':>3} {'429s':>4} "
        f"{'opens/grp':>9} {'calls/grp':>9} {'wall':>8} {'floor':>7} {'ratio':>6}"
    )
    for members in sizes:
        r = run(members)
        ratio = f"{r['wall'] / r['floor']:>6.2f}" if r["floor"] else f"{'-':>6}"
        print(
            f"{r['members']:>7,} {r['groups']:>6} {r['delivered'] / r['groups']:>9.0%} "
            f"{r['lost']:>4} {r['duplicated']:>3} {r['429s']:>4} {r['opens/group']:>9.2f} "
            f"{r['calls/group']:>9.2f} {r['wall']:>7.1f}s {r['floor']:>6.0f}s {ratio}  "
            f"{verdict(r)}",
            flush=True,
        )
    print(
        f"targets: 100% delivered, 0 lost, 0 duplicated, ≤ {TARGET_OPENS_PER_GROUP} opens per "
        f"group, wall ≤ {TARGET_RATIO} × floor at 400 members, ≤ {TARGET_SMALL_S:.0f} s at 100 "
        "(floor: (G − 50)/50 minutes for G groups)"
    )


if __name__ == "__main__":
    main()
