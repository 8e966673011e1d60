"""Time zone names as people type them, read into real, DST-aware zones.

One reader serves ``/rapport settings tz <zone>`` and the zone written after a time
("3pm London", "15:00 EST", "10am UTC+5:30"):

* IANA names in any case: ``europe/london`` → Europe/London (old links such as
  ``US/Eastern`` or ``Asia/Calcutta`` become today's canonical names).
* Cities and countries: ``London``, ``new york time``, ``São Paulo``/``sao paulo``,
  ``India``, ``Bangalore``. A country that spans several zones (the US, Canada,
  Australia, Brazil…) is refused with the choices.
* Abbreviations become the *place* people mean: ``EST`` → America/New_York, never
  tzdata's fixed ``EST`` zone. One that names a season ("EST", "BST", "CEST") is
  refused by the time reader on a day the place is in the other season ("3pm EST" in
  July: UTC-5, or New York time?); ``ET``, ``PT``… follow daylight saving. Ambiguous
  ones pick the most common reading and say so (``IST`` → Asia/Kolkata, ``CST`` →
  America/Chicago). ``GMT`` is UTC+0 all year; the reading says so and points to
  Europe/London for UK time.
* Offsets mean what people mean: ``UTC+1``/``GMT+1`` is one hour *ahead* of UTC. The
  POSIX-style ``Etc/GMT+1`` (which is UTC−1!) is refused rather than guessed.

A reading is a :class:`Zone`: its canonical ``name`` (an IANA key, ``UTC``, or a fixed
offset written ``UTC+05:30``) and a ``note`` saying which rule was used, if any.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.when.refusals import AMBIGUOUS, EMPTY, TOO_FAR, ZONE, Refusal, echo

UTC_NAME = "UTC"
_REGIONS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)

# Old IANA links → the canonical name (so settings store one spelling).
_LINKS = {
    "us/eastern": "America/New_York",
    "us/central": "America/Chicago",
    "us/mountain": "America/Denver",
    "us/pacific": "America/Los_Angeles",
    "us/alaska": "America/Anchorage",
    "us/hawaii": "Pacific/Honolulu",
    "us/arizona": "America/Phoenix",
    "asia/calcutta": "Asia/Kolkata",
    "asia/saigon": "Asia/Ho_Chi_Minh",
    "asia/katmandu": "Asia/Kathmandu",
    "asia/rangoon": "Asia/Yangon",
    "europe/kiev": "Europe/Kyiv",
    "america/buenos_aires": "America/Argentina/Buenos_Aires",
    "australia/act": "Australia/Sydney",
    "australia/nsw": "Australia/Sydney",
    "canada/eastern": "America/Toronto",
    "canada/pacific": "America/Vancouver",
    "gb": "Europe/London",
    "japan": "Asia/Tokyo",
    "singapore": "Asia/Singapore",
    "hongkong": "Asia/Hong_Kong",
    "israel": "Asia/Jerusalem",
    "turkey": "Europe/Istanbul",
    "poland": "Europe/Warsaw",
    "portugal": "Europe/Lisbon",
    "iceland": "Atlantic/Reykjavik",
    "egypt": "Africa/Cairo",
    "iran": "Asia/Tehran",
    "jamaica": "America/Jamaica",
    "cuba": "America/Havana",
    "libya": "Africa/Tripoli",
    "nz": "Pacific/Auckland",
    "prc": "Asia/Shanghai",
    "roc": "Asia/Taipei",
    "rok": "Asia/Seoul",
    "eire": "Europe/Dublin",
}

# Abbreviations → (zone, note). Notes are shown back so a guess is never silent.
_ABBREVIATIONS: dict[str, tuple[str, str]] = {}


def _abbr(names: str, zone: str, note: str = "") -> None:
    for name in names.split():
        _ABBREVIATIONS[name] = (zone, note)


_abbr("pst pdt pt pacific", "America/Los_Angeles", "{abbr} read as US Pacific time")
_abbr("mst mdt mt mountain", "America/Denver", "{abbr} read as US Mountain time (Denver)")
_abbr(
    "cst cdt ct central",
    "America/Chicago",
    "{abbr} read as US Central time (for China use Asia/Shanghai)",
)
_abbr("est edt et eastern", "America/New_York", "{abbr} read as US Eastern time")
_abbr("akst akdt", "America/Anchorage", "{abbr} read as Alaska time")
_abbr("hst", "Pacific/Honolulu", "{abbr} read as Hawaii time")
_abbr("ast adt", "America/Halifax", "{abbr} read as Atlantic time (Halifax)")
_abbr("nst ndt", "America/St_Johns", "{abbr} read as Newfoundland time")
_abbr("bst", "Europe/London", "{abbr} read as UK time (British Summer Time)")
_abbr("wet west", "Europe/Lisbon", "{abbr} read as Western European time (Lisbon)")
_abbr("cet cest met mest", "Europe/Berlin", "{abbr} read as Central European time")
_abbr("eet eest", "Europe/Athens", "{abbr} read as Eastern European time (Athens)")
_abbr("msk", "Europe/Moscow", "{abbr} read as Moscow time")
_abbr(
    "ist",
    "Asia/Kolkata",
    "IST read as India Standard Time (for Ireland or Israel use Europe/Dublin or Asia/Jerusalem)",
)
_abbr("pkt", "Asia/Karachi", "{abbr} read as Pakistan time")
_abbr("ict", "Asia/Bangkok", "{abbr} read as Indochina time (Bangkok)")
_abbr("wib", "Asia/Jakarta", "{abbr} read as Western Indonesia time (Jakarta)")
_abbr("sgt", "Asia/Singapore", "{abbr} read as Singapore time")
_abbr("hkt", "Asia/Hong_Kong", "{abbr} read as Hong Kong time")
_abbr("pht", "Asia/Manila", "{abbr} read as Philippine time")
_abbr("jst", "Asia/Tokyo", "{abbr} read as Japan time")
_abbr("kst", "Asia/Seoul", "{abbr} read as Korea time")
_abbr("aest aedt aet", "Australia/Sydney", "{abbr} read as Australian Eastern time (Sydney)")
_abbr("acst acdt", "Australia/Adelaide", "{abbr} read as Australian Central time (Adelaide)")
_abbr("awst", "Australia/Perth", "{abbr} read as Australian Western time (Perth)")
_abbr("nzst nzdt nzt", "Pacific/Auckland", "{abbr} read as New Zealand time")
_abbr("sast", "Africa/Johannesburg", "{abbr} read as South African time")
_abbr("wat", "Africa/Lagos", "{abbr} read as West Africa time (Lagos)")
_abbr("cat", "Africa/Maputo", "{abbr} read as Central Africa time")
_abbr("eat", "Africa/Nairobi", "{abbr} read as East Africa time (Nairobi)")
_abbr("brt", "America/Sao_Paulo", "{abbr} read as Brasília time (São Paulo)")
_abbr("art", "America/Argentina/Buenos_Aires", "{abbr} read as Argentina time")
_abbr("gst", "Asia/Dubai", "{abbr} read as Gulf time (Dubai)")

# Abbreviations that name one season of a zone with daylight saving: True for summer
# time ("BST", "EDT"), False for standard time ("EST", "CET"). A time written with one
# is refused when the place is in the other season that day (see ``out_of_season``).
_SUMMER_ABBREVIATIONS = "pdt mdt cdt edt akdt adt ndt bst west cest mest eest aedt acdt nzdt"
_STANDARD_ABBREVIATIONS = "pst mst cst est akst ast nst wet cet met eet aest acst nzst"
_SEASON = {
    **dict.fromkeys(_SUMMER_ABBREVIATIONS.split(), True),
    **dict.fromkeys(_STANDARD_ABBREVIATIONS.split(), False),
}

# Words that name a region's time in several places: US Pacific or the Pacific Ocean's
# zones, US Eastern or Eastern European… In a sentence, capitalised, they are asked about.
_REGION_WORDS = {
    "pacific": ("US Pacific time", "America/Los_Angeles", "PT"),
    "eastern": ("US Eastern time", "America/New_York", "ET"),
    "central": ("US Central time", "America/Chicago", "CT"),
    "mountain": ("US Mountain time", "America/Denver", "MT"),
    "atlantic": ("Atlantic time (Halifax)", "America/Halifax", "AST"),
}
_OTHER_REGION = {
    "pacific": "a Pacific island zone such as Pacific/Auckland",
    "eastern": "Eastern European time (Europe/Athens)",
    "central": "Central European time (Europe/Berlin)",
    "mountain": "",
    "atlantic": "Atlantic/Reykjavik",
}

# In a sentence these abbreviations are also English words or too short to trust in
# lower case ("3pm cat videos"): there they count only when typed in capitals.
_CAPITALS_ONLY = {
    "pt",
    "mt",
    "ct",
    "et",
    "cat",
    "eat",
    "art",
    "wat",
    "ast",
    "adt",
    "nst",
    "gst",
    "ict",
    "wib",
    "pht",
    "met",
    "west",
    "pacific",
    "mountain",
    "central",
    "eastern",
}

# Places people say that are not IANA city names.
_PLACES = {
    "india": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bombay": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata",
    "pune": "Asia/Kolkata",
    "uk": "Europe/London",
    "united kingdom": "Europe/London",
    "britain": "Europe/London",
    "great britain": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "wales": "Europe/London",
    "manchester": "Europe/London",
    "edinburgh": "Europe/London",
    "ireland": "Europe/Dublin",
    "germany": "Europe/Berlin",
    "munich": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "france": "Europe/Paris",
    "spain": "Europe/Madrid",
    "barcelona": "Europe/Madrid",
    "italy": "Europe/Rome",
    "milan": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "holland": "Europe/Amsterdam",
    "belgium": "Europe/Brussels",
    "switzerland": "Europe/Zurich",
    "geneva": "Europe/Zurich",
    "austria": "Europe/Vienna",
    "sweden": "Europe/Stockholm",
    "norway": "Europe/Oslo",
    "denmark": "Europe/Copenhagen",
    "finland": "Europe/Helsinki",
    "greece": "Europe/Athens",
    "ukraine": "Europe/Kyiv",
    "kiev": "Europe/Kyiv",
    "nigeria": "Africa/Lagos",
    "kenya": "Africa/Nairobi",
    "south africa": "Africa/Johannesburg",
    "cape town": "Africa/Johannesburg",
    "uae": "Asia/Dubai",
    "saudi arabia": "Asia/Riyadh",
    "tel aviv": "Asia/Jerusalem",
    "pakistan": "Asia/Karachi",
    "bangladesh": "Asia/Dhaka",
    "sri lanka": "Asia/Colombo",
    "nepal": "Asia/Kathmandu",
    "china": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "taiwan": "Asia/Taipei",
    "korea": "Asia/Seoul",
    "south korea": "Asia/Seoul",
    "philippines": "Asia/Manila",
    "vietnam": "Asia/Ho_Chi_Minh",
    "thailand": "Asia/Bangkok",
    "malaysia": "Asia/Kuala_Lumpur",
    "osaka": "Asia/Tokyo",
    "new zealand": "Pacific/Auckland",
    "argentina": "America/Argentina/Buenos_Aires",
    "colombia": "America/Bogota",
    "peru": "America/Lima",
    "rio": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo",
    "san francisco": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "bay area": "America/Los_Angeles",
    "silicon valley": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "portland": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "nyc": "America/New_York",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "washington dc": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "philadelphia": "America/New_York",
    "austin": "America/Chicago",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
}

# Countries with several zones: refused with the choices.
_SEVERAL = {
    "us": "America/New_York, America/Chicago, America/Denver or America/Los_Angeles",
    "usa": "America/New_York, America/Chicago, America/Denver or America/Los_Angeles",
    "united states": "America/New_York, America/Chicago, America/Denver or America/Los_Angeles",
    "america": "America/New_York, America/Chicago, America/Denver or America/Los_Angeles",
    "canada": "America/Toronto, America/Winnipeg, America/Edmonton or America/Vancouver",
    "australia": "Australia/Sydney, Australia/Brisbane, Australia/Adelaide or Australia/Perth",
    "brazil": "America/Sao_Paulo, America/Manaus or America/Noronha",
    "russia": "Europe/Moscow, Asia/Yekaterinburg, Asia/Novosibirsk or Asia/Vladivostok",
    "mexico": "America/Mexico_City, America/Tijuana or America/Cancun",
    "indonesia": "Asia/Jakarta, Asia/Makassar or Asia/Jayapura",
}

_OFFSET = re.compile(r"^(?:utc|gmt|z)?([+\-−–])(\d{1,2})(?::?(\d{2}))?$")
_ETC = re.compile(r"^etc/gmt([+\-])(\d{1,2})$")
_SPACES = re.compile(r"\s+")
_SIGN_GAP = re.compile(r"\b(utc|gmt)\s*([+\-−–])\s*(?=\d)", re.I)

EXAMPLE = "Europe/Berlin"


@dataclass(frozen=True)
class Zone:
    """A zone reading: ``name`` is an IANA key, ``UTC``, or a fixed offset ``UTC+05:30``."""

    name: str
    note: str = ""
    # Read from an abbreviation that names one season ("BST": True, "EST": False).
    summer: bool | None = field(default=None, compare=False)
    said: str = field(default="", compare=False)  # the abbreviation as typed

    @property
    def tzinfo(self) -> tzinfo:
        return tzinfo_of(self.name)

    @property
    def fixed(self) -> bool:
        """True for UTC and offsets like UTC+05:30 (no daylight saving, ever)."""
        return self.name.startswith(UTC_NAME) or self.name.startswith("Etc/")

    @property
    def place(self) -> str:
        """A short name for sentences: ``London``, ``New York``, ``UTC+05:30``."""
        if "/" not in self.name:
            return self.name
        return self.name.rsplit("/", 1)[1].replace("_", " ")

    def __str__(self) -> str:
        return self.name


def fold(text: str) -> str:
    """Lower case, accents off, one space between words: ``São  Paulo`` → ``sao paulo``."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.replace("_", " ")).strip().lower()


@cache
def _iana() -> dict[str, str]:
    """Folded IANA names and city names → canonical IANA key."""
    names: dict[str, str] = {}
    keys = sorted(available_timezones() - {"Factory", "localtime"}, key=lambda k: (len(k), k))
    for key in keys:
        names.setdefault(fold(key), key)
    for key in keys:
        if key.startswith(_REGIONS):
            names.setdefault(fold(key.rsplit("/", 1)[1]), key)
    for alias, key in _LINKS.items():
        names[fold(alias)] = key
    for place, key in _PLACES.items():
        names.setdefault(place, key)
    return names


@cache
def tzinfo_of(name: str) -> tzinfo:
    """The tzinfo for a canonical zone name (as stored in settings)."""
    if name == UTC_NAME:
        return UTC
    m = _OFFSET.match(name.lower())
    if name.startswith(UTC_NAME) and m:
        return timezone(_offset(m), name)
    return ZoneInfo(name)


def _offset(m: re.Match[str]) -> timedelta:
    sign = -1 if m.group(1) in "-−–" else 1
    return sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))


def offset_name(delta: timedelta) -> str:
    """``UTC+05:30`` for +5.5 hours; ``UTC`` for zero."""
    if not delta:
        return UTC_NAME
    sign = "+" if delta > timedelta(0) else "-"
    minutes = abs(int(delta.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _read_offset(folded: str, typed: str) -> Zone | None:
    m = _OFFSET.match(folded.replace(" ", ""))
    if not m:
        return None
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if minutes not in (0, 15, 30, 45) or hours > 14:
        raise Refusal(
            TOO_FAR if hours > 14 else ZONE,
            f"“{echo(typed)}” isn't an offset any place uses: they run from UTC-12 to "
            "UTC+14, in whole, half or quarter hours.",
            "UTC+5:30",
        )
    delta = _offset(m)
    if delta > timedelta(hours=14) or delta < timedelta(hours=-12):
        raise Refusal(
            TOO_FAR,
            f"No place is {offset_name(delta)}: offsets run from UTC-12 to UTC+14.",
            "UTC+1",
        )
    note = ""
    if folded.startswith("gmt"):
        note = f"{typed.strip()} read as {offset_name(delta)} (a fixed offset, no summer time)"
    return Zone(offset_name(delta), note)


def read_zone(text: str) -> Zone:
    """The zone someone means by ``text``; a refusal with suggestions otherwise.

    Serves ``/rapport settings tz <zone>`` and zones written after a time.
    """
    typed = text.strip().strip("()").strip()
    folded = fold(typed)
    if folded.endswith(" time") and folded != "time":
        folded = folded[: -len(" time")].strip()
        folded = folded.removesuffix(" local").strip()
    if not folded:
        raise Refusal(EMPTY, "Which time zone?", EXAMPLE)
    if len(folded) > 64:
        raise Refusal(ZONE, f"I don't know the time zone “{echo(typed)}”.", EXAMPLE)
    if folded in ("utc", "z", "zulu", "etc/utc", "universal", "uct", "etc/gmt", "gmt0"):
        return Zone(UTC_NAME)
    if folded in ("gmt", "greenwich", "gmt+0", "gmt-0"):
        return Zone(
            UTC_NAME,
            "GMT read as UTC+0 all year (for UK time with summer time use Europe/London)",
        )
    etc = _ETC.match(folded)
    if etc:
        flipped = "-" if etc.group(1) == "+" else "+"
        raise Refusal(
            AMBIGUOUS,
            f"“{echo(typed)}” uses the POSIX sign, which is backwards: it means "
            f"UTC{flipped}{etc.group(2)}. Please write the offset the everyday way.",
            f"UTC{flipped}{etc.group(2)}",
        )
    offset = _read_offset(folded, typed)
    if offset is not None:
        return offset
    if folded in _ABBREVIATIONS:
        zone, note = _ABBREVIATIONS[folded]
        return Zone(
            zone,
            note.format(abbr=typed.upper()) + f" ({zone})",
            summer=_SEASON.get(folded),
            said=typed,
        )
    if folded in _SEVERAL:
        raise Refusal(
            AMBIGUOUS,
            f"{typed} has several time zones: which one? For example {_SEVERAL[folded]}.",
            _SEVERAL[folded].split(",")[0],
        )
    key = _iana().get(folded) or _iana().get(folded.replace(" ", "_"))
    if key:
        note = "" if fold(key) == folded else f"{typed} read as {key}"
        return Zone(key, note)
    raise _unknown(typed, folded)


def _unknown(typed: str, folded: str) -> Refusal:
    vocabulary = list(_iana()) + list(_ABBREVIATIONS)
    close = difflib.get_close_matches(folded, vocabulary, n=5, cutoff=0.75)
    names = list(
        dict.fromkeys(_iana()[c] if c in _iana() else _ABBREVIATIONS[c][0] for c in close)
    )[:3]
    if names:
        return Refusal(
            ZONE,
            f"I don't know the time zone “{echo(typed)}”. Did you mean {' or '.join(names)}?",
            names[0],
        )
    return Refusal(
        ZONE,
        f"I don't know the time zone “{echo(typed)}”. Use a city or a zone name like "
        "Europe/Berlin, America/New_York or Asia/Kolkata.",
        EXAMPLE,
    )


def as_zone(zone: Zone | tzinfo | str) -> Zone:
    """A member's stored zone (a name or a tzinfo) as a :class:`Zone`."""
    if isinstance(zone, Zone):
        return zone
    if isinstance(zone, ZoneInfo):
        return Zone(zone.key)
    if isinstance(zone, timezone):
        offset = zone.utcoffset(None)
        return Zone(offset_name(offset))
    if isinstance(zone, str):
        return read_zone(zone)
    raise TypeError(f"not a zone: {zone!r}")


def join_signs(text: str) -> str:
    """``UTC + 5:30`` → ``UTC+5:30`` so an offset is one word in a sentence."""
    return _SIGN_GAP.sub(lambda m: m.group(1) + m.group(2), text)


def match_zone(raw: list[str], start: int, *, after_time: bool = False) -> tuple[Zone, int] | None:
    """A zone written at ``raw[start:]`` in a sentence: (zone, words used), or None.

    Stricter than :func:`read_zone`: countries with several zones and unknown words are
    simply "not a zone" (they may begin a topic), and abbreviations that are English
    words count only in capitals ("3pm CAT", not "3pm cat videos").

    Words that can only be a zone are never passed over as a topic: an ``Area/Place``
    that isn't one ("Europe/Pariss", "Mars/Olympus") is refused with suggestions, and
    after a time of day (``after_time``) a capitalised "Pacific" or "Eastern" is asked
    about (US Pacific time, or a zone in the Pacific?).
    """
    longest = min(len(raw) - start, 4)
    for n in range(longest, 0, -1):
        words = raw[start : start + n]
        phrase = " ".join(words)
        folded = fold(phrase.strip("()"))
        bare = folded.removesuffix(" time")
        if not bare or bare in ("time", "local", "in", "at"):
            continue
        if bare in _SEVERAL:
            continue
        said_time = folded.endswith(" time")
        if n == 1 and bare in _REGION_WORDS:
            _region_word(phrase.strip("()"), raw[start + 1 : start + 2], after_time)
            continue
        if bare in _CAPITALS_ONLY and not said_time and phrase.strip("()") != bare.upper():
            continue
        if not _sentence_zone(bare, folded.endswith(" time")):
            continue
        try:
            return read_zone(phrase), n
        except Refusal as refusal:
            if refusal.kind in (TOO_FAR, AMBIGUOUS):
                raise
            continue
    if start < len(raw) and _looks_like_zone(raw[start].strip("()")):
        return read_zone(raw[start]), 1  # refused with suggestions ("Did you mean …?")
    return None


_AREA_PLACE = re.compile(r"^[A-Za-z][A-Za-z_\-]*(?:/[A-Za-z][A-Za-z_\-]*)+$")
_AREAS = {r.rstrip("/").lower() for r in _REGIONS} | {"etc", "us", "canada", "mexico", "chile"}


def _looks_like_zone(word: str) -> bool:
    """``Europe/Pariss``, ``mars/…`` no; ``Mars/Olympus`` yes: an ``Area/Place`` written
    with a real area, or with every part capitalised like one (not "pros/cons", "UI/UX")."""
    if not _AREA_PLACE.match(word):
        return False
    parts = word.split("/")
    if parts[0].lower() in _AREAS:
        return True
    return all(p[0].isupper() and any(c.islower() for c in p) for p in parts)


def _region_word(typed: str, following: list[str], after_time: bool) -> None:
    """Refuse "3pm Pacific" or "3pm pacific" (the last word): US Pacific time, or a zone
    in the Pacific? Followed by a name ("Pacific Northwest"), or in lower case by more
    words ("central park walk"), it is left as words of a topic."""
    if not after_time:
        return
    if following and (following[0][:1].isupper() or typed.islower()):
        return  # "Eastern Europe", "pacific northwest hikes": a name, not a zone
    us, key, abbr = _REGION_WORDS[typed.lower()]
    other = _OTHER_REGION[typed.lower()]
    choice = f"{us} ({abbr} or {key})" + (f", or {other}" if other else "")
    raise Refusal(
        AMBIGUOUS, f"Which “{echo(typed)}” do you mean: {choice}? Please write the zone.", key
    )


def out_of_season(zone: Zone, local: datetime) -> str:
    """When ``zone`` was read from a one-season abbreviation ("BST", "EST") and ``local``
    (on that zone's clock) falls in the other season: the abbreviation in use then
    ("GMT", "EDT"); otherwise ""."""
    if zone.summer is None or local.tzinfo is None:
        return ""
    summer = bool(local.dst())
    if summer == zone.summer:
        return ""
    return local.tzname() or offset_name(local.utcoffset() or timedelta(0))


def _sentence_zone(words: str, said_time: bool) -> bool:
    """Whether ``words`` may be read as a zone inside a sentence.

    Many IANA cities are also everyday words or names ("Christmas", "Reunion",
    "Easter", "Sofia"), so a bare place counts only if it is a well-known one; any
    IANA place counts when written as ``Area/City`` or followed by "time".
    """
    if "/" in words or _OFFSET.match(words) or _ETC.match(words):
        return True
    if words in _ABBREVIATIONS or words in ("utc", "gmt", "z", "zulu"):
        return True
    if words in _PLACES or words in _MAJOR:
        return True
    return said_time and words in _iana()


_MAJOR = {
    word.replace("_", " ")
    for word in """london paris berlin madrid rome amsterdam brussels vienna zurich stockholm oslo
    copenhagen helsinki dublin lisbon athens istanbul warsaw prague budapest bucharest kyiv
    moscow belgrade riga tallinn vilnius new_york chicago denver los_angeles phoenix
    anchorage honolulu toronto vancouver edmonton winnipeg halifax mexico_city bogota lima
    santiago buenos_aires sao_paulo caracas cairo lagos nairobi johannesburg casablanca
    accra dubai riyadh jerusalem tehran karachi kolkata calcutta dhaka kathmandu colombo
    bangkok jakarta singapore kuala_lumpur manila ho_chi_minh hong_kong shanghai taipei
    seoul tokyo sydney melbourne brisbane perth adelaide auckland reykjavik""".split()  # noqa: SIM905
}
