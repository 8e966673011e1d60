"""Signed requests as Slack sends them: ``v0:{timestamp}:{body}`` HMAC-SHA256."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

SECRET = "test-signing-secret"


def signature(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Answer:
    status: int
    body: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def post(
    url: str,
    body: str,
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    sign_with: str | None = None,
    content_type: str = "application/x-www-form-urlencoded",
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> Answer:
    """POST ``body`` signed with ``secret`` (or ``sign_with``: a forged secret)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    all_headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature(sign_with or secret, ts, body),
        **(headers or {}),
    }
    request = urllib.request.Request(url, data=body.encode(), headers=all_headers, method="POST")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
            return Answer(response.status, text, time.perf_counter() - started)
    except urllib.error.HTTPError as err:
        return Answer(err.code, err.read().decode(), time.perf_counter() - started)


def command_body(
    command: str,
    text: str,
    *,
    user: str,
    team: str,
    response_url: str,
    trigger_id: str,
    channel: str = "CGENERAL",
    user_name: str = "someone",
) -> str:
    return urlencode(
        {
            "token": "legacy-unused",
            "team_id": team,
            "team_domain": "rapport-test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": "A0APP",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def action_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def event_body(event: dict[str, Any], *, team: str, event_id: str) -> str:
    return json.dumps(
        {
            "token": "legacy-unused",
            "team_id": team,
            "api_app_id": "A0APP",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
        }
    )
