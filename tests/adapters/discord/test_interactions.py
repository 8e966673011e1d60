"""Slash commands and buttons, fed as real INTERACTION_CREATE payloads through discord.py."""

from __future__ import annotations

from bot.inbox import INBOX
from bot.io import ChannelArg, UserArg
from tests.adapters.discord import payloads as p
from tests.adapters.discord.echo_family import EchoState
from tests.adapters.discord.fake_api import FakeDiscord
from tests.adapters.discord.world import World

ANA = p.user("800000000000000001", "ana")
BO = p.user("800000000000000002", "bo")
CY = p.user("800000000000000003", "cy")
HELPER_BOT = p.user("800000000000000009", "helperbot", bot=True)
JOBS = p.text_channel("700000000000000010", p.GUILD, "jobs")


def test_typed_options_become_the_parts_the_slack_text_form_gives(
    world: World, fake: FakeDiscord, echo: tuple[object, EchoState]
) -> None:
    state = echo[1]
    world.interact(
        p.slash(
            "echo", ["new"], ANA, person=BO, channel=JOBS, text="hello <@123456789012345678> there"
        )
    )
    parts = state.received[-1]
    assert parts == (
        UserArg(BO["id"], "Bo", False),
        " ",
        ChannelArg(JOBS["id"], "jobs"),
        " hello <@123456789012345678> there",
    )
    answer = fake.last_answer()
    assert answer.kind == "reply" and answer.ephemeral
    # What the core echoed back is inert: the typed "<@…>" is no mention.
    assert "<@123456789012345678>" not in answer.content
    assert "<@\u200b123456789012345678>" in answer.content


def test_intro_request_sends_the_connector_a_dm_with_buttons(
    world: World, fake: FakeDiscord
) -> None:
    world.interact(
        p.slash("intro", ["ask"], ANA, connector=BO, target=CY, why="I'd love to learn about data")
    )
    answer = fake.last_answer()
    assert answer.kind == "reply" and answer.ephemeral
    world.tick()
    dm = fake.dms_to(BO["id"])[-1]
    assert "data" in dm["content"]
    labels = [b["label"] for b in p.buttons(dm)]
    assert labels == ["Make the intro", "Not now"]
    assert all(b["custom_id"].startswith(f"rp:{p.GUILD}:intro.") for b in p.buttons(dm))


def test_an_outsider_target_goes_in_quotes_and_the_picker_wins_when_both_are_given(
    world: World, fake: FakeDiscord, echo: tuple[object, EchoState]
) -> None:
    from bot.adapters.discord.translate import parts_for
    from bot.features.intro.commands import family as intro

    ask = intro.variants()[0]
    outside = parts_for(
        ask, {"connector": _member(world, BO), "outside": 'the "data" team', "why": "hi"}
    )
    assert outside[1:] == (" \"the 'data' team\" hi",)
    both = parts_for(
        ask,
        {
            "connector": _member(world, BO),
            "target": _member(world, CY),
            "outside": "x",
            "why": "hi",
        },
    )
    assert [type(x).__name__ for x in both] == ["UserArg", "str", "UserArg", "str"]
    assert both[-1] == " hi"


def test_a_full_double_opt_in_intro_over_discord_opens_a_private_thread(
    world: World, fake: FakeDiscord
) -> None:
    world.intros_channel("700000000000000077")
    world.interact(p.slash("intro", ["ask"], ANA, connector=BO, target=CY, why="data careers"))
    world.tick()
    ask = fake.dms_to(BO["id"])[-1]
    world.interact(p.press(ask, p.button(ask, "Make the intro")["custom_id"], BO))
    update = fake.last_answer()
    assert update.kind in ("update", "reply")
    world.tick()
    opt_in = fake.dms_to(CY["id"])[-1]
    world.interact(p.press(opt_in, p.button(opt_in, "Happy to connect")["custom_id"], CY))
    world.tick()
    thread = fake.of("thread")[-1]
    assert thread.path == "/channels/700000000000000077/threads"
    assert thread.body["type"] == 12 and thread.body["invitable"] is False
    added = {r.path.rsplit("/", 1)[-1] for r in fake.of("thread_member")}
    assert added == {ANA["id"], BO["id"], CY["id"]}
    thread_id = fake.threads[-1]["id"]
    posted = [r for r in fake.of("channel_message") if r.path == f"/channels/{thread_id}/messages"]
    intro = posted[-1].body
    assert [b["label"] for b in intro["components"][0]["components"]] == ["Schedule a coffee chat"]
    assert {str(u) for u in intro["allowed_mentions"]["users"]} == {ANA["id"], BO["id"], CY["id"]}
    assert intro["allowed_mentions"]["parse"] == []


def test_a_stranger_pressing_someone_elses_button_changes_nothing(
    world: World, fake: FakeDiscord
) -> None:
    world.interact(p.slash("intro", ["ask"], ANA, connector=BO, target=CY, why="data careers"))
    world.tick()
    ask = fake.dms_to(BO["id"])[-1]
    world.interact(p.press(ask, p.button(ask, "Make the intro")["custom_id"], CY))
    answer = fake.last_answer()
    assert answer.kind == "reply" and answer.ephemeral
    world.tick()
    assert fake.dms_to(CY["id"]) == []  # nobody was asked to opt in


def test_pressing_twice_acts_once(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("intro", ["ask"], ANA, connector=BO, target=CY, why="data careers"))
    world.tick()
    ask = fake.dms_to(BO["id"])[-1]
    cid = p.button(ask, "Make the intro")["custom_id"]
    world.interact(p.press(ask, cid, BO))
    world.interact(p.press(ask, cid, BO))
    world.tick()
    assert len(fake.dms_to(CY["id"])) == 1


def test_button_edits_its_message_and_replies(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("echo", ["dm"], ANA, person=BO, text="hi"))
    world.tick()
    dm = fake.dms_to(BO["id"])[-1]
    world.interact(p.press(dm, p.button(dm, "Press me")["custom_id"], BO))
    kinds = [a.kind for a in fake.answers()[-2:]]
    assert kinds == ["update", "followup"]
    update, reply = fake.answers()[-2:]
    assert f"<@{BO['id']}>" in update.content and update.data["components"] == []
    assert reply.ephemeral


def test_buttons_work_after_a_restart(world: World, fake: FakeDiscord) -> None:
    """A message sent by one process, pressed after a fresh client started from the store."""
    world.interact(p.slash("intro", ["ask"], ANA, connector=BO, target=CY, why="data careers"))
    world.tick()
    ask = fake.dms_to(BO["id"])[-1]
    world.restart()
    assert world.client is not None
    world.interact(p.press(ask, p.button(ask, "Make the intro")["custom_id"], BO))
    assert fake.last_answer().kind == "update"
    world.tick()
    assert len(fake.dms_to(CY["id"])) == 1


def test_a_long_button_id_is_stored_and_still_works_after_a_restart(
    world: World, fake: FakeDiscord
) -> None:
    world.interact(p.slash("echo", ["dm"], ANA, person=BO, text="hi"))
    world.tick()
    dm = fake.dms_to(BO["id"])[-1]
    long_id = p.button(dm, "Long one")["custom_id"]
    assert long_id.startswith("rp#") and len(long_id) <= 100
    world.restart()
    world.interact(p.press(dm, long_id, BO))
    assert "(139 characters)" in fake.answers()[-1].content


def test_a_press_on_a_message_without_its_components_is_ignored_like_discord_py_does(
    world: World, fake: FakeDiscord
) -> None:
    world.interact(p.slash("echo", ["dm"], ANA, person=BO, text="hi"))
    world.tick()
    dm = fake.dms_to(BO["id"])[-1]
    cid = p.button(dm, "Press me")["custom_id"]
    before = len(fake.answers())
    world.interact(p.press({**dm, "components": []}, cid, BO))
    assert len(fake.answers()) == before


def test_slow_work_is_deferred_then_answered(
    world: World, fake: FakeDiscord, echo: tuple[object, EchoState]
) -> None:
    state = echo[1]
    world.adapter.settings = type(world.settings)(token="t", defer_after=0.01)

    def release_on_defer(req: object) -> None:
        if getattr(req, "kind", "") == "callback" and req.body.get("type") == 5:  # type: ignore[attr-defined]
            state.release.set()

    fake.on_request = release_on_defer
    world.interact(p.slash("echo", ["slow"], ANA, text="with buttons"))
    kinds = [a.kind for a in fake.answers()]
    assert kinds == ["defer", "edit"]  # the answer replaces "thinking…"
    assert fake.answers()[0].ephemeral
    # Recorded in the inbox before the defer, and marked answered after.
    (entry,) = world.store.find(INBOX)
    assert entry["platform"] == "discord" and entry["kind"] == "command"
    assert entry["state"] == "done" and entry["answer"] == "reply"
    answer = fake.answers()[-1]
    assert "Finally done." in answer.content and answer.labels == ["Press me"]
    # The button of a deferred answer works like any other (answered in time, not deferred).
    world.adapter.settings = world.settings
    message = next(m for m in fake.messages.values() if "Finally" in m["content"])
    world.interact(p.press(message, p.button(message, "Press me")["custom_id"], ANA))
    assert fake.answers()[-2].kind == "update"


def test_long_replies_go_into_an_embed(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("echo", ["long"], ANA))
    answer = fake.last_answer()
    assert answer.data.get("content") in (None, "")
    assert len(answer.data["embeds"][0]["description"]) <= 4096


def test_admin_is_manage_server(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("win", ["channel"], ANA, channel=JOBS))
    assert "admin" in fake.last_answer().content.lower()
    world.interact(
        p.slash(
            "win", ["channel"], ANA, channel=JOBS, permissions=p.EVERYONE_PERMS | p.MANAGE_GUILD
        )
    )
    assert f"<#{JOBS['id']}>" in fake.last_answer().content


def test_configured_admins_are_admins_too(
    tmp_path, fake: FakeDiscord, loop, echo: tuple[object, EchoState]
) -> None:
    from bot.config import Config
    from bot.registry import discover

    config = Config(data_dir=str(tmp_path / "d"), admins=(f"discord:{ANA['id']}",))
    w = World(tmp_path / "d", fake, loop, families=discover(), config=config)
    try:
        w.interact(p.slash("win", ["channel"], ANA, channel=JOBS))
        assert f"<#{JOBS['id']}>" in fake.last_answer().content
    finally:
        w.close()


def test_setup_intros_is_for_admins_and_sets_the_channel(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("setup", ["intros"], ANA, channel=JOBS))
    assert "admin" in fake.last_answer().content.lower()
    world.interact(p.slash("setup", ["intros"], ANA, channel=JOBS, permissions=p.MANAGE_GUILD))
    assert f"<#{JOBS['id']}>" in fake.last_answer().content
    lookup = world.adapter.deliverer.intros_channel
    from bot.io import Community

    assert lookup(Community("discord", p.GUILD)) == JOBS["id"]


def test_timezone_autocomplete(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("rapport", ["settings", "timezone"], ANA, focused="zone", zone="berl"))
    answer = fake.answers()[-1]
    assert answer.kind == "choices"
    assert {"name": "Europe/Berlin", "value": "Europe/Berlin"} in answer.data["choices"]


def test_setting_a_timezone_from_the_picker(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("rapport", ["settings", "timezone"], ANA, zone="Europe/Berlin"))
    assert "Europe/Berlin" in fake.last_answer().content


def test_cancel_autocompletes_my_open_requests_only(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("intro", ["ask"], ANA, connector=BO, target=CY, why="data careers"))
    world.interact(p.slash("intro", ["ask"], BO, connector=CY, target=ANA, why="not ana's"))
    world.interact(p.slash("intro", ["cancel"], ANA, focused="id", id=""))
    choices = fake.answers()[-1].data["choices"]
    assert len(choices) == 1 and "data careers" in choices[0]["name"]
    world.interact(p.slash("intro", ["cancel"], ANA, id=choices[0]["value"]))
    world.interact(p.slash("intro", ["cancel"], ANA, focused="id", id=""))
    assert fake.answers()[-1].data["choices"] == []


def test_people_picked_are_learnt_for_names_later(world: World) -> None:
    world.interact(p.slash("intro", ["ask"], ANA, connector=BO, target=CY, why="data careers"))
    from bot.io import Community

    member = world.core.directory.member(Community("discord", p.GUILD), BO["id"])
    assert member is not None and member.name == "Bo" and not member.is_bot


def test_a_bot_picked_as_a_person_arrives_as_a_bot(
    world: World, echo: tuple[object, EchoState]
) -> None:
    world.interact(p.slash("echo", ["new"], ANA, person=HELPER_BOT, text="x"))
    first = echo[1].received[-1][0]
    assert isinstance(first, UserArg) and first.is_bot is True


def _member(world: World, u: dict) -> object:
    """A real discord.py user object, as a user picker would give."""
    import discord

    return discord.User(state=world.client._connection, data=u)  # type: ignore[arg-type]


def test_coffee_and_followup_cancels_offer_my_open_items(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("coffee", ["invite"], ANA, person=BO, when="tomorrow 3pm"))
    world.interact(p.slash("followup", ["add"], ANA, person=CY, when="in 2 weeks", note="job"))
    for user in (ANA, BO):  # either side of a chat may cancel it
        world.interact(p.slash("coffee", ["cancel"], user, focused="id", id=""))
        assert len(fake.answers()[-1].data["choices"]) == 1, user["username"]
    world.interact(p.slash("followup", ["cancel"], ANA, focused="id", id=""))
    choices = fake.answers()[-1].data["choices"]
    assert len(choices) == 1 and "Cy" in choices[0]["name"]
    world.interact(p.slash("followup", ["cancel"], BO, focused="id", id=""))
    assert fake.answers()[-1].data["choices"] == []


def test_a_chat_picker_names_the_other_person_to_whoever_asks(
    world: World, fake: FakeDiscord
) -> None:
    world.interact(p.slash("coffee", ["invite"], ANA, person=BO, when="tomorrow 3pm", topic="x"))
    world.interact(p.slash("coffee", ["invite"], CY, person=BO, when="tomorrow 4pm", topic="y"))
    world.interact(p.slash("coffee", ["cancel"], BO, focused="id", id=""))
    names = sorted(c["name"].split(" · ")[1] for c in fake.answers()[-1].data["choices"])
    assert names == ["Ana", "Cy"]
    world.interact(p.slash("coffee", ["cancel"], ANA, focused="id", id=""))
    (choice,) = fake.answers()[-1].data["choices"]
    assert choice["name"].split(" · ")[1] == "Bo"
    # Typing the other person's name finds the chat.
    world.interact(p.slash("coffee", ["cancel"], BO, focused="id", id="cy"))
    (choice,) = fake.answers()[-1].data["choices"]
    assert choice["name"].split(" · ")[1:3] == ["Cy", "y"]


def test_an_intro_without_target_or_outside_names_the_options_not_the_reason(
    world: World, fake: FakeDiscord
) -> None:
    from bot.features.intro.flow import INTROS

    world.interact(p.slash("intro", ["ask"], ANA, connector=BO, why="hi"))
    answer = fake.last_answer()
    assert answer.kind == "reply" and answer.ephemeral
    assert "couldn't find a member" not in answer.content
    assert "`target`" in answer.content and "`outside`" in answer.content
    assert world.core.store.find(INTROS) == []
    # Either one alone goes through.
    world.interact(
        p.slash("intro", ["ask"], ANA, connector=BO, outside="someone at Acme", why="hi")
    )
    assert "Sent!" in fake.last_answer().content


def test_a_long_note_is_refused_with_its_real_length(world: World, fake: FakeDiscord) -> None:
    note = "n" * 3000  # Discord lets a string option carry up to 6,000 characters
    world.interact(p.slash("followup", ["add"], ANA, person=BO, when="in 2 weeks", note=note))
    assert "(3000 characters)" in fake.last_answer().content


def test_a_member_and_someone_outside_together_are_refused_not_one_dropped(
    world: World, fake: FakeDiscord
) -> None:
    from bot.features.intro.flow import INTROS

    world.interact(
        p.slash(
            "intro", ["ask"], ANA, connector=BO, target=CY, outside="someone at Stripe", why="hi"
        )
    )
    answer = fake.last_answer()
    assert "Please use `target` or `outside`, not both" in answer.content
    assert world.core.store.find(INTROS) == []


def test_find_a_member_through_the_person_picker(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("intro", ["find"], ANA, person=BO))
    answer = fake.last_answer()
    assert answer.ephemeral and f"<@{BO['id']}>" in answer.content
    assert "\u200b" not in answer.content  # a real mention, not typed text made inert


def test_a_list_longer_than_one_message_comes_in_several(world: World, fake: FakeDiscord) -> None:
    for n in range(1, 31):
        note = f"note{n:02d} " + "x" * 450
        world.interact(p.slash("followup", ["add"], ANA, person=BO, when=f"in {n} days", note=note))
    before = len(fake.answers())
    world.interact(p.slash("followup", ["list"], ANA))
    answers = fake.answers()[before:]
    assert len(answers) > 1 and all(a.ephemeral for a in answers)
    shown = "\n".join((a.content or "") + str(a.data.get("embeds") or "") for a in answers)
    assert all(f"note{n:02d}" in shown for n in range(1, 31))
    assert "more than fits" not in shown
