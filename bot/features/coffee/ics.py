"""Calendar files (.ics) for coffee chats, built with the icalendar library.

Times are written in UTC, so every calendar shows the chat at the right local hour
whatever zone its owner lives in. The UID stays the same for one chat across
reschedules and cancellation, and SEQUENCE grows, so a calendar updates the event
it already has instead of adding a second one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from bot.messages import Attachment

PRODID = "-//rapport//coffee chats//EN"
FILENAME = "coffee-chat.ics"
MIME = "text/calendar"


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    return cal


def chat_event(
    *,
    uid: str,
    start: datetime,
    minutes: int,
    summary: str,
    description: str,
    sequence: int,
    stamp: datetime,
    cancelled: bool = False,
) -> Attachment:
    """One chat as an attachment: confirmed (PUBLISH) or called off (CANCEL)."""
    cal = _calendar("CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", (start + timedelta(minutes=minutes)).astimezone(UTC))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    cal.add_component(event)
    return Attachment(FILENAME, cal.to_ical().decode("utf-8"), MIME)
