"""rapport's one time reader: moments, zones, durations, cadences, quiet hours.

Pure (stdlib, zoneinfo, tzdata): no store, no platform. The rule is *right or
refused*: every accepted reading is a dataclass the caller can show back (with the
rules used), and anything unclear raises :class:`Refusal` (a ``UserError``) with a
reason and an example. Pass ``now`` explicitly; nothing here reads the clock.
"""

from bot.when.cadences import Cadence, read_cadence, read_schedule, split_cadence
from bot.when.durations import Amount, read_duration
from bot.when.followups import FollowUp, clean_note, read_followup
from bot.when.moments import Moment, read_moment, split_moment
from bot.when.quiet import QuietHours, read_quiet
from bot.when.refusals import Refusal
from bot.when.show import show_clock, show_day, show_moment, show_reading
from bot.when.zones import Zone, as_zone, read_zone, tzinfo_of

__all__ = [
    "Amount",
    "Cadence",
    "FollowUp",
    "Moment",
    "QuietHours",
    "Refusal",
    "Zone",
    "as_zone",
    "clean_note",
    "read_cadence",
    "read_duration",
    "read_followup",
    "read_moment",
    "read_quiet",
    "read_schedule",
    "read_zone",
    "show_clock",
    "show_day",
    "show_moment",
    "show_reading",
    "split_cadence",
    "split_moment",
    "tzinfo_of",
]
