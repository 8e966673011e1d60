"""``/readyz`` of a real ``rapport slack`` over PostgreSQL: 503 naming the store while
the database is cut off (a TCP proxy the test stops), 200 again when it is back."""

from __future__ import annotations

import signal
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.test_cli import start, wait_until
from tests.pg import pg_schema, pg_url
from tests.store.test_store_sql_outage import Proxy, proxied

__all__ = ["pg_schema", "pg_url", "proxied"]

pytestmark = pytest.mark.postgres


def readyz(base: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(base + "/readyz", timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_readyz_follows_the_database(
    proxied: tuple[Proxy, str], pg_schema: str, tmp_path: Path
) -> None:
    proxy, url = proxied
    fake = FakeSlack()
    proc, events = start(
        fake, tmp_path, "slack", env={"RAPPORT_DATABASE_URL": f"{url}?schema={pg_schema}"}
    )
    base = events.rsplit("/slack/events", 1)[0]
    try:
        assert readyz(base) == (200, "ready\n")
        proxy.stop()
        assert wait_until(lambda: readyz(base)[0] == 503, timeout=15)
        _status, said = readyz(base)
        assert said.startswith("store: "), said
        with urllib.request.urlopen(base + "/healthz", timeout=5) as r:
            assert r.status == 200  # alive, just not ready
        proxy.start()
        assert wait_until(lambda: readyz(base)[0] == 200, timeout=15)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=20)
        fake.close()
    assert "Traceback" not in err, err
