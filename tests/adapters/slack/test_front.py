"""Attacks on the real ``rapport slack --port P`` process: every hostile request gets a
short 400/401/413 without a traceback, nothing unsigned is read, half-open connections
are bounded and freed, and /healthz, /readyz and /metrics answer."""

from __future__ import annotations

import json
import signal
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import psutil
import pytest

from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.adapters.slack.signing import command_body, post
from tests.adapters.slack.test_cli import start, wait_until

TIMEOUT = 1.5  # SLACK_HTTP_TIMEOUT for these processes


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    f = FakeSlack()
    f.add_user("UALICE", "alice")
    yield f
    f.close()


@pytest.fixture
def served(fake: FakeSlack, tmp_path: Path) -> Iterator[tuple[str, int, object]]:
    proc, url = start(
        fake,
        tmp_path,
        "slack",
        env={"SLACK_HTTP_TIMEOUT": str(TIMEOUT), "SLACK_MAX_CONNECTIONS": "300"},
    )
    port = int(url.split(":")[2].split("/")[0])
    yield url, port, proc
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=20)
    assert "Traceback" not in err, err
    assert proc.returncode == 0, err


def raw(port: int, data: bytes, *, wait: float = 5.0) -> bytes:
    """Send bytes as they are and read what comes back until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        try:
            s.sendall(data)
        except OSError:
            pass
        got = b""
        try:
            while chunk := s.recv(65536):
                got += chunk
        except OSError:
            pass
        return got


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.") else 0


def test_a_negative_content_length_is_refused_and_the_data_never_read(served):
    _url, port, proc = served
    rss = psutil.Process(proc.pid).memory_info().rss
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    )
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(head)
        try:
            for _ in range(400):  # up to 400 MiB, if anyone kept reading
                s.sendall(b"a" * (1 << 20))
                sent += 1
        except OSError:
            pass  # the server closed the connection: good
        answer = b""
        try:
            answer = s.recv(65536)
        except OSError:
            pass
    assert sent < 400, "the server kept reading an unsigned body of unknown length"
    assert status(answer) in (0, 400)
    assert psutil.Process(proc.pid).memory_info().rss < rss + (50 << 20)


def test_a_content_length_that_is_not_a_number_is_a_400(served):
    _url, port, _proc = served
    answer = raw(port, b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\nx=1")
    assert status(answer) == 400


def test_an_oversized_body_is_refused_with_413_before_it_is_read(served):
    _url, port, _proc = served
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500000000\r\n"
        b"X-Slack-Request-Timestamp: 1\r\nX-Slack-Signature: v0=00\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(head)
        answer = s.recv(65536)
    assert status(answer) == 413


def test_an_unsigned_malformed_payload_is_a_401(served):
    url, _port, _proc = served
    request = urllib.request.Request(url, data=b"payload={not-json", method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=5)
    assert err.value.code == 401


def test_a_signed_payload_that_is_not_an_object_is_a_400(served):
    url, _port, _proc = served
    assert post(url, urlencode({"payload": json.dumps([1, 2])})).status == 400
    assert post(url, "payload=%7Bnot-json").status == 400


def test_missing_user_id_is_a_400_and_the_member_is_told(served, fake: FakeSlack):
    url, _port, _proc = served
    body = command_body(
        "/rapport",
        "settings",
        user="UALICE",
        team=TEAM,
        response_url=fake.response_url("nouser"),
        trigger_id="t-nouser",
    )
    body = "&".join(p for p in body.split("&") if not p.startswith("user_id="))
    assert post(url, body).status == 400
    assert wait_until(lambda: fake.responses("nouser"))
    assert "couldn't read that command" in fake.responses("nouser")[0].params["text"]
    event = json.dumps({"type": "event_callback", "event": {"type": "app_home_opened"}})
    assert post(url, event, content_type="application/json").status == 400
    assert post(url, "[1, 2]", content_type="application/json").status == 400


def test_half_open_connections_are_bounded_and_freed_after_the_timeout(served, fake):
    url, port, proc = served
    conns = []
    for i in range(400):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            if i % 2:
                s.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")  # never finished
            conns.append(s)
        except OSError:
            break
    try:
        # Meanwhile a real command still gets through once the idle ones are dropped.
        assert wait_until(lambda: _open_conns(proc) <= 5, timeout=TIMEOUT + 10)
        body = command_body(
            "/rapport",
            "settings",
            user="UALICE",
            team=TEAM,
            response_url=fake.response_url("after"),
            trigger_id="t-after",
        )
        assert post(url, body).status == 200
        assert wait_until(lambda: fake.responses("after"))
    finally:
        for s in conns:
            s.close()


def _open_conns(proc) -> int:
    return sum(
        1 for c in psutil.Process(proc.pid).net_connections("tcp") if c.status == "ESTABLISHED"
    )


def test_health_readiness_and_metrics(served, fake: FakeSlack):
    url, _port, _proc = served
    base = url.rsplit("/slack/events", 1)[0]
    with urllib.request.urlopen(base + "/healthz", timeout=5) as r:
        assert r.status == 200
    with urllib.request.urlopen(base + "/readyz", timeout=5) as r:
        assert r.status == 200
    body = command_body(
        "/rapport",
        "settings",
        user="UALICE",
        team=TEAM,
        response_url=fake.response_url("m1"),
        trigger_id="t-m1",
    )
    assert post(url, body).status == 200
    assert wait_until(lambda: fake.responses("m1"))

    def scrape() -> str:
        with urllib.request.urlopen(base + "/metrics", timeout=5) as r:
            return r.read().decode()

    assert wait_until(lambda: 'outcome="ok"' in scrape())
    text = scrape()
    assert (
        'rapport_inputs_total{family="rapport",kind="command",outcome="ok",platform="slack"}'
        in text
    )
    assert "rapport_ack_seconds_count" in text and "rapport_answer_seconds_count" in text
    assert 'rapport_store_seconds_count{operation="inbox_record"}' in text
