"""users.info as the directory: cached, refreshed daily, never blocking on known users."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.adapters.slack.client import make_client
from bot.adapters.slack.directory import REFRESH, SlackDirectory
from bot.directory import Member, StaticDirectory
from bot.io import Community
from tests.adapters.slack.fake_slack import TEAM, FakeSlack

SLACK = Community("slack", TEAM)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    f = FakeSlack()
    f.add_user("UA", "ana", tz="Asia/Tokyo", admin=True)
    f.add_user("UB", "ben", owner=True)
    f.add_user("UC", "cy")
    f.add_user("UX", "gone", deleted=True)
    f.add_user("UBOT", "rapport", bot=True)
    yield f
    f.close()


def directory(fake: FakeSlack, clock: Clock, **kw) -> SlackDirectory:
    client = make_client("xoxb-test", fake.api_url, sleep=lambda s: None)
    return SlackDirectory(client, clock=clock, background=False, **kw)


def test_profile_fields(fake: FakeSlack):
    d = directory(fake, Clock())
    assert d.member(SLACK, "UA") == Member("UA", "ana", tz="Asia/Tokyo", is_admin=True)
    assert d.member(SLACK, "UB").is_admin  # owners are admins
    assert not d.member(SLACK, "UC").is_admin
    assert d.member(SLACK, "UBOT").is_bot
    assert d.member(SLACK, "UX") is None  # deactivated
    assert d.member(SLACK, "UNOBODY") is None


def test_lookups_are_cached_and_refreshed_daily(fake: FakeSlack):
    clock = Clock()
    d = directory(fake, clock)
    d.member(SLACK, "UA")
    d.member(SLACK, "UA")
    assert len(fake.of("users.info")) == 1
    fake.users["UA"]["tz"] = "Europe/Paris"
    clock.now += REFRESH - 1
    assert d.member(SLACK, "UA").tz == "Asia/Tokyo"
    clock.now += 2
    d.member(SLACK, "UA")  # stale: answered, and refreshed
    assert d.member(SLACK, "UA").tz == "Europe/Paris"
    assert len(fake.of("users.info")) == 2


def test_a_failed_lookup_falls_back_to_what_is_known(fake: FakeSlack):
    clock = Clock()
    d = directory(fake, clock)
    assert d.member(SLACK, "UA").name == "ana"
    fake.fail("users.info", "internal_error")
    clock.now += REFRESH + 1
    assert d.member(SLACK, "UA").name == "ana"
    assert d.member(SLACK, "UC") == Member("UC", "UC")  # unknown yet: just the id


def test_each_platform_has_its_own_directory_in_the_core(fake: FakeSlack):
    from bot.directory import Directories

    console = StaticDirectory([Member("alice", "alice")])
    directories = Directories(console)
    client = make_client("xoxb-test", fake.api_url)
    directories.register("slack", SlackDirectory(client, background=False))
    assert directories.member(Community("console", "local"), "alice").name == "alice"
    assert fake.of("users.info") == []
