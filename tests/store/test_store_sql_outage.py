"""PostgreSQL going away and coming back: ``StoreUnavailable``, nothing half-kept, and the
store reconnects by itself. The outage is a TCP proxy in front of the real server that
the test stops (dropping every connection) and starts again."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from store.base import StoreUnavailable
from store.sql_store import SQLStore
from tests.pg import pg_schema, pg_url

__all__ = ["pg_schema", "pg_url"]

pytestmark = pytest.mark.postgres


class Proxy:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None

    def start(self) -> None:
        ls = socket.socket()
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", self.port))
        ls.listen(16)
        self.port = ls.getsockname()[1]
        self.listener = ls
        threading.Thread(target=self._accept, args=(ls,), daemon=True).start()

    def _accept(self, ls: socket.socket) -> None:
        while True:
            try:
                client, _ = ls.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := a.recv(65536):
                b.sendall(data)
        for s in (a, b):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        """The database is gone: no new connections, and the open ones drop."""
        assert self.listener is not None
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread in accept()
        self.listener.close()
        with self.lock:
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.sockets = []


@pytest.fixture
def proxied(pg_url: str) -> Iterator[tuple[Proxy, str]]:
    u = make_url(pg_url)
    proxy = Proxy(u.host or "127.0.0.1", u.port or 5432)
    proxy.start()
    yield proxy, u.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    with contextlib.suppress(Exception):
        proxy.stop()


def test_a_database_outage_is_unavailable_and_the_store_comes_back(
    proxied: tuple[Proxy, str], pg_schema: str
) -> None:
    proxy, url = proxied
    s = SQLStore(url, schema=pg_schema)
    s.insert("t", {"id": "a"})
    proxy.stop()
    with pytest.raises(StoreUnavailable) as e:
        s.insert("t", {"id": "b"})
    assert "\n" not in str(e.value)
    with pytest.raises(StoreUnavailable):
        s.get("t", "a")
    proxy.start()
    s.insert("t", {"id": "c"})  # back by itself
    assert sorted(d["id"] for d in s.find("t")) == ["a", "c"]
    s.close()


def test_an_outage_inside_an_atomic_block_keeps_none_of_it(
    proxied: tuple[Proxy, str], pg_schema: str
) -> None:
    proxy, url = proxied
    s = SQLStore(url, schema=pg_schema)
    s.insert("t", {"id": "a", "n": 1})
    with pytest.raises(StoreUnavailable), s.atomic():
        s.update("t", "a", {"n": 2})
        with s.atomic():
            s.insert("t", {"id": "b"})
            proxy.stop()
            s.insert("t", {"id": "c"})
    proxy.start()
    assert s.find("t") == [{"id": "a", "n": 1}]
    s.insert("t", {"id": "d"})
    assert sorted(d["id"] for d in s.find("t")) == ["a", "d"]
    s.close()


def test_a_connection_dropped_while_idle_is_replaced_before_use(
    proxied: tuple[Proxy, str], pg_schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.sql_store as module

    monkeypatch.setattr(module, "IDLE_PING", 0.0)  # every checkout counts as idle
    proxy, url = proxied
    s = SQLStore(url, schema=pg_schema)
    s.insert("t", {"id": "a"})
    proxy.stop()  # a restart while the pool sits idle
    proxy.start()
    assert s.get("t", "a") == {"id": "a"}  # pinged, found dead, replaced: no error
    s.close()


def test_a_busy_connection_is_not_pinged(pg_url: str, pg_schema: str) -> None:
    import sqlalchemy as sa

    s = SQLStore(pg_url, schema=pg_schema)
    pings: list[object] = []
    real = s.engine.dialect.do_ping
    s.engine.dialect.do_ping = lambda c: pings.append(c) or real(c)  # type: ignore[method-assign]
    seen: list[str] = []
    sa.event.listen(s.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    for n in range(5):
        s.insert("t", {"id": str(n)})
        s.get("t", str(n))
    assert pings == [] and len(seen) == 10  # no SELECT 1 before each call
    s.close()
