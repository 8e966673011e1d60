"""Coffee's times: read with rapport's one time reader, shown in each person's zone.

Reading is ``bot.when`` (right or refused: "15h", "3pm Europe/London", DST gaps, 12/10
all handled there, each refusal with a reason and an example); this module only sets
the coffee rules (a time of day is needed, at most a year ahead) and shows moments.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.features.coffee import text as t
from bot.when import Moment, as_zone, read_moment, show_clock, show_reading, split_moment

MAX_AHEAD = timedelta(days=366)


def read_when(
    text: str,
    zone: ZoneInfo,
    now: datetime,
    *,
    need_time: bool = True,
    date_order: str | None = None,
    example: str = "",
) -> Moment:
    """The moment ``text`` means for someone in ``zone`` (the whole text must be a time).

    With ``need_time=False`` a bare date ("dec 20") means the start of that day
    (used for "pause until").
    """
    return read_moment(
        text,
        zone,
        now,
        need_time=need_time,
        default_time=None if need_time else time(0, 0),
        date_order=date_order,
        latest=MAX_AHEAD,
        example=example or t.EXAMPLE_INVITE,
    )


def picked(at: datetime, zone: ZoneInfo, now: datetime) -> Moment:
    """A moment a platform's own picker gave (Slack's datetimepicker), held to the rules
    typed times are held to: in the future, at most a year ahead."""
    if at <= now:
        raise UserError(t.PICKED_PAST)
    if at > now + MAX_AHEAD:
        raise UserError(t.PICKED_TOO_FAR)
    return Moment(at.astimezone(UTC), as_zone(zone), zone_typed=False, has_time=True)


def split_when(
    text: str, zone: ZoneInfo, now: datetime, *, date_order: str | None = None, example: str = ""
) -> tuple[Moment, str]:
    """The leading words that read as a time, and the rest (a topic).

    ``tomorrow 3pm career switch`` → (tomorrow 15:00, "career switch").
    """
    example = example or t.EXAMPLE_INVITE
    return split_moment(text, zone, now, date_order=date_order, latest=MAX_AHEAD, example=example)


def reading(moment: Moment, now: datetime) -> str:
    """How the words were read, when that is worth saying (an explicit zone, a rule)."""
    if not moment.zone_typed and not moment.rules:
        return ""
    return show_reading(moment, now=now)


def localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time the system itself picks (never typed), placed in ``zone``."""
    return naive.replace(tzinfo=zone).astimezone(UTC)


# -- showing moments -----------------------------------------------------------


def fmt_time(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def fmt_day(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}"


def describe(moment: datetime, zone: ZoneInfo, *, now: datetime | None = None) -> str:
    """``Wed 2 Dec, 15:00 (Europe/Berlin)``; the year appears when it isn't this one, and
    the offset when the clocks show that time twice (``Sun 31 Oct, 02:30 UTC+2 (…)``)."""
    local = moment.astimezone(zone)
    year = f" {local.year}" if now is not None and local.year != now.astimezone(zone).year else ""
    return f"{fmt_day(local)}{year}, {show_clock(local)} ({zone})"


def clock_in(moment: datetime, zone: ZoneInfo) -> str:
    """Just the wall-clock time and weekday in a zone: ``Wed 09:00``."""
    local = moment.astimezone(zone)
    return f"{local:%a} {show_clock(local)}"
