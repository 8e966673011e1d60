"""Zone suggestions (Discord's autocomplete) follow the command's own reading: what the
member picks first is what typing it would have set."""

from __future__ import annotations

import pytest

from bot import settings
from bot.items import LABEL_LIMIT, zones


@pytest.mark.parametrize(
    ("typed", "first"),
    [("IST", "Asia/Kolkata"), ("utc+5", "UTC+05:00"), ("new york", "America/New_York")],
)
def test_the_first_suggestion_is_what_the_command_reads(typed: str, first: str) -> None:
    found = zones(typed)
    assert found[0][1] == first == settings.check_zone(typed).name
    assert settings.check_zone(found[0][1]).name == first  # picking it sets that zone
    assert all(len(label) <= LABEL_LIMIT for label, _ in found)
    assert len({value for _, value in found}) == len(found)  # no zone twice


def test_names_still_complete_as_typed() -> None:
    assert zones("Europe/Par")[0] == ("Europe/Paris", "Europe/Paris")
    assert zones("zzz") == []
