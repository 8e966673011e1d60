"""Nothing typed by a user can ping @everyone, @here or a role through the bot.

Every subcommand of every family that takes text gets ``@everyone @here <@&role>``
(and a user mention typed as text) in each text option; then every payload the
bot sent — interaction answers, follow-ups, DMs, channel posts, thread messages —
is checked: no live mass mention in its text, and ``allowed_mentions`` present
with nothing to parse.
"""

from __future__ import annotations

from typing import Any

from bot.adapters.discord.commands import variants_of as forms_for
from bot.registry import discover
from tests.adapters.discord import payloads as p
from tests.adapters.discord.fake_api import FakeDiscord, Request
from tests.adapters.discord.world import World

EVIL = "@everyone @here <@&123456789012345678> <@223456789012345678> hi"
ANA = p.user("800000000000000001", "ana")
BO = p.user("800000000000000002", "bo")
CY = p.user("800000000000000003", "cy")
WINS = p.text_channel("700000000000000011", p.GUILD, "wins")
ADMIN = p.EVERYONE_PERMS | p.MANAGE_GUILD
LIVE = ("@everyone", "@here", "<@&", "<@223456789012345678>")


def _text_forms() -> list[tuple[str, Any]]:
    return [
        (family.name, form)
        for family in discover().values()
        for form in forms_for(family)
        if any(o.kind in ("text", "quoted") for o in form.params)
    ]


def _value(opt: Any) -> Any:
    if opt.kind in ("text", "quoted"):
        return EVIL
    if opt.kind == "user":
        return BO
    if opt.kind == "channel":
        return WINS
    if opt.choices:
        return opt.choices[0][1]
    if opt.kind == "zone":
        return "UTC"
    return "intro" if opt.kind == "family" else "abc123"


def _check(req: Request) -> None:
    body = req.body or {}
    texts = [body.get("content") or ""]
    data = body.get("data") or {}
    texts.append(data.get("content") or "")
    for embed in (body.get("embeds") or []) + (data.get("embeds") or []):
        texts.append(embed.get("description") or "")
    for text in texts:
        for live in LIVE:
            assert live not in text, f"{req.method} {req.path}: {text!r}"
    carrier = data if req.kind == "callback" else body
    if carrier.get("content") or carrier.get("embeds"):
        mentions = carrier.get("allowed_mentions")
        assert mentions is not None, f"{req.path} has no allowed_mentions"
        assert mentions.get("parse") == [], mentions
        assert not mentions.get("roles")
        assert "223456789012345678" not in [str(u) for u in mentions.get("users", [])]


def test_mass_mentions_typed_anywhere_never_go_out_live(world: World, fake: FakeDiscord) -> None:
    world.intros_channel("700000000000000077")
    world.interact(p.slash("win", ["channel"], ANA, permissions=ADMIN, channel=WINS))
    forms = _text_forms()
    assert {name for name, _ in forms} >= {"intro", "win", "rapport"} & set(discover())
    for family, form in forms:
        values = {o.name: _value(o) for o in form.params if o.kind != "quoted" or o.required}
        world.interact(p.slash(family, list(form.path), ANA, permissions=ADMIN, **values))
        world.tick()
    # The intro's reason travels furthest: connector DM, target DM, then the group thread.
    world.interact(p.slash("intro", ["ask"], CY, connector=BO, target=ANA, why=EVIL))
    world.tick()
    ask = fake.dms_to(BO["id"])[-1]
    world.interact(p.press(ask, p.button(ask, "Make the intro")["custom_id"], BO))
    world.tick()
    opt_in = fake.dms_to(ANA["id"])[-1]
    world.interact(p.press(opt_in, p.button(opt_in, "Happy to connect")["custom_id"], ANA))
    world.tick()
    assert fake.of("thread"), "the intro's group thread was opened"
    sent = fake.sent()
    assert len(sent) > len(forms)
    for req in sent:
        _check(req)


def test_a_win_is_celebrated_without_pinging_anyone_but_the_winner(
    world: World, fake: FakeDiscord
) -> None:
    world.interact(p.slash("win", ["channel"], ANA, permissions=ADMIN, channel=WINS))
    world.interact(p.slash("win", ["share"], BO, what=EVIL))
    world.tick()
    posts = [r for r in fake.of("channel_message") if r.path == f"/channels/{WINS['id']}/messages"]
    assert posts, "the win was posted"
    for req in posts:
        _check(req)
        users = [str(u) for u in req.body["allowed_mentions"].get("users", [])]
        assert set(users) <= {BO["id"]}
