"""The phrase corpus: what members really type, read in three member zones.

Clock: Tue 1 Dec 2026 09:00 UTC (10:00 Berlin, 04:00 New York, 14:30 Kolkata).
Each phrase expects a reading — local wall clock in the reading's zone
("2026-12-02 15:00"), optionally "@Zone" for the zone, or "UTC …" for an exact
instant — or a refusal "!kind". A dict gives per-zone expectations ("*" = the rest).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.when import Refusal, read_followup, read_moment

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ZONES = {"Berlin": "Europe/Berlin", "NY": "America/New_York", "Kolkata": "Asia/Kolkata"}

T15 = "2026-12-01 15:00"
W15 = "2026-12-02 15:00"

CORPUS: list[tuple[str, str | dict[str, str]]] = [
    # -- today, time only ------------------------------------------------------------
    ("today 3pm", T15),
    ("3pm", T15),
    ("3 pm", T15),
    ("3PM", T15),
    ("3 PM", T15),
    ("3:00pm", T15),
    ("3:00 pm", T15),
    ("3.00pm", T15),
    ("3 p.m.", T15),
    ("3:00 p.m.", T15),
    ("3p.m.", T15),
    ("15:00", T15),
    ("15.00", T15),
    ("15h", T15),
    ("15h00", T15),
    ("1500h", T15),
    ("1500hrs", T15),
    ("at 3pm", T15),
    ("at 15:00", T15),
    ("@ 3pm", T15),
    ("3pm today", T15),
    ("today at 3pm", T15),
    ("today, 3pm", T15),
    ("Today 3pm.", T15),
    ("today 15:00:00", T15),
    ("3:30pm", "2026-12-01 15:30"),
    ("3.30pm", "2026-12-01 15:30"),
    ("15h30", "2026-12-01 15:30"),
    ("15:30", "2026-12-01 15:30"),
    ("3:30 p.m.", "2026-12-01 15:30"),
    ("today 11am", {"*": "2026-12-01 11:00", "Kolkata": "!past"}),
    ("noon", {"*": "2026-12-01 12:00", "Kolkata": "!past"}),
    ("midday today", {"*": "2026-12-01 12:00", "Kolkata": "!past"}),
    ("today 8am", {"*": "!past", "NY": "2026-12-01 08:00"}),
    ("today 3am", "!past"),
    ("midnight", "2026-12-02 00:00"),
    ("at midnight", "2026-12-02 00:00"),
    ("tonight at 8", "2026-12-01 20:00"),
    ("tonight 8pm", "2026-12-01 20:00"),
    ("8 tonight", "2026-12-01 20:00"),
    ("tonight at 9:30", "2026-12-01 21:30"),
    ("this evening 7pm", "2026-12-01 19:00"),
    ("this evening at 7", "2026-12-01 19:00"),
    ("this afternoon at 4", {"*": "2026-12-01 16:00"}),
    ("this morning 11am", {"*": "2026-12-01 11:00", "Kolkata": "!past"}),
    ("today at 5 in the afternoon", "2026-12-01 17:00"),
    # -- tomorrow -----------------------------------------------------------------------
    ("tomorrow 3pm", W15),
    ("tmrw 3pm", W15),
    ("tmr 3pm", W15),
    ("tmw 3pm", W15),
    ("tomorow 3pm", W15),
    ("tommorow 3pm", W15),
    ("tomorrow at 3pm", W15),
    ("Tomorrow 3 PM", W15),
    ("tomorrow, 3pm", W15),
    ("tomorrow,3pm", W15),
    ("tomorrow 15:00", W15),
    ("tomorrow 15h", W15),
    ("TOMORROW 3PM", W15),
    ("tomorrow  3pm", W15),
    ("  tomorrow 3pm  ", W15),
    ("tomorrow 3pm!", W15),
    ("tomorrow at 3 pm.", W15),
    ("tomorrow 3pm?", W15),
    ("3pm tomorrow", W15),
    ("15:00 tomorrow", W15),
    ("tomorrow @ 3pm", W15),
    ("tomorrow at 15.00", W15),
    ("tomorrow 3:00 PM", W15),
    ("tomorrow 3:00pm", W15),
    ("Tomorrow at 3:00 P.M.", W15),
    ("tomorrow afternoon at 3", W15),
    ("tomorrow at 3 in the afternoon", W15),
    ("tomorrow around 3pm", W15),
    ("tomorrow 9am", "2026-12-02 09:00"),
    ("tomorrow 9 am", "2026-12-02 09:00"),
    ("tomorrow 09:00", "2026-12-02 09:00"),
    ("tomorrow 9h", "2026-12-02 09:00"),
    ("tomorrow morning at 9", "2026-12-02 09:00"),
    ("tomorrow at 9 in the morning", "2026-12-02 09:00"),
    ("tomorrow morning 9:30", "2026-12-02 09:30"),
    ("tomorrow midday", "2026-12-02 12:00"),
    ("tomorrow noon", "2026-12-02 12:00"),
    ("tomorrow at noon", "2026-12-02 12:00"),
    ("tomorrow 12 noon", "2026-12-02 12:00"),
    ("tomorrow 12pm", "2026-12-02 12:00"),
    ("tomorrow 12am", "2026-12-02 00:00"),
    ("tomorrow evening 7pm", "2026-12-02 19:00"),
    ("tomorrow night at 8", "2026-12-02 20:00"),
    ("tomorrow 10:30", "2026-12-02 10:30"),
    ("tomorrow 10.30am", "2026-12-02 10:30"),
    ("tomorrow 8:05", "2026-12-02 08:05"),
    ("tomorrow 23:59", "2026-12-02 23:59"),
    ("tomorrow 00:30", "2026-12-02 00:30"),
    ("day after tomorrow 3pm", "2026-12-03 15:00"),
    ("the day after tomorrow at 3pm", "!unreadable"),
    # -- in N days / hours ---------------------------------------------------------------
    ("in 2 days at 10am", "2026-12-03 10:00"),
    ("in 2 days 10am", "2026-12-03 10:00"),
    ("in two days at 10am", "2026-12-03 10:00"),
    ("In 2 days at 10AM", "2026-12-03 10:00"),
    ("in 2 days at noon", "2026-12-03 12:00"),
    ("in 3 days at noon", "2026-12-04 12:00"),
    ("in a week at 9am", "2026-12-08 09:00"),
    ("in 1 week 9am", "2026-12-08 09:00"),
    ("in 2 weeks at 3pm", "2026-12-15 15:00"),
    ("in a fortnight at 3pm", "2026-12-15 15:00"),
    ("in a month at 3pm", "2027-01-01 15:00"),
    ("10am in 2 days", "2026-12-03 10:00"),
    ("in 3 hours", "UTC 2026-12-01 12:00"),
    ("in 3 hrs", "UTC 2026-12-01 12:00"),
    ("in 3h", "UTC 2026-12-01 12:00"),
    ("in 90 minutes", "UTC 2026-12-01 10:30"),
    ("in 90 mins", "UTC 2026-12-01 10:30"),
    ("in 90 min", "UTC 2026-12-01 10:30"),
    ("in 90m", "UTC 2026-12-01 10:30"),
    ("in 1 hour", "UTC 2026-12-01 10:00"),
    ("in an hour", "UTC 2026-12-01 10:00"),
    ("in one hour", "UTC 2026-12-01 10:00"),
    ("in half an hour", "UTC 2026-12-01 09:30"),
    ("in 2h", "UTC 2026-12-01 11:00"),
    ("in 45 min", "UTC 2026-12-01 09:45"),
    ("in 1h30m", "UTC 2026-12-01 10:30"),
    ("in an hour and a half", "UTC 2026-12-01 10:30"),
    ("in 2 hours and 30 minutes", "UTC 2026-12-01 11:30"),
    ("in 3 hours 30 minutes", "UTC 2026-12-01 12:30"),
    ("2 hours from now", "UTC 2026-12-01 11:00"),
    ("in 3 hours at 5pm", "!conflict"),
    ("in 2 days", "!needs_time"),
    ("in a few days 3pm", "!vague"),
    ("in 0 days at 3pm", "!vague"),
    ("in 1000000000 days", "!too_far"),
    ("in 99999999999999999999 minutes", "!too_far"),
    ("in 400 days at 3pm", "!too_far"),
    ("in 2 years at 3pm", "!too_far"),
    ("in 5000 years", "!too_far"),
    ("in 10 years", "!too_far"),  # the distance is said before asking for a time
    ("15 dec 2030", "!too_far"),
    ("15 dec 2025", "!past"),
    ("in 2 hours and 3 days", "!vague"),
    # -- weekdays (today is Tuesday) --------------------------------------------------------
    ("friday 3pm", "2026-12-04 15:00"),
    ("fri 3pm", "2026-12-04 15:00"),
    ("Friday 3pm", "2026-12-04 15:00"),
    ("FRIDAY 3PM", "2026-12-04 15:00"),
    ("on friday 3pm", "2026-12-04 15:00"),
    ("on friday at 3pm", "2026-12-04 15:00"),
    ("friday at 3pm", "2026-12-04 15:00"),
    ("Friday, 3pm", "2026-12-04 15:00"),
    ("friday 15:00", "2026-12-04 15:00"),
    ("3pm friday", "2026-12-04 15:00"),
    ("3pm on friday", "2026-12-04 15:00"),
    ("this friday 3pm", "2026-12-04 15:00"),
    ("this coming friday 3pm", "2026-12-04 15:00"),
    ("coming friday 3pm", "2026-12-04 15:00"),
    ("friday this week 3pm", "2026-12-04 15:00"),
    ("next friday 3pm", "2026-12-11 15:00"),
    ("next fri 3pm", "2026-12-11 15:00"),
    ("Next Friday at 3pm", "2026-12-11 15:00"),
    ("friday next week 3pm", "2026-12-11 15:00"),
    ("friday next week at 3pm", "2026-12-11 15:00"),
    ("thu 10:30", "2026-12-03 10:30"),
    ("thursday at 10:30", "2026-12-03 10:30"),
    ("thurs 10:30", "2026-12-03 10:30"),
    ("thur 10:30", "2026-12-03 10:30"),
    ("Thu 10.30am", "2026-12-03 10:30"),
    ("wed 9am", "2026-12-02 09:00"),
    ("weds 9am", "2026-12-02 09:00"),
    ("wednesday 9am", "2026-12-02 09:00"),
    ("next wednesday 9am", "2026-12-09 09:00"),
    ("monday 9am", "2026-12-07 09:00"),
    ("mon 9am", "2026-12-07 09:00"),
    ("next monday 9am", "2026-12-07 09:00"),
    ("sunday 5pm", "2026-12-06 17:00"),
    ("sun 5pm", "2026-12-06 17:00"),
    ("next sunday 5pm", "2026-12-13 17:00"),
    ("saturday noon", "2026-12-05 12:00"),
    ("sat 11am", "2026-12-05 11:00"),
    ("tuesday 3pm", "!ambiguous"),
    ("tue 3pm", "!ambiguous"),
    ("this tuesday 3pm", "2026-12-01 15:00"),
    ("next tuesday 3pm", "2026-12-08 15:00"),
    ("tues next week 3pm", "2026-12-08 15:00"),
    ("last friday 3pm", "!past"),
    ("yesterday 3pm", "!past"),
    ("friday", "!needs_time"),
    ("next friday", "!needs_time"),
    ("on friday", "!needs_time"),
    ("tomorrow", "!needs_time"),
    ("Tomorrow.", "!needs_time"),
    ("friday midnight", "!ambiguous"),
    ("tomorrow friday 3pm", "!conflict"),
    ("next this friday 3pm", "!unreadable"),
    # -- ISO and month-name dates ----------------------------------------------------------
    ("2026-12-15 15:00", "2026-12-15 15:00"),
    ("2026-12-15 3pm", "2026-12-15 15:00"),
    ("2026-12-15 at 3pm", "2026-12-15 15:00"),
    ("2026/12/15 15:00", "2026-12-15 15:00"),
    ("2026-12-15T15:00", "2026-12-15 15:00"),
    ("on 2026-12-15 at 15:00", "2026-12-15 15:00"),
    ("2026-12-03 15:00", "2026-12-03 15:00"),
    ("15 dec 3pm", "2026-12-15 15:00"),
    ("15 Dec 3pm", "2026-12-15 15:00"),
    ("dec 15 3pm", "2026-12-15 15:00"),
    ("Dec 15, 3pm", "2026-12-15 15:00"),
    ("december 15 3pm", "2026-12-15 15:00"),
    ("december 15th 3pm", "2026-12-15 15:00"),
    ("December 15th at 3pm", "2026-12-15 15:00"),
    ("15th december 3pm", "2026-12-15 15:00"),
    ("15th of december 3pm", "2026-12-15 15:00"),
    ("the 15th of december at 3pm", "2026-12-15 15:00"),
    ("on the 15th of December at 3pm", "2026-12-15 15:00"),
    ("15 december 2026 3pm", "2026-12-15 15:00"),
    ("dec 15 2026 3pm", "2026-12-15 15:00"),
    ("Dec 15, 2026 at 3pm", "2026-12-15 15:00"),
    ("december the 15th 3pm", "2026-12-15 15:00"),
    ("tue 15 dec 3pm", "2026-12-15 15:00"),
    ("Tuesday, December 15th at 3pm", "2026-12-15 15:00"),
    ("wed 15 dec 3pm", "!impossible"),
    ("dec 24 18:00", "2026-12-24 18:00"),
    ("24 dec at 6pm", "2026-12-24 18:00"),
    ("the 20th 3pm", "2026-12-20 15:00"),
    ("on the 20th at 3pm", "2026-12-20 15:00"),
    ("20th at 3pm", "2026-12-20 15:00"),
    ("jan 5 10am", "2027-01-05 10:00"),
    ("5 jan 10am", "2027-01-05 10:00"),
    ("january 5th 10am", "2027-01-05 10:00"),
    ("15 jan 2027 10am", "2027-01-15 10:00"),
    ("sept 1 10am", "2027-09-01 10:00"),
    ("1 dec 3pm", "2026-12-01 15:00"),
    ("1 dec 9am", {"*": "!past", "NY": "2026-12-01 09:00"}),
    ("nov 30 3pm", "!past"),
    ("30 nov 3pm", "!past"),
    ("30 nov 2027 3pm", "2027-11-30 15:00"),
    ("31 feb 3pm", "!impossible"),
    ("feb 31 3pm", "!impossible"),
    ("Feb 31 at 3pm", "!impossible"),
    ("feb 30 3pm", "!impossible"),
    ("feb 29 3pm", "!impossible"),
    ("feb 28 3pm", "2027-02-28 15:00"),
    ("31 nov 3pm", "!impossible"),
    ("april 31 3pm", "!impossible"),
    ("32 dec 3pm", "!impossible"),
    ("dec 0 3pm", "!impossible"),
    ("31 feb", "!impossible"),
    ("15 dec 2025 3pm", "!past"),
    ("2026-11-30 15:00", "!past"),
    ("2020-01-01 10:00", "!past"),
    ("15 dec 2030 3pm", "!too_far"),
    ("2028-06-01 10:00", "!too_far"),
    ("2026-13-01 10:00", "!impossible"),
    ("2026-02-30 10:00", "!impossible"),
    ("dec 15", "!needs_time"),
    ("on 15 dec", "!needs_time"),
    ("december 2026", "!vague"),
    # -- numeric dates (no date order known) -----------------------------------------------
    ("12/10 3pm", "!ambiguous"),
    ("12/10", "!ambiguous"),
    ("12/10/2026", "!ambiguous"),
    ("03/04/2027 15:00", "!ambiguous"),
    ("3/4 3pm", "!ambiguous"),
    ("25/12 3pm", "2026-12-25 15:00"),
    ("12/25 3pm", "2026-12-25 15:00"),
    ("25/12/2026 3pm", "2026-12-25 15:00"),
    ("12/25/2026 3pm", "2026-12-25 15:00"),
    ("25/12/26 3pm", "2026-12-25 15:00"),
    ("13/03/2027 15:00", "2027-03-13 15:00"),
    ("5/5 3pm", "2027-05-05 15:00"),
    ("15.12.2026 15:00", "2026-12-15 15:00"),
    ("15.12. 15:00", "2026-12-15 15:00"),
    ("31/02 3pm", "!impossible"),
    ("13/13 3pm", "!impossible"),
    ("40/10 3pm", "!impossible"),
    # -- zones written after the time --------------------------------------------------------
    ("tomorrow 3pm Europe/London", W15 + " @Europe/London"),
    ("tomorrow 3pm europe/london", W15 + " @Europe/London"),
    ("tomorrow 3pm london", W15 + " @Europe/London"),
    ("tomorrow 3pm London time", W15 + " @Europe/London"),
    ("tomorrow 3pm (London)", W15 + " @Europe/London"),
    ("tomorrow 3pm in London", W15 + " @Europe/London"),
    ("tomorrow at 3pm UK time", W15 + " @Europe/London"),
    ("tomorrow 3pm BST", "!zone"),  # summer time in December: which hour is meant?
    ("tomorrow 3pm GMT", W15 + " @UTC"),
    ("tomorrow 3pm UTC", W15 + " @UTC"),
    ("tomorrow 3pm utc", W15 + " @UTC"),
    ("tomorrow 3pm Z", W15 + " @UTC"),
    ("tomorrow 3pm UTC+1", W15 + " @UTC+01:00"),
    ("tomorrow 3pm GMT+1", W15 + " @UTC+01:00"),
    ("tomorrow 3pm UTC-5", W15 + " @UTC-05:00"),
    ("tomorrow 3pm UTC+5:30", W15 + " @UTC+05:30"),
    ("tomorrow 3pm utc + 5:30", W15 + " @UTC+05:30"),
    ("tomorrow 3pm UTC+0530", W15 + " @UTC+05:30"),
    ("tomorrow 3pm UTC−3", W15 + " @UTC-03:00"),
    ("tomorrow 3pm EST", W15 + " @America/New_York"),
    ("tomorrow 3pm EDT", "!zone"),
    ("tomorrow 3pm ET", W15 + " @America/New_York"),
    ("tomorrow 3pm est", W15 + " @America/New_York"),
    ("tomorrow 3pm New York", W15 + " @America/New_York"),
    ("tomorrow 3pm new york time", W15 + " @America/New_York"),
    ("tomorrow 3pm NYC", W15 + " @America/New_York"),
    ("tomorrow 3pm eastern time", W15 + " @America/New_York"),
    ("tomorrow 3pm PST", W15 + " @America/Los_Angeles"),
    ("tomorrow 3pm PT", W15 + " @America/Los_Angeles"),
    ("tomorrow 3pm pacific time", W15 + " @America/Los_Angeles"),
    ("tomorrow 3pm San Francisco", W15 + " @America/Los_Angeles"),
    ("tomorrow 3pm CST", W15 + " @America/Chicago"),
    ("tomorrow 3pm CT", W15 + " @America/Chicago"),
    ("tomorrow 3pm MST", W15 + " @America/Denver"),
    ("tomorrow 3pm CET", W15 + " @Europe/Berlin"),
    ("tomorrow 3pm CEST", "!zone"),
    ("tomorrow 3pm Paris", W15 + " @Europe/Paris"),
    ("tomorrow 3pm IST", W15 + " @Asia/Kolkata"),
    ("tomorrow 3pm India time", W15 + " @Asia/Kolkata"),
    ("tomorrow 3pm india", W15 + " @Asia/Kolkata"),
    ("tomorrow 3pm Bangalore", W15 + " @Asia/Kolkata"),
    ("tomorrow 3pm Asia/Kolkata", W15 + " @Asia/Kolkata"),
    ("tomorrow 3pm JST", W15 + " @Asia/Tokyo"),
    ("tomorrow 3pm Tokyo", W15 + " @Asia/Tokyo"),
    ("tomorrow 3pm AEST", "!zone"),  # Sydney is on summer time (AEDT) in December
    ("tomorrow 3pm AEDT", W15 + " @Australia/Sydney"),
    ("tomorrow 3pm São Paulo", W15 + " @America/Sao_Paulo"),
    ("tomorrow 3pm sao paulo", W15 + " @America/Sao_Paulo"),
    ("3pm tomorrow Berlin time", W15 + " @Europe/Berlin"),
    ("friday 10am EST", "2026-12-04 10:00 @America/New_York"),
    ("dec 15 3pm UTC", "2026-12-15 15:00 @UTC"),
    ("15:00 UTC", "2026-12-01 15:00 @UTC"),
    ("today 3pm Asia/Tokyo", "!past"),
    ("tomorrow 3pm Etc/GMT+1", "!ambiguous"),
    ("tomorrow 3pm UTC+15", "!too_far"),
    ("tomorrow 3pm UTC+5:20", "!unreadable"),
    ("tomorrow 3pm Narnia", "!unreadable"),
    ("tomorrow 3pm cat", "!unreadable"),
    # a word that can only be a zone is never dropped (it would become the topic)
    ("tomorrow 3pm Europe/Pariss", "!zone"),
    ("tomorrow 3pm europe/pariss", "!zone"),
    ("tomorrow 3pm (Europe/Pariss)", "!zone"),
    ("tomorrow 3pm in Europe/Pariss", "!zone"),
    ("tomorrow 3pm Europe/Pariss time", "!zone"),
    ("tomorrow 3pm Mars/Olympus", "!zone"),
    ("tomorrow 3pm America/Nu_York", "!zone"),
    ("tomorrow 3pm Pacific", "!ambiguous"),
    ("tomorrow 3pm PACIFIC", "!ambiguous"),
    ("tomorrow 3pm Eastern", "!ambiguous"),
    ("tomorrow 3pm Central", "!ambiguous"),
    ("tomorrow 3pm pros/cons", "!unreadable"),  # words of a topic, not a zone
    ("tomorrow 3pm UI/UX", "!unreadable"),
    ("tomorrow 3pm Pacific Northwest", "!unreadable"),
    # one season's abbreviation on a day of the other season
    ("tomorrow 3pm GMT+1", W15 + " @UTC+01:00"),
    ("tomorrow 3pm PDT", "!zone"),
    ("tomorrow 3pm NZST", "!zone"),
    ("tomorrow 3pm NZDT", W15 + " @Pacific/Auckland"),
    ("tomorrow 3pm WET", W15 + " @Europe/Lisbon"),
    ("tomorrow 3pm WEST", "!zone"),
    # -- vague, unreadable, impossible ------------------------------------------------------------
    ("tomorrow at 3", "!vague"),
    ("tomorrow 3", "!vague"),
    ("at 3", "!vague"),
    ("3 o'clock tomorrow", "!vague"),
    ("tomorrow 3 o'clock", "!vague"),
    ("tomorrow morning", "!vague"),
    ("tomorrow evening", "!vague"),
    ("tonight", "!vague"),
    ("this afternoon", "!vague"),
    ("tomorrow 1500", "!vague"),
    ("1500", "!vague"),
    ("tomorrow 3h", "!vague"),
    ("tomorrow 25:00", "!impossible"),
    ("tomorrow 15pm", "!impossible"),
    ("tomorrow 13:60", "!impossible"),
    ("tomorrow 24:00", "!impossible"),
    ("tomorrow 0am", "!impossible"),
    ("tomorrow 13am", "!impossible"),
    ("tomorrow midnight", "!ambiguous"),
    ("wed midnight", "!ambiguous"),
    ("tomorrow 3pm 4pm", "!conflict"),
    # a range: one start time, please
    ("tomorrow 3pm-4pm", "!conflict"),
    ("tomorrow 3-4pm", "!conflict"),
    ("tomorrow 3pm - 4pm", "!conflict"),
    ("tomorrow 3pm to 4pm", "!conflict"),
    ("tomorrow 3pm – 4:30pm", "!conflict"),
    ("tomorrow 15:00-16:00", "!conflict"),
    ("2026-12-15T25:00", "!impossible"),
    ("tonight 9am", "!conflict"),
    ("this morning 3pm", "!conflict"),
    ("tomorrow morning 3pm", "!conflict"),
    ("soon", "!unreadable"),
    ("whenever", "!unreadable"),
    ("asap", "!unreadable"),
    ("banana", "!unreadable"),
    ("half past 3", "!unreadable"),
    ("quarter to 4 tomorrow", "!unreadable"),
    ("next week", "!needs_time"),
    ("", "!empty"),
    ("   ", "!empty"),
]

# Variations people really type on a handful of phrases: capitals, trailing marks, spaces.
_VARIED = [
    "tomorrow 3pm",
    "friday 10:30",
    "next friday 3pm",
    "in 2 days at 10am",
    "dec 15 3pm",
    "tomorrow 3pm london",
    "25/12 3pm",
    "tomorrow at 9am",
    "thu 2pm",
    "sat noon",
]


def _variants(text: str) -> list[str]:
    return [
        text.upper(),
        text.title(),
        text + ".",
        text + " !",
        text.replace(" ", "  "),
        "  " + text.capitalize(),
    ]


def _expanded() -> list[tuple[str, str | dict[str, str]]]:
    seen = {text for text, _ in CORPUS}
    out = list(CORPUS)
    base = dict(CORPUS)
    extra = {
        "friday 10:30": "2026-12-04 10:30",
        "tomorrow at 9am": "2026-12-02 09:00",
        "thu 2pm": "2026-12-03 14:00",
        "sat noon": "2026-12-05 12:00",
    }
    for text in _VARIED:
        expected = base.get(text) or extra[text]
        for variant in _variants(text):
            if variant not in seen:
                seen.add(variant)
                out.append((variant, expected))
    return out


PHRASES = _expanded()


def test_the_corpus_is_big_enough() -> None:
    assert len({text for text, _ in PHRASES}) >= 300


def check(text: str, expected: str, zone: str, now: datetime = NOW, **kw: object) -> None:
    if expected.startswith("!"):
        with pytest.raises(Refusal) as err:
            read_moment(text, zone, now, **kw)  # type: ignore[arg-type]
        assert err.value.kind == expected[1:], (text, zone, err.value.message)
        assert err.value.message and err.value.example
        return
    moment = read_moment(text, zone, now, **kw)  # type: ignore[arg-type]
    want, _, want_zone = expected.partition(" @")
    if want.startswith("UTC "):
        got = moment.at.strftime("UTC %Y-%m-%d %H:%M")
    else:
        got = moment.local.strftime("%Y-%m-%d %H:%M")
    assert got == want, (text, zone, moment.rules)
    assert moment.zone.name == (want_zone or zone), (text, zone)
    assert moment.zone_typed == bool(want_zone)
    assert moment.at.tzinfo is not None and moment.at > now


@pytest.mark.parametrize("member", list(ZONES))
@pytest.mark.parametrize(("text", "expected"), PHRASES, ids=[t or "<empty>" for t, _ in PHRASES])
def test_corpus(text: str, expected: str | dict[str, str], member: str) -> None:
    if isinstance(expected, dict):
        expected = expected.get(member, expected["*"])
    check(text, expected, ZONES[member])


# -- daylight-saving weeks -------------------------------------------------------------------

# Berlin springs forward on Sun 28 Mar 2027 (02:00 → 03:00) and falls back on Sun 31 Oct
# 2027 (03:00 → 02:00); New York on Sun 14 Mar 2027 (02:00 → 03:00) and Sun 7 Nov 2027.
BERLIN_SPRING = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)  # Sat 13:00 CET
BERLIN_FALL = datetime(2027, 10, 30, 12, 0, tzinfo=UTC)  # Sat 14:00 CEST
US_SPRING = datetime(2027, 3, 13, 15, 0, tzinfo=UTC)  # Sat 10:00 EST
US_FALL = datetime(2027, 11, 6, 15, 0, tzinfo=UTC)  # Sat 11:00 EDT
KOLKATA_WEEK = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)

DST = [
    ("Europe/Berlin", BERLIN_SPRING, "tomorrow 3pm", "UTC 2027-03-28 13:00"),
    ("Europe/Berlin", BERLIN_SPRING, "today 3pm", "UTC 2027-03-27 14:00"),
    ("Europe/Berlin", BERLIN_SPRING, "sunday 9am", "UTC 2027-03-28 07:00"),
    ("Europe/Berlin", BERLIN_SPRING, "next monday 9am", "UTC 2027-03-29 07:00"),
    ("Europe/Berlin", BERLIN_SPRING, "tomorrow 01:30", "UTC 2027-03-28 00:30"),
    ("Europe/Berlin", BERLIN_SPRING, "tomorrow 03:30", "UTC 2027-03-28 01:30"),
    ("Europe/Berlin", BERLIN_SPRING, "tomorrow 02:30", "!dst_gap"),
    ("Europe/Berlin", BERLIN_SPRING, "tomorrow 2:30am", "!dst_gap"),
    ("Europe/Berlin", BERLIN_SPRING, "2027-03-28 02:00", "!dst_gap"),
    ("Europe/Berlin", BERLIN_SPRING, "in 24 hours", "UTC 2027-03-28 12:00"),
    ("Europe/Berlin", BERLIN_SPRING, "in 1 day at 1pm", "UTC 2027-03-28 11:00"),
    ("Europe/Berlin", BERLIN_SPRING, "tomorrow 3pm UTC+1", "UTC 2027-03-28 14:00"),
    ("Europe/Berlin", BERLIN_SPRING, "tomorrow 3pm CET", "!zone"),  # Berlin is on CEST then
    ("Europe/Berlin", BERLIN_SPRING, "tomorrow 3pm CEST", "UTC 2027-03-28 13:00"),
    ("Europe/Berlin", BERLIN_SPRING, "today 3pm CET", "UTC 2027-03-27 14:00"),
    ("Europe/Berlin", BERLIN_FALL, "tomorrow 02:30", "!ambiguous"),
    ("Europe/Berlin", BERLIN_FALL, "tomorrow 2:30am UTC+2", "UTC 2027-10-31 00:30"),
    ("Europe/Berlin", BERLIN_FALL, "tomorrow 3pm", "UTC 2027-10-31 14:00"),
    ("Europe/Berlin", BERLIN_FALL, "today 3pm", "UTC 2027-10-30 13:00"),
    ("America/New_York", US_SPRING, "tomorrow 9am", "UTC 2027-03-14 13:00"),
    ("America/New_York", US_SPRING, "today 3pm", "UTC 2027-03-13 20:00"),
    ("America/New_York", US_SPRING, "tomorrow 2:30am", "!dst_gap"),
    ("America/New_York", US_SPRING, "sunday 02:15", "!dst_gap"),
    ("America/New_York", US_SPRING, "tomorrow 3am", "UTC 2027-03-14 07:00"),
    ("America/New_York", US_SPRING, "tomorrow 9am Europe/Berlin", "UTC 2027-03-14 08:00"),
    ("America/New_York", US_SPRING, "in 24 hours", "UTC 2027-03-14 15:00"),
    ("America/New_York", US_FALL, "tomorrow 1:30am", "!ambiguous"),
    ("America/New_York", US_FALL, "tomorrow 9am", "UTC 2027-11-07 14:00"),
    ("America/New_York", US_FALL, "today 3pm", "UTC 2027-11-06 19:00"),
    ("Asia/Kolkata", KOLKATA_WEEK, "tomorrow 3pm", "UTC 2027-03-28 09:30"),
    ("Asia/Kolkata", KOLKATA_WEEK, "tomorrow 2:30am", "UTC 2027-03-27 21:00"),
    ("Asia/Kolkata", KOLKATA_WEEK, "tomorrow 3pm Europe/Berlin", "UTC 2027-03-28 13:00"),
]


@pytest.mark.parametrize(("zone", "now", "text", "expected"), DST)
def test_daylight_saving_weeks(zone: str, now: datetime, text: str, expected: str) -> None:
    if expected.startswith("!"):
        check(text, expected, zone, now)
        return
    assert read_moment(text, zone, now).at.strftime("UTC %Y-%m-%d %H:%M") == expected


def test_a_skipped_time_suggests_the_one_an_hour_later() -> None:
    with pytest.raises(Refusal) as err:
        read_moment("tomorrow 02:30", "Europe/Berlin", BERLIN_SPRING)
    assert "doesn't exist" in err.value.message and "03:30" in err.value.message


def test_a_repeated_time_offers_both_offsets() -> None:
    with pytest.raises(Refusal) as err:
        read_moment("tomorrow 02:30", "Europe/Berlin", BERLIN_FALL)
    assert "UTC+2" in err.value.message and "UTC+1" in err.value.message


# -- follow-ups: the time is optional (09:00) and a note may follow ----------------------------

FOLLOWUPS = [
    ("in 2 weeks ask about the job", "2026-12-15 09:00", None, "ask about the job"),
    ("in a week", "2026-12-08 09:00", None, ""),
    ("in a couple of weeks", "2026-12-15 09:00", None, ""),
    ("in three days - bring the article", "2026-12-04 09:00", None, "bring the article"),
    ("in 1 fortnight", "2026-12-15 09:00", None, ""),
    ("in 1 month", "2027-01-01 09:00", None, ""),
    ("in 3 hours check the reply", "2026-12-01 07:00", None, "check the reply"),
    ("on Dec 15 send my portfolio", "2026-12-15 09:00", None, "send my portfolio"),
    ("on 2026-12-15", "2026-12-15 09:00", None, ""),
    ("on 15 December", "2026-12-15 09:00", None, ""),
    ("on friday about the referral", "2026-12-04 09:00", None, "about the referral"),
    ("on the 20th", "2026-12-20 09:00", None, ""),
    ("on Jan 3", "2027-01-03 09:00", None, ""),
    ("tomorrow 3pm say thanks", "2026-12-02 15:00", None, "say thanks"),
    ("on 2026-12-15 22:30 late one", "2026-12-15 22:30", None, "late one"),
    ("next friday: coffee?", "2026-12-11 09:00", None, "coffee?"),
    ('on Dec 20 "quoted note"', "2026-12-20 09:00", None, "quoted note"),
    ("tomorrow", "2026-12-02 09:00", None, ""),
    ("tmrw, send the CV", "2026-12-02 09:00", None, "send the CV"),
    ("next monday", "2026-12-07 09:00", None, ""),
    ("on 3 march", "2027-03-03 09:00", None, ""),
    ("3 march ask again", "2027-03-03 09:00", None, "ask again"),
    ("in 2 weeks at 3pm", "2026-12-15 15:00", None, ""),
    ("next week", "2026-12-08 09:00", None, ""),
    ("next month say hi", "2027-01-01 09:00", None, "say hi"),
    ("every month say hi", "2027-01-01 09:00", "every month", "say hi"),
    ("every 2 weeks say hi", "2026-12-15 09:00", "every 2 weeks", "say hi"),
    ("every other week say hi", "2026-12-15 09:00", "every 2 weeks", "say hi"),
    ("every quarter", "2027-03-01 09:00", "every 3 months", ""),
    ("every 3 months", "2027-03-01 09:00", "every 3 months", ""),
    ("monthly say hi", "2027-01-01 09:00", "every month", "say hi"),
    ("weekly say hi", "2026-12-08 09:00", "every week", "say hi"),
    ("every year", "2027-12-01 09:00", "every year", ""),
    # a time of day after the cadence is read, never left in the note
    ("every month 10am", "2027-01-01 10:00", "every month at 10:00", ""),
    ("every month 10am say hi", "2027-01-01 10:00", "every month at 10:00", "say hi"),
    ("every month at 10am: say hi", "2027-01-01 10:00", "every month at 10:00", "say hi"),
    ("every week 10am", "2026-12-08 10:00", "every week at 10:00", ""),
    ("every 2 weeks 9:30am", "2026-12-15 09:30", "every 2 weeks at 09:30", ""),
    ("every 2 weeks at 17:00", "2026-12-15 17:00", "every 2 weeks at 17:00", ""),
    ("monthly 8am", "2027-01-01 08:00", "every month at 08:00", ""),
    ("every month morning coffee", "2027-01-01 09:00", "every month", "morning coffee"),
    ("every month 2 coffees", "2027-01-01 09:00", "every month", "2 coffees"),
]


@pytest.mark.parametrize(("text", "due", "every", "note"), FOLLOWUPS)
def test_followups(text: str, due: str, every: str | None, note: str) -> None:
    got = read_followup(text, "America/New_York", NOW)
    assert got.due.local.strftime("%Y-%m-%d %H:%M") == due, got.due.rules
    assert (got.every.words() if got.every else None) == every
    assert got.note == note


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "empty"),
        ("on", "unreadable"),
        ("whenever", "unreadable"),
        ("in soon", "unreadable"),
        ("in 0 days", "vague"),
        ("in 9 years", "too_far"),
        ("every hour", "too_far"),
        ("every 7 years", "too_far"),
        ("biweekly", "ambiguous"),
        ("on 12/10", "ambiguous"),
        ("on 31 feb", "impossible"),
        ("on feb 31 ask again", "impossible"),
        ("in a few days", "vague"),
        ("today", "past"),
        ("every month at 10", "vague"),
        ("every month 10", "vague"),
        ("every monday at 10", "vague"),
        ("every month 3pm-4pm", "conflict"),
        ("every month next friday", "conflict"),
        ("every month 10am Europe/Pariss", "zone"),
        ("every month 10am America/New_York", "zone"),
        ("every week 24:00", "impossible"),
    ],
)
def test_followup_refusals(text: str, kind: str) -> None:
    with pytest.raises(Refusal) as err:
        read_followup(text, "Europe/Berlin", NOW)
    assert err.value.kind == kind, err.value.message


# -- refusal examples keep what the member wrote, and can be copied as they are -----------

PARIS = "Europe/Paris"
PARIS_SPRING = datetime(2027, 3, 27, 23, 30, tzinfo=UTC)  # Sun 28 Mar 00:30 CET

EXAMPLES = [
    # (typed, member zone, now, kind, the example offered)
    ("3pm Europe/Pariss", "UTC", NOW, "zone", "3pm Europe/Paris"),
    ("tomorrow 3pm in Europe/Pariss", "UTC", NOW, "zone", "tomorrow 3pm in Europe/Paris"),
    ("3pm Mars/Olympus", "UTC", NOW, "zone", "3pm"),
    ("tomorrow 3pm Pacific", "UTC", NOW, "ambiguous", "tomorrow 3pm America/Los_Angeles"),
    ("31 oct 2:30", PARIS, PARIS_SPRING, "ambiguous", "31 oct 02:30 UTC+2"),
    ("sun 31 oct 2:30am", PARIS, PARIS_SPRING, "ambiguous", "sun 31 oct 02:30 UTC+2"),
    ("28 mar 2:30", PARIS, PARIS_SPRING, "dst_gap", "28 mar 03:30"),
    ("today 2:30", PARIS, PARIS_SPRING, "dst_gap", "today 03:30"),
    ("2027-10-31 02:30 Europe/Paris", "UTC", PARIS_SPRING, "ambiguous", "2027-10-31 02:30 UTC+2"),
    ("tomorrow 3pm-4pm", "UTC", NOW, "conflict", "tomorrow 3pm"),
    ("tomorrow 3-4pm", "UTC", NOW, "conflict", "tomorrow 3pm"),
    ("tomorrow 3pm to 4pm", "UTC", NOW, "conflict", "tomorrow 3pm"),
    ("wed midnight", "UTC", NOW, "ambiguous", "wed 23:59"),
    ("tomorrow 24:00", "UTC", NOW, "impossible", "tomorrow 23:59"),
    ("tomorrow afternoon", "UTC", NOW, "vague", "tomorrow 3pm"),
    ("tomorrow morning", "UTC", NOW, "vague", "tomorrow 9am"),
    ("friday evening", "UTC", NOW, "vague", "friday 7pm"),
    ("this afternoon", "UTC", NOW, "vague", "today 3pm"),
    ("tomorrow at 9", "UTC", NOW, "vague", "tomorrow 9am"),
    ("tomorrow at 3", "UTC", NOW, "vague", "tomorrow 3pm"),
    ("tomorrow 3 career chat", "UTC", NOW, "vague", "tomorrow 3pm"),
    # 12 Oct 2026 has passed, 10 Dec 2026 hasn't: the example is the one still ahead
    ("12/10/2026", "UTC", NOW, "ambiguous", "10 dec 2026 3pm"),
    ("12/10/2026 3pm", "UTC", NOW, "ambiguous", "10 dec 2026 3pm"),
    ("03/04/2027 15:00", "UTC", NOW, "ambiguous", "3 apr 2027 15:00"),
    ("12/10 3pm", "UTC", NOW, "ambiguous", "12 oct 3pm"),
    ("in 10 years", "UTC", NOW, "too_far", "in 2 weeks at 3pm"),
    ("jan 5", "UTC", NOW, "needs_time", "jan 5 3pm"),
    ("3pm BST", "UTC", NOW, "zone", "3pm Europe/London"),
    ("tomorrow 3pm CEST", "UTC", NOW, "zone", "tomorrow 3pm Europe/Berlin"),
    ("3pm EDT time", "UTC", NOW, "zone", "3pm America/New_York"),
]


@pytest.mark.parametrize(("text", "zone", "now", "kind", "example"), EXAMPLES)
def test_refusal_examples_keep_the_words_and_can_be_copied(
    text: str, zone: str, now: datetime, kind: str, example: str
) -> None:
    with pytest.raises(Refusal) as err:
        read_moment(text, zone, now)
    assert err.value.kind == kind, err.value.message
    assert err.value.suggestion == example, err.value.message
    assert f"Try “{example}”" in err.value.message
    read_moment(example, zone, now)  # the example itself is read, not refused


def test_the_season_refusal_says_why() -> None:
    with pytest.raises(Refusal) as err:
        read_moment("3pm BST", "UTC", NOW)
    message = err.value.message
    assert "BST is summer time" in message and "London is on GMT (UTC+0)" in message
    assert "“3pm GMT”" in message


def test_a_repeated_time_with_a_season_abbreviation_is_that_season() -> None:
    first = read_moment("31 oct 02:30 CEST", PARIS, PARIS_SPRING)
    second = read_moment("31 oct 02:30 CET", PARIS, PARIS_SPRING)
    assert first.at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert second.at == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
