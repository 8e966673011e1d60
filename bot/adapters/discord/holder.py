"""Who holds the Discord gateway when several rapport processes share one PostgreSQL.

Discord sends each event to one gateway session per shard, so exactly one process may
connect each shard; every other process is a *standby*: it delivers the outbox over REST
(which needs no gateway) and tries again every ``RETRY_SECONDS`` to become the holder.

The decision is a PostgreSQL session-level advisory lock per shard, taken with
``pg_try_advisory_lock`` on a connection of its own that stays open for the life of the
process. The server drops the locks the moment that connection ends — the process died,
was killed, or lost the network — so a standby takes over within ``RETRY_SECONDS`` plus
the time to connect. A process takes all of its shards' locks or none (and lets go of
the ones it got), so processes with disjoint shard sets each hold their own, and two
with overlapping sets never both connect a shard. The holder checks its connection every
``RETRY_SECONDS``; when it is gone, so are the locks, and the holder must step down.

Keys come from a hash of the bot token (one bot, one gateway, whatever the database
schema) and the shard: ``(shard id, shard count)``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Iterable

import psycopg

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0  # how often a standby asks for the lock, and the holder checks it
CHECK_TIMEOUT = 5.0  # a lock connection that answers nothing for this long is lost


def lock_keys(token: str, shards: Iterable[int], shard_count: int) -> list[int]:
    """One advisory lock key (a signed 64-bit integer) per shard of this bot."""
    bot = hashlib.sha256(token.encode()).hexdigest()
    keys = []
    for shard in shards:
        digest = hashlib.sha256(f"rapport:discord-gateway:{bot}:{shard}/{shard_count}".encode())
        keys.append(int.from_bytes(digest.digest()[:8], "big", signed=True))
    return keys


class GatewayLock:
    """The advisory locks of one process's shards, on a connection of their own."""

    def __init__(self, conninfo: str, keys: list[int]) -> None:
        self.conninfo = conninfo
        self.keys = keys
        self._conn: psycopg.AsyncConnection | None = None

    async def acquire(self) -> bool:
        """Take every shard's lock, or none; False also when the database can't be reached."""
        try:
            conn = await self._connection()
            got: list[int] = []
            for key in self.keys:
                cur = await conn.execute("SELECT pg_try_advisory_lock(%s)", (key,))
                row = await cur.fetchone()
                if not (row and row[0]):
                    break
                got.append(key)
            if len(got) == len(self.keys):
                return True
            for key in got:
                await conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
            return False
        except (psycopg.Error, OSError) as err:
            log.warning("discord: cannot ask PostgreSQL for the gateway lock: %s", err)
            await self.release()
            return False

    async def lost(self) -> None:
        """Return when the lock connection (and with it the locks) is gone."""
        while True:
            await asyncio.sleep(RETRY_SECONDS)
            try:
                conn = self._conn
                if conn is None:
                    return
                await asyncio.wait_for(conn.execute("SELECT 1"), CHECK_TIMEOUT)
            except (psycopg.Error, OSError, TimeoutError) as err:
                log.error("discord: the gateway lock's database connection is gone: %s", err)
                await self.release()
                return

    async def release(self) -> None:
        """Let go of the locks by closing their connection."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except (psycopg.Error, OSError):
                pass

    async def _connection(self) -> psycopg.AsyncConnection:
        if self._conn is None or self._conn.closed:
            self._conn = await psycopg.AsyncConnection.connect(
                self.conninfo,
                autocommit=True,
                connect_timeout=10,
                application_name="rapport-discord-gateway",
                # A silent peer (a dead network) is noticed in seconds, not hours.
                keepalives=1,
                keepalives_idle=5,
                keepalives_interval=2,
                keepalives_count=3,
            )
        return self._conn
