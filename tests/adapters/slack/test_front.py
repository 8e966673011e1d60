"""Attacks on the real ``rapport slack --port P`` process: every hostile request gets a
short 400/401/413 without a traceback, nothing unsigned is read, half-open connections
are bounded and freed, and /healthz, /readyz and /metrics answer."""

from __future__ import annotations

import hashlib
import hmac
import json
import signal
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import psutil
import pytest

from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.adapters.slack.signing import SECRET, command_body, post
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


def _signed_raw(port: int, body: bytes, *, secret: str = SECRET) -> bytes:
    """POST bytes as they are (not necessarily UTF-8), signed over those bytes."""
    ts = str(int(time.time()))
    mac = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    head = (
        "POST /slack/events HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nX-Slack-Request-Timestamp: {ts}\r\n"
        f"X-Slack-Signature: v0={mac.hexdigest()}\r\nConnection: close\r\n\r\n"
    )
    return raw(port, head.encode() + body)


def test_a_body_that_is_not_utf8_is_refused_without_a_traceback(served):
    """Slack signs text: bytes that aren't UTF-8 can't carry its signature (slack_sdk's
    verifier reads the body as text), so they are refused as unsigned."""
    _url, port, _proc = served
    body = b"\xff\xfe\x00bad"
    assert status(_signed_raw(port, body, secret="not-the-secret")) == 401
    assert status(_signed_raw(port, body)) == 401
    assert status(_signed_raw(port, b"payload=%FF%FE")) == 400  # percent-encoded, not UTF-8


def _press(**fields: object) -> dict:
    return {
        "type": "block_actions",
        "user": {"id": "UALICE", "team_id": TEAM},
        "team": {"id": TEAM},
        "trigger_id": "t-x",
        "actions": [{"type": "button", "action_id": "x", "value": "v"}],
        **fields,
    }


def _submitted(**view: object) -> dict:
    return {
        "type": "view_submission",
        "user": {"id": "UALICE", "team_id": TEAM},
        "team": {"id": TEAM},
        "view": {
            "id": "VX",
            "type": "modal",
            "callback_id": "rapport.form",
            "private_metadata": "coffee.invite:",
            "state": {"values": {}},
            **view,
        },
    }


# Payloads Slack never sends, each of which Bolt (or we) would choke on.
MALFORMED = {
    "actions not objects": _press(actions=["x"]),
    "actions empty": _press(actions=[]),
    "action_id not text": _press(actions=[{"type": "button", "action_id": 5}]),
    "action value not text": _press(actions=[{"type": "button", "action_id": "x", "value": {}}]),
    "user a number": _press(user=5),
    "user.id a list": _press(user={"id": ["UALICE"]}),
    "team a number": _press(team=7),
    "team.id an object": _press(team={"id": {}}),
    "channel a list": _press(channel=["C1"]),
    "container a string": _press(container="view"),
    "container.message_ts a number": _press(container={"type": "message", "message_ts": 1}),
    "message a string": _press(message="hi"),
    "enterprise a number": _press(enterprise=3),
    "authorizations a string": _press(authorizations="abc"),
    "authorizations not objects": _press(authorizations=[1]),
    "view a list": _press(view=[]),
    "trigger_id a number": _press(trigger_id=5),
    "response_urls not objects": _press(response_urls=["x"]),
    "view without a type": _submitted(type=None),
    "view.callback_id a number": _submitted(callback_id=5),
    "view.state a list": _submitted(state=[]),
    "view.state.values a string": _submitted(state={"values": "x"}),
    "view.state.values.block a list": _submitted(state={"values": {"when": ["x"]}}),
    "view.state.values.block.action a string": _submitted(
        state={"values": {"when": {"when": "abc"}}}
    ),
    "view.blocks not objects": _submitted(blocks=["x"]),
    "view.private_metadata a number": _submitted(private_metadata=5),
    "view_submission without a view": {"type": "view_submission", "user": {"id": "UALICE"}},
    "view_submission without a user": {k: v for k, v in _submitted().items() if k != "user"},
}


def test_signed_payloads_of_the_wrong_shape_are_a_400_without_a_traceback(served):
    url, _port, _proc = served
    for name, payload in MALFORMED.items():
        answer = post(url, urlencode({"payload": json.dumps(payload)}))
        assert answer.status == 400, (name, answer)
        assert "Traceback" not in answer.body
    # events: the same, as JSON
    events = [
        {"type": "event_callback", "event": {"type": "app_home_opened", "user": ["UALICE"]}},
        {"type": "event_callback", "event": {"type": "app_home_opened", "user": "U1", "tab": 1}},
        {"type": "event_callback", "team_id": 5, "event": {"type": "app_home_opened", "user": "U"}},
        {"type": "event_callback", "authorizations": "x", "event": {"type": "x"}},
        {"type": "event_callback", "event": {"type": "app_home_opened", "channel": 5, "user": "U"}},
    ]
    for event in events:
        answer = post(url, json.dumps(event), content_type="application/json")
        assert answer.status == 400, (event, answer)


def test_a_press_of_the_wrong_shape_tells_the_member_it_could_not_be_read(served, fake):
    url, _port, _proc = served
    payload = _press(actions=["x"], response_url=fake.response_url("badpress"))
    assert post(url, urlencode({"payload": json.dumps(payload)})).status == 400
    assert wait_until(lambda: fake.responses("badpress"))
    said = fake.responses("badpress")[0].params
    assert "couldn't read that" in said["text"] and said["response_type"] == "ephemeral"
    assert said["replace_original"] is False


def test_a_command_that_mentions_the_word_payload_is_still_a_command(served, fake):
    url, _port, _proc = served
    body = command_body(
        "/rapport",
        "help payload",
        user="UALICE",
        team=TEAM,
        response_url=fake.response_url("word"),
        trigger_id="t-word",
    )
    assert post(url, body).status == 200
    assert wait_until(lambda: fake.responses("word"))
