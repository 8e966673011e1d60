"""Start-up mistakes, through the real ``rapport`` command: one line on stderr saying what
is wrong and how to fix it, exit status 2, no traceback, and (when in doubt, refuse to
start and change no file) the store untouched: no file written, no table created."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from store import StoreConfigError, StoreUnavailable
from store.sql_store import SQLStore
from tests.adapters.slack.fake_slack import FakeSlack
from tests.pg import libpq_url, pg_schema, pg_url

__all__ = ["pg_schema", "pg_url"]  # fixtures, used by name

ROOT = Path(__file__).resolve().parents[1]


def rapport(
    *args: str, env: dict[str, str] | None = None, stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``rapport ARGS`` as a process with only the settings given (none inherited)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_", "RAPPORT_")) and k != "PORT"
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        env={**clean, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_line(done: subprocess.CompletedProcess[str], *wanted: str) -> str:
    """The refusal: exit status 2, exactly one line on stderr, holding each of ``wanted``."""
    err = done.stderr
    assert done.returncode == 2, (done.returncode, err)
    assert err.count("\n") == 1 and err.startswith("rapport"), err
    assert "Traceback" not in err
    for text in wanted:
        assert text in err, err
    return err


def files(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in ``directory``: its bytes and when it was last written."""
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in directory.iterdir() if p.is_file()
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A data directory holding a store a console session wrote."""
    d = tmp_path / "data"
    done = rapport("console", "--data-dir", str(d), "--script", "-", stdin="/rapport help\n")
    assert done.returncode == 0, done.stderr
    assert {"rapport.json", "rapport.journal"} <= set(os.listdir(d))
    return d


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port something else listens on (on every address, as a server would)."""
    with socket.socket() as s:
        s.bind(("0.0.0.0", 0))
        s.listen()
        yield int(s.getsockname()[1])


SLACK_HTTP = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret"}

PLATFORM_MISTAKES = [
    (["slack"], {"SLACK_BOT_TOKEN": "xoxb-test"}, "SLACK_SIGNING_SECRET"),
    (["slack"], {"SLACK_APP_TOKEN": "xapp-test"}, "SLACK_BOT_TOKEN"),
    (["slack"], {**SLACK_HTTP, "SLACK_PORT": "70000"}, "SLACK_PORT"),
    (["discord"], {"DISCORD_TOKEN": "x", "DISCORD_SHARD_COUNT": "0"}, "DISCORD_SHARD_COUNT"),
    (["discord"], {}, "DISCORD_TOKEN"),
    (["run"], {**SLACK_HTTP, "DISCORD_TOKEN": "x", "DISCORD_DEFER_AFTER": "9"}, "DEFER_AFTER"),
]


# -- 1. a platform setting mistake changes nothing ------------------------------------------


@pytest.mark.parametrize(("command", "env", "named"), [PLATFORM_MISTAKES[0], PLATFORM_MISTAKES[5]])
def test_a_platform_setting_mistake_leaves_the_store_as_it_was(
    store_dir: Path, command: list[str], env: dict[str, str], named: str
) -> None:
    before = files(store_dir)
    one_line(rapport(*command, "--data-dir", str(store_dir), env=env), named)
    assert files(store_dir) == before  # not even compacted


@pytest.mark.parametrize(("command", "env", "named"), [PLATFORM_MISTAKES[4]])
def test_a_platform_setting_mistake_creates_no_store(
    tmp_path: Path, command: list[str], env: dict[str, str], named: str
) -> None:
    one_line(rapport(*command, "--data-dir", str(tmp_path / "data"), env=env), named)
    assert not (tmp_path / "data").exists()


@pytest.mark.postgres
def test_a_platform_setting_mistake_creates_no_table(pg_url: str, pg_schema: str) -> None:
    url = f"{pg_url}?schema={pg_schema}"
    env = {"RAPPORT_DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-test"}
    one_line(rapport("slack", env=env), "SLACK_SIGNING_SECRET")
    with psycopg.connect(libpq_url(pg_url)) as conn:
        found = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (pg_schema,))
        assert found.fetchone() is None  # no schema, so no table and no upgrade


# -- 2. start-up messages: one line, naming the setting and the fix -------------------------


def test_slack_says_one_line_when_it_refuses_the_token(tmp_path: Path) -> None:
    """Bolt is built before Slack is asked: its warnings that ``token`` is unused (we give
    it our client and ``authorize``, as intended) must not come before the one line."""
    fake = FakeSlack()
    try:
        fake.fail("auth.test", "invalid_auth")
        env = {
            **SLACK_HTTP,
            "SLACK_API_URL": fake.api_url,
            "SLACK_HOST": "127.0.0.1",
            "SLACK_PORT": str(free_port()),
        }
        done = rapport("slack", "--data-dir", str(tmp_path / "data"), env=env)
    finally:
        fake.close()
    one_line(done, "Slack refused SLACK_BOT_TOKEN (invalid_auth)")


def test_discord_says_one_line_when_it_cannot_log_in(tmp_path: Path) -> None:
    """No warnings about voice libraries (rapport never joins a voice channel)."""
    env = {"DISCORD_TOKEN": "x", "DISCORD_API_URL": f"http://127.0.0.1:{free_port()}/api/v10"}
    err = one_line(
        rapport("discord", "--data-dir", str(tmp_path / "data"), env=env),
        "can't be reached",
        "DISCORD_API_URL",
    )
    assert "PyNaCl" not in err and "davey" not in err


def test_a_slack_port_in_use_is_named_with_the_fix(tmp_path: Path, taken_port: int) -> None:
    env = {**SLACK_HTTP, "SLACK_PORT": str(taken_port)}
    one_line(
        rapport("slack", "--data-dir", str(tmp_path / "data"), env=env),
        f"port {taken_port} is in use",
        "SLACK_PORT",
    )
    assert not (tmp_path / "data").exists()
    one_line(
        rapport("slack", "--data-dir", str(tmp_path / "data"), "--port", str(taken_port), env=env),
        f"port {taken_port} is in use",
        "--port",
    )


def test_a_metrics_port_in_use_is_named_with_the_fix(tmp_path: Path, taken_port: int) -> None:
    env = {
        **SLACK_HTTP,
        "SLACK_HOST": "127.0.0.1",
        "SLACK_PORT": str(free_port()),
        "RAPPORT_METRICS_PORT": str(taken_port),
    }
    one_line(
        rapport("slack", "--data-dir", str(tmp_path / "data"), env=env),
        f"port {taken_port} is in use",
        "RAPPORT_METRICS_PORT",
    )
    assert not (tmp_path / "data").exists()


def test_the_slack_port_taken_between_the_check_and_the_start(tmp_path: Path) -> None:
    """Binding for real says the same as the check before the store is opened."""
    from bot.adapters.slack.main import SlackConfigError, SlackService, SlackSettings
    from bot.bootstrap import bootstrap
    from bot.config import Config

    fake = FakeSlack()
    core = bootstrap(Config(data_dir=str(tmp_path / "data")))
    try:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            settings = SlackSettings(
                bot_token="xoxb-test",
                signing_secret="secret",
                api_url=fake.api_url,
                host="127.0.0.1",
                port=port,
            )
            service = SlackService(core, settings)

            async def start() -> None:
                try:
                    await service.start()
                finally:
                    await service.stop()

            with pytest.raises(SlackConfigError, match=f"port {port} is in use.*SLACK_PORT"):
                asyncio.run(start())
    finally:
        core.store.close()
        fake.close()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_PORT": "70000"}, "SLACK_PORT='70000' is not a port"),
        ({"SLACK_PORT": "-5"}, "SLACK_PORT='-5' is not a port"),
        ({"SLACK_PORT": "0"}, "SLACK_PORT='0' is not a port"),
        ({"PORT": "99999"}, "PORT='99999' is not a port"),
        ({"RAPPORT_INBOX_LEASE": "nan"}, "RAPPORT_INBOX_LEASE must be a number of seconds"),
        ({"RAPPORT_INBOX_LEASE": "inf"}, "RAPPORT_INBOX_LEASE must be a number of seconds"),
        ({"RAPPORT_INBOX_LEASE": "1e300"}, "RAPPORT_INBOX_LEASE must be a number of seconds"),
        ({"SLACK_HTTP_TIMEOUT": "nan"}, "SLACK_HTTP_TIMEOUT must be a number of seconds"),
        ({"SLACK_HTTP_TIMEOUT": "inf"}, "SLACK_HTTP_TIMEOUT must be a number of seconds"),
        ({"SLACK_HTTP_TIMEOUT": "-1"}, "SLACK_HTTP_TIMEOUT must be a number of seconds"),
        ({"SLACK_HOST": "no.such.host.invalid"}, "SLACK_HOST 'no.such.host.invalid' can't be"),
        ({"SLACK_HOST": "192.0.2.1"}, "SLACK_HOST '192.0.2.1' is not an address of this"),
    ],
)
def test_nonsense_slack_settings_are_named(env: dict[str, str], named: str) -> None:
    """Each refused by the check ``rapport slack`` runs before it opens anything (the
    process's one line and untouched store: the tests above and below)."""
    from bot.adapters.slack.main import SlackConfigError, slack_settings

    with pytest.raises(SlackConfigError) as refused:
        slack_settings({**SLACK_HTTP, **env})
    assert named in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_PORT": "70000"}, "SLACK_PORT='70000' is not a port"),
        ({"SLACK_HOST": "no.such.host.invalid"}, "SLACK_HOST 'no.such.host.invalid' can't be"),
    ],
)
def test_nonsense_slack_settings_stop_the_process_in_one_line(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    one_line(
        rapport("slack", "--data-dir", str(tmp_path / "data"), env={**SLACK_HTTP, **env}), named
    )
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"RAPPORT_LOG_FORMAT": "xml"}, "'xml' is not a log format"),
        ({"RAPPORT_LOG_LEVEL": "loud"}, "'loud' is not a log level"),
        ({"RAPPORT_METRICS_PORT": "70000"}, "RAPPORT_METRICS_PORT"),
    ],
)
def test_nonsense_general_settings_are_named(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    done = rapport("console", "--data-dir", str(tmp_path / "data"), "--script", "-", env=env)
    one_line(done, named)
    assert not (tmp_path / "data").exists()


# -- 3. and 5. a database rapport can't use --------------------------------------------------


def test_a_sqlite_url_naming_a_text_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    env = {"RAPPORT_DATABASE_URL": f"sqlite:///{text}"}
    one_line(rapport("console", "--script", "-", env=env), f"{text} is not a SQLite database")
    assert text.read_text() == "not a database\n"
    assert sorted(os.listdir(tmp_path)) == ["notes.txt"]  # no journal or WAL file beside it


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"database": "rapport_no_such_db"}, "database rapport_no_such_db does not exist"),
        ({"username": "rapport_no_such_role"}, "no role (user) rapport_no_such_role"),
        ({"query": {"sslmode": "bogus"}}, 'bad option (invalid sslmode value: "bogus")'),
        ({"query": {"keepalives_idle": "x"}}, "bad option (invalid integer value"),
    ],
)
def test_a_database_that_refuses_rapport_is_not_an_outage(
    pg_url: str, change: dict, said: str
) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(pg_url).set(**change).render_as_string(hide_password=False)
    with pytest.raises(StoreConfigError) as refused:  # what `rapport` prints as its one line
        SQLStore(url).close()
    err = str(refused.value)
    assert said in err and "\n" not in err
    assert "unavailable" not in err and "reconnects by itself" not in err


@pytest.mark.postgres
def test_a_missing_database_said_by_store_check_too(pg_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(pg_url).set(database="rapport_no_such_db").render_as_string(False)
    done = rapport("store", "check", env={"RAPPORT_DATABASE_URL": url})
    assert "database rapport_no_such_db does not exist: create it" in done.stderr
    assert "reconnects by itself" not in done.stderr


def test_an_unreachable_database_is_still_an_outage() -> None:
    env = {"RAPPORT_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/test"}
    one_line(rapport("console", "--script", "-", env=env), "is unavailable", "reconnects by itself")


# -- 4. a folder where a store file goes -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("rapport.journal", ["console", "--script", "-"]),
        ("rapport.json", ["store", "check"]),
    ],
)
def test_a_folder_where_a_store_file_goes(store_dir: Path, name: str, command: list[str]) -> None:
    target = store_dir / name
    if target.exists():
        target.unlink()
    target.mkdir()
    before = files(store_dir)
    where = ["--data-dir", str(store_dir)] if command[0] == "console" else [str(store_dir)]
    one_line(rapport(*command, *where), f"{target} is a folder")
    assert files(store_dir) == before and target.is_dir()


# -- 7. paths and console options ------------------------------------------------------------


def test_a_data_dir_whose_parent_does_not_exist(tmp_path: Path) -> None:
    wanted = tmp_path / "typo" / "deep" / "data"
    done = rapport("console", "--script", "-", env={"RAPPORT_DATA_DIR": str(wanted)})
    one_line(done, f"the folder {wanted.parent}", "does not exist")
    assert not (tmp_path / "typo").exists()


def test_a_data_dir_in_an_existing_folder_is_created(tmp_path: Path) -> None:
    done = rapport(
        "console",
        "--script",
        "-",
        stdin="/rapport help\n",
        env={"RAPPORT_DATA_DIR": str(tmp_path / "d")},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "d" / "rapport.json").is_file()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--members", "-5"], "'-5' is not a number of members"),
        (["--members", "many"], "'many' is not a number of members"),
        (["--tz", "Mars/Base"], "'Mars/Base' is not a time zone"),
    ],
)
def test_nonsense_console_options(tmp_path: Path, args: list[str], said: str) -> None:
    done = rapport("console", "--data-dir", str(tmp_path / "data"), *args, "--script", "-")
    one_line(done, said)
    assert not (tmp_path / "data").exists()


def test_console_options_that_make_sense(tmp_path: Path) -> None:
    done = rapport(
        "console",
        "--data-dir",
        str(tmp_path / "data"),
        "--members",
        "3",
        "--tz",
        "Europe/Berlin",
        "--script",
        "-",
        stdin="/rapport help\n",
    )
    assert done.returncode == 0, done.stderr


# -- 6. a PostgreSQL that stops answering ends in an error, not a hang -----------------------


@pytest.mark.postgres
def test_connections_find_a_dead_peer_and_bound_statements(pg_url: str, pg_schema: str) -> None:
    store = SQLStore(pg_url, schema=pg_schema)
    try:
        with store.engine.connect() as conn:
            show = conn.exec_driver_sql
            assert show("SHOW statement_timeout").scalar() == "15s"
            assert show("SHOW lock_timeout").scalar() == "5s"
            assert show("SHOW search_path").scalar() == pg_schema
            dsn = conn.connection.dbapi_connection.info.dsn
        for param in ("keepalives=1", "keepalives_idle=", "keepalives_count=", "tcp_user_timeout="):
            assert param in dsn, dsn
    finally:
        store.close()


@pytest.mark.postgres
def test_the_url_may_set_its_own_timeouts(pg_url: str, pg_schema: str) -> None:
    url = f"{pg_url}?options=-c%20statement_timeout%3D60s&tcp_user_timeout=30000"
    store = SQLStore(url, schema=pg_schema)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "1min"
            assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "5s"
            assert "tcp_user_timeout=30000" in conn.connection.dbapi_connection.info.dsn
    finally:
        store.close()


@pytest.mark.postgres
def test_a_write_stuck_behind_a_lock_fails_as_nothing_kept(pg_url: str, pg_schema: str) -> None:
    """A record locked by a session that never ends its transaction: the write waits at
    most the lock timeout, then says the store is unavailable and nothing was kept."""
    # A 1 s lock timeout (the default is 5 s): the URL's own setting wins.
    quick = pg_url + ("&" if "?" in pg_url else "?") + "options=-c%20lock_timeout%3D1s"
    store = SQLStore(quick, schema=pg_schema)
    outcome: list[BaseException | None] = []

    def write() -> None:
        try:
            store.update("notes", "n1", {"text": "second"})
            outcome.append(None)
        except BaseException as e:
            outcome.append(e)

    try:
        store.insert("notes", {"id": "n1", "text": "first"})
        with psycopg.connect(libpq_url(pg_url)) as holder:
            holder.execute(f'SET search_path TO "{pg_schema}"')
            holder.execute("SELECT 1 FROM records WHERE id = 'n1' FOR UPDATE")
            writer = threading.Thread(target=write, daemon=True)
            writer.start()
            writer.join(30)
            stuck = writer.is_alive()
            holder.rollback()  # lets a stuck write through, so the test ends either way
            writer.join(30)
        assert not stuck, "the write waited on the lock for 30 s"
        assert isinstance(outcome[0], StoreUnavailable), outcome
        assert "nothing of this call was kept" in str(outcome[0])
        assert store.get("notes", "n1")["text"] == "first"
    finally:
        store.close()


def test_a_refusal_at_open_is_a_config_error(tmp_path: Path) -> None:
    text = tmp_path / "t.db"
    text.write_text("hello")
    with pytest.raises(StoreConfigError, match="is not a SQLite database"):
        SQLStore(f"sqlite:///{text}")
