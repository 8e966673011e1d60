"""The command tree: every family is there, typed, valid for Discord, synced only on change."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import discord
import pytest

from bot.adapters.discord.app import INTENTS, DiscordConfigError, DiscordSettings
from bot.adapters.discord.commands import variants_of as forms_for
from bot.adapters.discord.main import PERMISSIONS, build_discord, invite_url
from bot.registry import Family, discover
from bot.registry import Variant as Form
from tests.adapters.discord import payloads as p
from tests.adapters.discord.fake_api import FakeDiscord
from tests.adapters.discord.world import World

NAME = re.compile(r"^[-_\w]{1,32}$")
ANA = p.user("800000000000000001", "ana")
BO = p.user("800000000000000002", "bo")
JOBS = p.text_channel("700000000000000010", p.GUILD, "jobs")
OOPS = "something went wrong on my side"


def _all_forms() -> list[tuple[str, Form]]:
    return [(fam.name, form) for fam in discover().values() for form in forms_for(fam)]


def test_every_family_has_a_slash_command_and_every_subcommand_a_form(world: World) -> None:
    names = {c.name for c in world.client.tree.get_commands()}
    for family in discover().values():
        assert family.name in names
        covered = {form.sub for form in forms_for(family)}
        assert covered == {sub.name for sub in family.subs}, family.name


def test_the_uploaded_definitions_are_valid_for_discord(world: World, fake: FakeDiscord) -> None:
    uploaded = fake.of("sync")[0].body
    assert len(uploaded) <= 100

    def check(option: dict[str, Any], depth: int) -> None:
        assert NAME.match(option["name"]) and option["name"] == option["name"].lower()
        assert 1 <= len(option["description"]) <= 100
        children = option.get("options", [])
        assert len(children) <= 25
        if children and children[0]["type"] not in (1, 2):
            required = [c.get("required", False) for c in children]
            assert required == sorted(required, reverse=True), option["name"]
        for child in children:
            assert len(child.get("choices", [])) <= 25
            check(child, depth + 1)
        assert depth <= 3

    for command in uploaded:
        check(command, 0)
        assert command.get("contexts") == [0] or command.get("dm_permission") is False


def test_people_are_user_pickers_and_cadences_are_choices(world: World, fake: FakeDiscord) -> None:
    uploaded = {c["name"]: c for c in fake.of("sync")[0].body}
    ask = next(o for o in uploaded["intro"]["options"] if o["name"] == "ask")
    types = {o["name"]: o["type"] for o in ask["options"]}
    assert types["connector"] == 6 and types["target"] == 6 and types["why"] == 3
    cancel = next(o for o in uploaded["intro"]["options"] if o["name"] == "cancel")
    assert cancel["options"][0]["autocomplete"] is True
    if "followup" in uploaded:
        repeat = next(o for o in uploaded["followup"]["options"] if o["name"] == "repeat")
        cadence = next(o for o in repeat["options"] if o["name"] == "cadence")
        assert [c["value"] for c in cadence["choices"]][:2] == ["every week", "every 2 weeks"]
    settings = next(o for o in uploaded["rapport"]["options"] if o["name"] == "settings")
    zone = next(o for o in settings["options"] if o["name"] == "timezone")["options"][0]
    assert zone["autocomplete"] is True


def test_the_tree_is_synced_only_when_it_changes(
    tmp_path: Any, fake: FakeDiscord, loop: Any, echo: tuple[Family, Any]
) -> None:
    data = tmp_path / "data"
    first = World(data, fake, loop, families=discover())
    assert len(fake.of("sync")) == 1
    first.restart()
    assert len(fake.of("sync")) == 1  # same definitions: nothing uploaded
    first.close()
    changed = World(data, fake, loop, families={**discover(), "echo": echo[0]})
    assert len(fake.of("sync")) == 2
    changed.close()


def test_a_development_guild_gets_its_commands_directly(
    tmp_path: Any, fake: FakeDiscord, loop: Any
) -> None:
    settings = DiscordSettings(token="t", guild="700000000000000099")
    w = World(tmp_path / "d", fake, loop, families=discover(), settings=settings)
    try:
        assert fake.of("sync")[-1].path.endswith("/guilds/700000000000000099/commands")
    finally:
        w.close()


def test_only_non_privileged_intents_and_no_mass_mentions(world: World) -> None:
    assert not (INTENTS.members or INTENTS.presences or INTENTS.message_content)
    mentions = world.client.allowed_mentions
    assert mentions is not None
    assert mentions.everyone is False and mentions.roles is False and mentions.users is False


def test_the_invite_asks_for_exactly_what_rapport_uses() -> None:
    query = parse_qs(urlsplit(invite_url(900000000000000001)).query)
    assert query["scope"] == ["bot applications.commands"]
    wanted = discord.Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        attach_files=True,
        create_private_threads=True,
        send_messages_in_threads=True,
    )
    assert int(query["permissions"][0]) == wanted.value == PERMISSIONS.value
    assert not PERMISSIONS.mention_everyone and not PERMISSIONS.administrator


def test_no_token_is_a_clear_error(tmp_path: Any) -> None:
    from bot.bootstrap import bootstrap
    from bot.config import Config

    core = bootstrap(Config(data_dir=str(tmp_path / "d")))
    try:
        with pytest.raises(DiscordConfigError, match="DISCORD_TOKEN"):
            build_discord(core, env={})
    finally:
        core.store.close()


def test_rapport_discord_is_a_command() -> None:
    from bot import cli

    with pytest.raises(SystemExit):
        cli.main(["discord", "--help"])


def _id(x: Any) -> str:
    return " ".join(x.path) or "-" if isinstance(x, Form) else str(x)


@pytest.mark.parametrize(("family", "form"), _all_forms(), ids=_id)
def test_every_form_of_every_family_answers(
    world: World, fake: FakeDiscord, family: str, form: Form
) -> None:
    """Each subcommand, with plausible values, gets an ephemeral answer (or, for the
    ``new`` forms, a modal) and no apology."""
    values = {opt.name: sample(opt) for opt in form.params if opt.required or opt.kind != "quoted"}
    admin = p.EVERYONE_PERMS | p.MANAGE_GUILD
    world.interact(p.slash(family, list(form.path), ANA, permissions=admin, **values))
    answer = fake.last_answer()
    if form.path in (("new",), ("profile", "edit")):
        assert answer.kind == "modal"
        return
    assert answer.kind in ("reply", "followup")
    assert answer.content.strip()
    assert OOPS not in answer.content


def sample(opt: Any) -> Any:
    if opt.kind == "user":
        return BO
    if opt.kind == "channel":
        return JOBS
    if opt.choices:
        return opt.choices[0][1]
    if opt.kind == "family":
        return "intro"
    if opt.kind == "zone":
        return "Europe/Berlin"
    if opt.kind == "item":
        return "abc123"
    if opt.name in ("when", "until"):
        return "tomorrow 3pm"
    if opt.name == "at":
        return "9:00"
    if opt.name == "hours":
        return "21:00-08:00"
    return "learning how your team works"
