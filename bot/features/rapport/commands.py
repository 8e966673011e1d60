"""``/rapport``: help for every command, and your own settings."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot import settings as user_settings
from bot.args import Args
from bot.context import Context
from bot.errors import FieldErrors, UserError
from bot.features.network import profiles
from bot.features.network import text as nt
from bot.features.rapport import privacy as data
from bot.features.rapport import stats as numbers
from bot.features.rapport import text as t
from bot.features.rapport.home import build_home
from bot.io import Field, Form, HomeSection, HomeView, Output, Reply
from bot.markup import Text, fmt, join, to_plain
from bot.messages import Button, Message
from bot.registry import Family, Param, Variant
from bot.when import Refusal

family = Family("rapport", "Help, your settings, and everything about you.", order=90)
family.keeps(*data.KEPT, *profiles.KEPT)


def reply(body: Text) -> list[Output]:
    return [Reply(Message(body))]


ON_OFF = (("on", "on"), ("off", "off"))
SETTINGS_FORM = "rapport.settings_form"
PROFILE_FORM = "rapport.profile_form"
WEEKEND_CHOICES = (("Keep weekends quiet", "on"), ("Weekends are normal days", "off"))
# ``weekends on`` keeps them quiet; the plainer words say the same without the doubt.
WEEKEND_PARAM = (("Keep weekends quiet", "quiet"), ("Weekends are normal days", "normal"))
WEEKEND_WORDS = {"on": "on", "quiet": "on", "off": "off", "normal": "off", "open": "off"}
DATE_CHOICES = (
    ("Ask me when a date like 12/10 could mean two days", "ask"),
    ("Day first: 12/10 is 12 October", "dmy"),
    ("Month first: 12/10 is December 10", "mdy"),
)
DATE_ORDERS = (
    ("day first: 12/10 is 12 October", "dmy"),
    ("month first: 12/10 is December 10", "mdy"),
)


def _settings(path: str, words: tuple[str, ...], help: str, *params: Param) -> Variant:
    return Variant(("settings", path), "settings", words, params, help)


@family.sub(
    "help",
    usage="/rapport help [command]",
    example="/rapport help intro",
    params=(Param("command", "family", "One command to explain", required=False),),
)
def help_(ctx: Context, args: Args) -> list[Output]:
    """Show every command, or one command with its examples."""
    families = ctx.families
    wanted = args.rest().lstrip("/").lower()
    if wanted:
        fam = families.get(wanted)
        if fam is None:  # a subcommand's name, like ``profile`` or ``find``
            subs = [
                sub
                for f in families.values()
                for sub in f.subs
                if sub.name == wanted and (ctx.is_admin or not sub.admin)
            ]
            if not subs:
                raise UserError(fmt(t.HELP_UNKNOWN, name=wanted), "/rapport help")
            lines: list[Text] = []
            for sub in subs:
                lines.append(fmt(t.HELP_LINE, usage=sub.usage, summary=sub.summary))
                lines.append(fmt("    " + t.HELP_EXAMPLE, example=sub.example))
            return reply(join(*lines))
        lines = [fmt(t.HELP_FAMILY, name=fam.name, summary=fam.summary)]
        for sub in fam.subs:
            lines.append(fmt(t.HELP_LINE, usage=sub.usage, summary=sub.summary))
            lines.append(fmt("    " + t.HELP_EXAMPLE, example=sub.example))
        return reply(join(*lines))
    lines = [fmt(t.HELP_TITLE)]
    for fam in families.values():
        lines.append(fmt(t.HELP_FAMILY, name=fam.name, summary=fam.summary))
        for sub in fam.subs:
            if sub.admin and not ctx.is_admin:
                continue
            lines.append(fmt("  " + t.HELP_LINE, usage=sub.usage, summary=sub.summary))
    lines.append(fmt(t.HELP_FOOTER))
    return reply(join(*lines))


@family.sub(
    "settings",
    usage=(
        "/rapport settings [tz <zone> | quiet <start-end>|off | weekends quiet|normal "
        "| dates dmy|mdy]"
    ),
    example="/rapport settings tz Europe/Berlin",
    variants=(
        _settings("show", (), "See your settings."),
        _settings(
            "timezone",
            ("tz",),
            "Set your time zone.",
            Param("zone", "zone", "Your time zone, like Europe/Berlin"),
        ),
        _settings(
            "quiet",
            ("quiet",),
            "Set your quiet hours.",
            Param("hours", "text", "When not to nudge you, like 21:00-08:00, or off"),
        ),
        _settings(
            "dates",
            ("dates",),
            "How you write dates like 12/10.",
            Param("order", "choice", "Day first or month first?", choices=DATE_ORDERS),
        ),
        _settings(
            "weekends",
            ("weekends",),
            "Keep weekends quiet, or not.",
            Param("quiet", "choice", "Keep weekends free of nudges?", choices=WEEKEND_PARAM),
        ),
    ),
)
def settings(ctx: Context, args: Args) -> list[Output]:
    """See or change your time zone and quiet hours."""
    if args.peek_word() is None:
        return reply(show_settings(ctx))
    changes: dict[str, Any] = {}
    for what, value in _setting_words(args.rest()):
        changes.update(_setting(what, value))
    user_settings.save(ctx.store, ctx.community, ctx.user, **changes)
    mine = ctx.settings()
    said: list[Text] = []
    if "tz" in changes:
        zone = user_settings.check_zone(changes["tz"])
        local = ctx.now().astimezone(zone.tzinfo).strftime("%H:%M on %A")
        said.append(fmt(t.TZ_SAVED, tz=zone.name, local=local))
        if zone.note:
            said.append(fmt(t.TZ_NOTE, note=zone.note))
    if "quiet" in changes:
        if mine.quiet == user_settings.QUIET_OFF:
            weekends = t.QUIET_OFF_WEEKENDS if mine.quiet_weekends else ""
            said.append(fmt(t.QUIET_OFF_SAVED, weekends=weekends))
        else:
            start, _, end = mine.quiet.partition("-")
            weekends = t.SETTINGS_WEEKENDS_QUIET if mine.quiet_weekends else ""
            said.append(fmt(t.QUIET_SAVED, start=start, end=end, weekends=weekends))
    if "date_order" in changes:
        said.append(fmt(t.DATES_SAVED[mine.date_order or "off"]))
    if "quiet_weekends" in changes:
        said.append(fmt(t.WEEKENDS_SAVED_ON if mine.quiet_weekends else t.WEEKENDS_SAVED_OFF))
    return reply(join(*said))


SETTING_WORDS = {
    "tz": "tz",
    "timezone": "tz",
    "zone": "tz",
    "quiet": "quiet",
    "dates": "dates",
    "date": "dates",
    "weekends": "weekends",
    "weekend": "weekends",
}


def _setting_words(text: str) -> list[tuple[str, str]]:
    """``tz Asia/Kolkata quiet 23-6`` → [("tz", "Asia/Kolkata"), ("quiet", "23-6")]: one
    line may change several settings; a setting's name starts the next once the one
    before has its value."""
    pairs: list[tuple[str, list[str]]] = []
    for word in text.split():
        what = SETTING_WORDS.get(word.lower())
        if what is not None and (not pairs or pairs[-1][1]):
            pairs.append((what, []))
        elif not pairs:
            raise UserError(fmt(t.UNKNOWN_SETTING), "/rapport settings quiet 22:00-07:30")
        else:
            pairs[-1][1].append(word)
    return [(what, " ".join(words)) for what, words in pairs]


def _in_command(refusal: Refusal, what: str) -> Refusal:
    """A refusal whose example is the whole command to type, not just its value."""
    if refusal.suggestion:
        refusal.with_example(f"/rapport settings {what} {refusal.suggestion}")
    return refusal


def _setting(what: str, value: str) -> dict[str, Any]:
    """One setting as typed → the change to store; a refusal shows the whole command."""
    if what == "tz":
        try:
            return {"tz": user_settings.check_zone(value).name}
        except Refusal as refusal:
            raise _in_command(refusal, "tz") from None
    if what == "quiet":
        try:
            return {"quiet": user_settings.read_quiet(value)}
        except Refusal as refusal:
            raise _in_command(refusal, "quiet") from None
    if what == "dates":
        order = {"dmy": "DMY", "mdy": "MDY", "off": None}.get(value.strip().lower(), "?")
        if order == "?":
            raise UserError(fmt(t.DATES_BAD), "/rapport settings dates dmy")
        return {"date_order": order}
    choice = WEEKEND_WORDS.get(value.strip().lower(), "")
    if choice not in ("on", "off"):
        raise UserError(fmt(t.WEEKENDS_BAD), "/rapport settings weekends quiet")
    return {"quiet_weekends": choice == "on"}


@family.sub(
    "nudges",
    usage="/rapport nudges [off|on]",
    example="/rapport nudges off",
    params=(Param("state", "choice", "Nudges on or off", required=False, choices=ON_OFF),),
)
def nudges(ctx: Context, args: Args) -> list[Output]:
    """Pause or resume every reminder I send you; alone, see whether they are on."""
    from bot.features.followup.commands import switch_nudges  # the rule lives with follow-ups (#5)

    return switch_nudges(ctx, args)


@family.sub(
    "profile",
    usage="/rapport profile [edit | clear | <what> <value> …]",
    example='/rapport profile role "data engineer" company Acme findable on',
    variants=(
        Variant(("profile", "show"), "profile", (), (), "See your profile."),
        Variant(("profile", "edit"), "profile", ("edit",), (), "Change your profile in a form."),
        Variant(
            ("profile", "set"),
            "profile",
            (),
            (Param("changes", "text", "What to change, like: company Acme findable on"),),
            "Change parts of your profile in one line.",
        ),
    ),
)
def profile(ctx: Context, args: Args) -> list[Output]:
    """Your profile: what you do, what you look for, and whether others may find you."""
    word = args.peek_word()
    if word == "edit":
        return [profile_form(ctx, "")]
    if word == "clear":
        profiles.clear(ctx, ctx.user)
        return reply(fmt(nt.PROFILE_CLEARED))
    if word is None and args.empty():
        return reply(profiles.show(profiles.load(ctx, ctx.user)))
    changed = profiles.apply(ctx, ctx.user, profiles.read_changes(args))
    return reply(join(fmt(nt.PROFILE_SAVED), profiles.show(changed)))


def profile_form(ctx: Context, arg: str) -> Form:
    """The profile form (key ``rapport.profile:``): each member edits only their own. Five
    fields, so it fits every platform's modal; the rest in one line (``/rapport profile``)."""
    mine = profiles.load(ctx, ctx.user) or profiles.Profile(ctx.user)
    sharing = {(False, False): "private", (True, False): "findable"}.get(
        (mine.findable, mine.connector), "connector" if not mine.findable else "both"
    )
    limit = profiles.LIMIT
    return Form(
        key="rapport.profile:",
        title=nt.FORM_TITLE,
        submit=nt.FORM_SUBMIT,
        fields=(
            Field("role", "text", nt.FORM_ROLE, required=False, default=mine.role, limit=limit),
            Field(
                "company",
                "text",
                nt.FORM_COMPANY,
                required=False,
                default=mine.company,
                limit=limit,
            ),
            Field(
                "seeking",
                "text",
                nt.FORM_SEEKING,
                required=False,
                default=mine.seeking,
                limit=limit,
            ),
            Field(
                "open",
                "choice",
                nt.FORM_OPEN,
                required=False,
                default="on" if mine.open else "off",
                choices=nt.YES_NO,
            ),
            Field(
                "sharing",
                "choice",
                nt.FORM_SHARING,
                required=False,
                default=sharing,
                choices=nt.SHARING,
            ),
        ),
    )


@family.form("rapport.profile", build=profile_form)
def profile_submitted(ctx: Context, arg: str, values: dict[str, Any]) -> list[Output]:
    """Save what was filled in; a text left empty is cleared, a choice left alone stays."""
    mine = profiles.load(ctx, ctx.user) or profiles.Profile(ctx.user)
    changes: dict[str, Any] = {
        name: " ".join(str(values.get(name) or "").split())
        for name in ("role", "company", "seeking")
    }
    changes["open"] = values["open"] == "on" if "open" in values else mine.open
    sharing = values.get("sharing")
    if sharing is not None:
        changes["findable"] = sharing in ("findable", "both")
        changes["connector"] = sharing in ("connector", "both")
    changed = profiles.apply(ctx, ctx.user, changes)
    return reply(join(fmt(nt.PROFILE_SAVED), profiles.show(changed)))


@family.sub("home", usage="/rapport home", example="/rapport home")
def home(ctx: Context, args: Args) -> list[Output]:
    """Your dashboard: open intros, chats, follow-ups and roulette, with buttons."""
    return [_my_home(ctx)]


def _my_home(ctx: Context) -> HomeView:
    """What is open with your people, then your profile and settings, each with the button
    that opens its form (the same wherever a home is shown)."""
    home = build_home(ctx)
    return replace(home, sections=(*home.sections, profile_section(ctx), settings_section(ctx)))


@family.sub("stats", usage="/rapport stats", example="/rapport stats")
def stats(ctx: Context, args: Args) -> list[Output]:
    """Your intros, chats held, follow-ups and streak (admins: the community's too)."""
    return reply(numbers.render(ctx))


@family.sub(
    "privacy",
    usage="/rapport privacy export|delete",
    example="/rapport privacy export",
    variants=(
        Variant(("privacy", "export"), "privacy", ("export",), (), "Get your data as a file."),
        Variant(("privacy", "delete"), "privacy", ("delete",), (), "Erase everything about you."),
    ),
)
def privacy(ctx: Context, args: Args) -> list[Output]:
    """Get a copy of everything I keep about you, or erase it."""
    what = (args.peek_word() or "").lower()
    if not what:
        return reply(fmt(t.PRIVACY_HELP))
    if what == "export":
        return data.export(ctx)
    if what in ("delete", "erase"):
        return data.ask_erase(ctx)
    raise UserError(fmt(t.PRIVACY_UNKNOWN), "/rapport privacy export")


@family.button("rapport.privacy_erase")
def privacy_erase(ctx: Context, value: str) -> list[Output]:
    return data.confirm_erase(ctx, value)


@family.button("rapport.privacy_keep")
def privacy_keep(ctx: Context, value: str) -> list[Output]:
    return data.keep(ctx, value)


@family.home_view
def home_tab(ctx: Context) -> HomeView:
    """A member's home with their settings and the commands under it (Slack's Home tab)."""
    commands = join(
        fmt(t.HOME_COMMANDS),
        *(
            fmt("*/{name}* — {summary}", name=f.name, summary=f.summary)
            for f in ctx.families.values()
        ),
        fmt(t.HOME_HELP),
    )
    return replace(_my_home(ctx), tail=(commands,))


def profile_section(ctx: Context) -> HomeSection:
    """The member's profile in their home, with a button that opens the profile form."""
    edit = Button(PROFILE_FORM, nt.PROFILE_EDIT, "", "primary")
    shown = profiles.show(profiles.load(ctx, ctx.user), titled=False)  # the header says it
    return HomeSection(fmt(nt.PROFILE_HOME_TITLE), (Message(shown, (edit,)),))


@family.button(PROFILE_FORM)
def open_profile_form(ctx: Context, value: str) -> list[Output]:
    """Edit your profile in a form (your own, whoever's home the button was in)."""
    return [profile_form(ctx, "")]


def settings_section(ctx: Context) -> HomeSection:
    """The member's settings in their home, with a button that opens the settings form."""
    change = Button(SETTINGS_FORM, t.SETTINGS_CHANGE, "", "primary")
    shown = show_settings(ctx, titled=False)  # the section's header says it
    return HomeSection(fmt(t.SETTINGS_HOME_TITLE), (Message(shown, (change,)),))


@family.button(SETTINGS_FORM)
def open_settings_form(ctx: Context, value: str) -> list[Output]:
    """Change zone, quiet hours, weekends and date order in one form."""
    return [settings_form(ctx, "")]


def settings_form(ctx: Context, arg: str) -> Form:
    """The settings form (key ``rapport.settings:``): each member edits only their own."""
    mine = ctx.settings()
    order = {"DMY": "dmy", "MDY": "mdy"}.get(mine.date_order or "", "ask")
    return Form(
        key="rapport.settings:",
        title=t.SETTINGS_FORM_TITLE,
        submit=t.SETTINGS_FORM_SUBMIT,
        fields=(
            Field("zone", "text", t.SETTINGS_FORM_ZONE, "Europe/Berlin", default=str(ctx.zone())),
            Field("quiet", "text", t.SETTINGS_FORM_QUIET, "22:00-07:00", default=mine.quiet),
            Field(
                "weekends",
                "choice",
                t.SETTINGS_FORM_WEEKENDS,
                required=False,
                default="on" if mine.quiet_weekends else "off",
                choices=WEEKEND_CHOICES,
            ),
            Field(
                "dates",
                "choice",
                t.SETTINGS_FORM_DATES,
                required=False,
                default=order,
                choices=DATE_CHOICES,
            ),
        ),
    )


@family.form("rapport.settings", build=settings_form)
def settings_submitted(ctx: Context, arg: str, values: dict[str, Any]) -> list[Output]:
    """Every field checked as the typed command checks it; nothing saved unless all are right."""
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}
    try:
        changes["tz"] = user_settings.check_zone(str(values.get("zone", ""))).name
    except UserError as err:
        errors["zone"] = to_plain(err.message) if not isinstance(err.message, str) else err.message
    try:
        changes["quiet"] = user_settings.read_quiet(str(values.get("quiet", "")))
    except UserError as err:
        errors["quiet"] = to_plain(err.message) if not isinstance(err.message, str) else err.message
    if errors:
        raise FieldErrors(errors)
    mine = ctx.settings()
    weekends = values.get("weekends")
    changes["quiet_weekends"] = mine.quiet_weekends if weekends is None else weekends == "on"
    dates = values.get("dates")
    order = {"dmy": "DMY", "mdy": "MDY"}.get(str(dates))
    changes["date_order"] = mine.date_order if dates is None else order
    user_settings.save(ctx.store, ctx.community, ctx.user, **changes)
    return reply(join(fmt(t.SETTINGS_SAVED), show_settings(ctx)))


def _quiet_line(mine: user_settings.UserSettings) -> Text:
    if mine.quiet == user_settings.QUIET_OFF:
        return fmt(
            t.SETTINGS_QUIET_OFF, weekends=t.QUIET_OFF_WEEKENDS if mine.quiet_weekends else ""
        )
    weekends = t.SETTINGS_WEEKENDS_QUIET if mine.quiet_weekends else ""
    return fmt(t.SETTINGS_QUIET, quiet=mine.quiet, weekends=weekends)


def show_settings(ctx: Context, *, titled: bool = True) -> Text:
    mine = ctx.settings()
    member = ctx.member(ctx.user)
    if mine.tz:
        source = ""
    elif member and member.tz:
        source = t.SETTINGS_TZ_FROM_PROFILE
    else:
        source = t.SETTINGS_TZ_DEFAULT
    return join(
        *([fmt(t.SETTINGS_TITLE)] if titled else []),
        fmt(t.SETTINGS_TZ, tz=str(ctx.zone()), source=fmt(source)),
        _quiet_line(mine),
        fmt(t.SETTINGS_DATES, dates=t.SETTINGS_DATE_ORDER[mine.date_order or "ask"]),
        fmt(t.SETTINGS_NUDGES, state="on" if mine.nudges else "off"),
        fmt(t.SETTINGS_HINT),
    )
