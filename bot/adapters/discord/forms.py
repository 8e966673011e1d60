"""Forms as Discord modals, understood again from the submission alone.

A modal's ``custom_id`` is ``rf:<guild>:<form key>``: the submission (``MODAL_SUBMIT``,
interaction type 5) names its community and form without anything kept in memory, so
a form opened before a restart is still submitted. The modal is built stopped, so
discord.py never holds it in its view store; the client reads every submission of
ours in ``on_interaction``. Discord modals hold labelled text inputs and selects
(``Label``, discord.py 2.6+): members and channels are picked with Discord's own user
and channel selects, times are typed (Discord has no date picker) and read by the core.

Discord can't keep a modal open with errors on it, so a refused submission is answered
with an ephemeral message listing what to fix and a **Fix it** button that reopens the
form filled in, each error under its field. That form is kept by reference (the button's
``custom_id`` is ``rfa#<ref>``), like a long button id.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.adapters.discord import text as t
from bot.io import ChannelArg, Community, Field, Form, UserArg
from store import Store
from store.base import new_id

FORMS = "discord_forms"  # forms to reopen after refused submissions, by reference
CUSTOM_ID_MAX = 100
TITLE_MAX = 45
LABEL_MAX = 45
DESCRIPTION_MAX = 100
PLACEHOLDER_MAX = 100
TEXT_MAX = 4000
COMPONENTS_MAX = 5  # labelled inputs in one modal
SELECT_MAX = 25

FORM_ID = re.compile(r"rf:(?P<guild>[0-9]+):(?P<key>.+)", re.S)
AGAIN_ID = re.compile(r"rfa#(?P<ref>[a-z0-9]+)")


def _cut(text: str, limit: int) -> str:
    text = text.strip() or "…"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def form_id(community: Community, form: Form) -> str | None:
    """The modal's ``custom_id``, or None if the key is too long to carry."""
    cid = f"rf:{community.workspace}:{form.key}"
    return cid if len(cid) <= CUSTOM_ID_MAX and FORM_ID.fullmatch(cid) else None


def modal(form: Form, cid: str) -> discord.ui.Modal:
    """The form as a modal (stopped: submissions are read from their payload)."""
    built = discord.ui.Modal(title=_cut(form.title, TITLE_MAX), custom_id=cid, timeout=None)
    for field in form.fields[:COMPONENTS_MAX]:
        error = form.errors.get(field.name)
        label, rest = split_label(field.label)
        notes = [f"✗ {error}"] if error else []
        if rest and len(" · ".join([*notes, rest])) <= DESCRIPTION_MAX:
            notes.append(rest)  # beside an error only if both fit: the error comes first
        built.add_item(
            discord.ui.Label(
                text=label,
                description=_cut(" · ".join(notes), DESCRIPTION_MAX) if notes else None,
                component=_input(field),
            )
        )
    built.stop()
    return built


_BREAKS = (" (", " — ", ": ", ", ")


def split_label(text: str) -> tuple[str, str]:
    """A label as Discord can show it: up to 45 characters, the rest for the label's
    description (shown under it) rather than cut off. It breaks where the words do —
    before a parenthesis (``Why you'd like to meet them`` / ``Your friend reads this``),
    a dash, a colon or a comma, never inside brackets; with no such place, at a word,
    the whole label going below."""
    text = " ".join(text.split()) or "…"
    if len(text) <= LABEL_MAX:
        return text, ""
    depth, best = 0, None
    for i, ch in enumerate(text[: LABEL_MAX + 1]):
        if depth == 0 and i > 0 and any(text.startswith(b, i) for b in _BREAKS):
            best = i
        depth += {"(": 1, ")": -1}.get(ch, 0)
    if best is None:
        space = text.rfind(" ", 0, LABEL_MAX)
        return text[: space if space > 0 else LABEL_MAX - 1] + "…", text
    head, rest = text[:best], text[best:].lstrip(" (—:,").strip()
    if text[best:].startswith(" (") and rest.endswith(")") and rest.count(")") > rest.count("("):
        rest = rest[:-1]
    return head, rest[:1].upper() + rest[1:]


def _input(field: Field) -> discord.ui.Item[Any]:
    placeholder = _cut(field.placeholder, PLACEHOLDER_MAX) if field.placeholder else None
    default = field.default
    if field.kind in ("member", "members"):
        many = field.kind == "members"
        picked = default if isinstance(default, tuple) else (default,)
        return discord.ui.UserSelect(
            custom_id=field.name,
            placeholder=placeholder,
            min_values=1 if field.required else 0,
            max_values=min(field.limit or SELECT_MAX, SELECT_MAX) if many else 1,
            required=field.required,
            default_values=[discord.Object(int(u.id)) for u in picked if _snowflake(u)],
        )
    if field.kind == "channel":
        return discord.ui.ChannelSelect(
            custom_id=field.name,
            placeholder=placeholder,
            min_values=1 if field.required else 0,
            required=field.required,
            default_values=[discord.Object(int(default.id))] if _snowflake(default) else [],
        )
    if field.kind == "choice":
        return discord.ui.Select(
            custom_id=field.name,
            placeholder=placeholder,
            min_values=1 if field.required else 0,
            required=field.required,
            options=[
                discord.SelectOption(
                    label=_cut(label, 100), value=value[:100], default=value == default
                )
                for label, value in field.choices[:SELECT_MAX]
            ],
        )
    long = field.kind == "long"
    return discord.ui.TextInput(
        custom_id=field.name,
        style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
        placeholder=placeholder,
        required=field.required,
        max_length=min(field.limit or TEXT_MAX, TEXT_MAX),
        default=default if isinstance(default, str) and default else None,
    )


def _snowflake(value: Any) -> bool:
    return isinstance(value, (UserArg, ChannelArg)) and value.id.isdigit()


def submitted_values(data: dict[str, Any]) -> dict[str, Any]:
    """A ``MODAL_SUBMIT``'s values by field name: typed text as ``str``, picked members as
    a tuple of ``UserArg`` (the core takes the one of a single-member field), a channel,
    a choice."""
    resolved = data.get("resolved") or {}
    users = resolved.get("users") or {}
    channels = resolved.get("channels") or {}
    values: dict[str, Any] = {}
    for leaf in _leaves(data.get("components") or []):
        name = leaf.get("custom_id")
        if not name:
            continue
        kind = int(leaf.get("type", 0))
        if kind == 4:  # text input
            if leaf.get("value"):
                values[name] = str(leaf["value"])
        elif kind == 5:  # user select
            picked = tuple(_user(str(u), users.get(str(u)) or {}) for u in leaf.get("values", ()))
            if picked:
                values[name] = picked
        elif kind == 8:  # channel select
            chosen = [str(c) for c in leaf.get("values", ())]
            if chosen:
                values[name] = ChannelArg(chosen[0], (channels.get(chosen[0]) or {}).get("name"))
        elif kind == 3 and leaf.get("values"):  # string select
            values[name] = str(leaf["values"][0])
    return values


def _leaves(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for c in components:
        if c.get("type") == 1:
            found += _leaves(c.get("components") or [])
        elif c.get("type") == 18:
            found += _leaves([c.get("component") or {}])
        else:
            found.append(c)
    return found


def _user(id: str, data: dict[str, Any]) -> UserArg:
    name = data.get("global_name") or data.get("username")
    return UserArg(id, name, bool(data.get("bot", False)))


# -- showing a refused submission ---------------------------------------------------------


def keep(store: Store, community: Community, form: Form, user: str) -> str:
    """Keep a refused form, and who filled it in, for its **Fix it** button; the
    button's ``custom_id``."""
    ref = new_id(12)
    store.insert(
        FORMS, {"id": ref, "community": community.key, "user": user, "form": form.to_data()}
    )
    return f"rfa#{ref}"


def kept(store: Store, ref: str) -> tuple[Community, Form, str | None] | None:
    """A kept form: its community, the form, and who filled it in (None if not known)."""
    doc = store.get(FORMS, ref)
    if doc is None:
        return None
    return Community.from_key(doc["community"]), Form.from_data(doc["form"]), doc.get("user")


def errors_text(form: Form) -> str:
    """What to fix, field by field, in plain words (labels and errors are ours)."""
    labels = {f.name: f.label for f in form.fields}
    lines = [t.FORM_REFUSED]
    lines += [
        t.FORM_REFUSED_LINE.format(label=labels.get(k, k), error=v) for k, v in form.errors.items()
    ]
    return "\n".join(lines)


class FormAgain(discord.ui.DynamicItem[discord.ui.Button], template=AGAIN_ID):
    """**Fix it**: reopens a refused form, filled in, from its reference alone."""

    def __init__(self, item: discord.ui.Button, ref: str = "") -> None:
        super().__init__(item)
        self.ref = ref

    @classmethod
    def make(cls, cid: str) -> FormAgain:
        return cls(
            discord.ui.Button(label=t.FORM_FIX, style=discord.ButtonStyle.primary, custom_id=cid)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> FormAgain:
        assert isinstance(item, discord.ui.Button)
        return cls(item, match["ref"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        adapter = getattr(interaction.client, "rapport", None)
        if adapter is not None:
            await adapter.reopen_form(interaction, self.ref)
