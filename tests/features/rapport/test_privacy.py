"""``/rapport privacy``: export everything about me, and erase it after a confirmation."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.adapters.console.community import COMMUNITY
from bot.features.coffee.records import CHATS, ROULETTE_GROUPS
from bot.features.followup.contacts import CONTACTS
from bot.features.followup.records import FOLLOWUPS
from bot.features.intro import flow
from bot.features.rapport.privacy import CONFIRMS, EXPORT_FILE, mentions, scrub
from bot.io import DirectMessage, HomeView, MessageUpdate, Reply
from bot.messages import Message
from bot.registry import FORMER_MEMBER as PLACEHOLDER
from store.base import OUTBOX
from tests.harness import Harness, plain

ME = "carol"


def last_with(h: Harness, user: str, words: str) -> Message:
    found = [m for m in h.recorder.to(user) if words in plain(m)]
    assert found, f"nothing to {user} with {words!r}"
    return found[-1]


def export(h: Harness, user: str = ME) -> dict[str, Any]:
    outputs = h.cmd(user, "/rapport privacy export")
    assert "rapport-export.json" in plain(outputs[0].message)
    [dm] = [
        p.output
        for p in h.recorder.sent
        if isinstance(p.output, DirectMessage) and p.output.message.attachments
    ][-1:]
    assert dm.user == user
    [file] = dm.message.attachments
    assert file.filename == EXPORT_FILE and file.mime == "application/json"
    return json.loads(file.content)


def erase(h: Harness, user: str = ME) -> str:
    [ask] = h.cmd(user, "/rapport privacy delete")
    assert isinstance(ask, Reply)
    assert [b.label for b in ask.message.buttons] == ["Yes, erase everything", "Keep my data"]
    [done] = h.press(user, h.button(ask.message, "Yes, erase everything"))
    assert isinstance(done, MessageUpdate)
    return plain(done.message)


def rich_history(h: Harness) -> None:
    """Carol takes part in everything: intros in every role, chats, roulette, follow-ups…"""
    h.cmd("you", "/win channel #wins")
    h.cmd("you", "/coffee roulette enable #coffee every week size 2")
    for user in ("alice", "bob", ME, "dan"):
        h.cmd(user, "/coffee roulette join")
    h.cmd(ME, "/rapport settings tz Europe/Berlin")
    h.cmd(ME, "/coffee roulette avoid @bob")
    h.cmd("dan", "/coffee roulette avoid @carol")  # private to dan: never in carol's export
    # Intros: carol as connector (open), as requester (open), as target (made), as target (asked).
    h.cmd("alice", "/intro @carol @bob curious about platform work")
    h.cmd(ME, "/intro @bob @dan I'd like to learn about design systems")
    h.cmd("dan", "/intro @bob @carol hoping to hear about the interview loop")
    h.press("bob", h.button(h.last_to("bob"), "Make the intro"))
    h.press(ME, h.button(h.last_to(ME), "Happy to connect"))
    h.cmd("bob", "/intro @alice @carol would love advice on mentoring")
    h.press("alice", h.button(last_with(h, "alice", "@bob would love an intro"), "Make the intro"))
    # Not yet asked: carol must not learn of this one from her export.
    h.cmd("you", "/intro @dan @carol a question about conference talks")
    # A chat that happened, with a keep-in-touch choice on both sides.
    h.cmd("alice", "/coffee @carol tomorrow 10am")
    h.press(ME, h.button(h.last_to(ME), "Accept"))
    h.cmd(ME, "/followup @alice in 2 weeks")
    h.cmd("alice", "/followup @carol in 3 weeks")
    h.cmd(ME, "/win I landed a second interview")
    h.cmd(ME, "/questions")  # questions served to carol (remembered, so they don't repeat)
    h.advance(timedelta(days=1, hours=2, minutes=5))  # Wed 11:05: round 1, check-ins
    for user, other in (("alice", "@carol"), (ME, "@alice")):
        out = h.press(user, h.button(last_with(h, user, f"chat with {other} happen"), "Yes"))
        [keep] = [o for o in out if isinstance(o, MessageUpdate)]
        h.press(user, h.button(keep.message, "In 2 weeks"))
    # Two live chats: one carol accepted, one she proposed.
    h.cmd("bob", "/coffee @carol fri 3pm")
    h.press(ME, h.button(h.last_to(ME), "Accept"))
    h.cmd(ME, "/coffee @dan fri 5pm")


def everything(h: Harness) -> dict[str, list[dict[str, Any]]]:
    return {t: h.store.find(t) for t in h.store.tables()}


# -- export ------------------------------------------------------------------------------------


def test_export_has_my_records_and_nothing_private_to_others(h: Harness) -> None:
    rich_history(h)
    data = export(h)
    assert data["user"] == ME and data["community"] == COMMUNITY.key
    tables = data["tables"]
    assert data["records"] == sum(len(rows) for rows in tables.values()) > 20
    for table in (
        "intros",
        CHATS,
        CONTACTS,
        "keep_in_touch",
        FOLLOWUPS,
        "roulette_members",
        "roulette_avoid",
        ROULETTE_GROUPS,
        "settings",
        "wins",
        "questions_served",
        OUTBOX,
    ):
        assert tables.get(table), f"{table} missing from the export"
    reasons = {i["reason"] for i in tables["intros"]}
    assert "hoping to hear about the interview loop" in reasons  # carol took part
    assert "a question about conference talks" not in reasons  # never asked: not hers yet
    assert all(a["user"] == ME for a in tables["roulette_avoid"])  # dan's list stays his
    assert all(f["owner"] == ME for f in tables[FOLLOWUPS])  # alice's notes stay hers
    assert tables["settings"][0]["tz"] == "Europe/Berlin"
    assert all(e["kind"] in ("scheduled", "message") for e in tables[OUTBOX])
    assert "requests" not in tables and CONFIRMS not in tables


def test_a_newcomer_exports_an_empty_record(h: Harness) -> None:
    data = export(h, "dan")
    assert data["records"] == 0 and data["tables"] == {}


# -- erase -------------------------------------------------------------------------------------


def test_nothing_about_me_remains_in_any_table(h: Harness) -> None:
    rich_history(h)
    before = everything(h)
    assert {"intros", CHATS, CONTACTS, FOLLOWUPS, ROULETTE_GROUPS, OUTBOX, "requests"} <= set(
        before
    )
    assert sum(ME in json.dumps(d) for rows in before.values() for d in rows) > 50

    said = erase(h)
    assert "everything rapport kept about you here is erased" in said and ME not in said

    for table, rows in everything(h).items():
        for doc in rows:
            assert ME not in json.dumps(doc, ensure_ascii=False), f"{table}: {doc}"
    # Others' records are still there, the ones they own intact.
    assert h.store.count("wins") == 0 and h.store.count("settings") == 0
    assert h.store.count(FOLLOWUPS, {"owner": "alice"}) >= 1
    assert h.store.count(CONTACTS, {"user": "alice"}) >= 1


def test_export_delete_export_shows_an_empty_record(h: Harness) -> None:
    rich_history(h)
    assert export(h)["records"] > 0
    erase(h)
    again = export(h)
    assert again["records"] == 0 and again["tables"] == {}


def test_people_in_open_intros_and_chats_hear_only_that_it_was_withdrawn(h: Harness) -> None:
    rich_history(h)
    sent_before = len(h.recorder.sent)
    erase(h)
    notes = [p.output for p in h.recorder.sent[sent_before:]]
    assert all(isinstance(n, DirectMessage) for n in notes)
    told = {n.user: [plain(x.message) for x in notes if x.user == n.user] for n in notes}
    # alice asked carol (connector); bob was asked by carol; bob and alice wait on carol
    # as a target, and so would you and dan; bob and dan have live chats with her.
    assert set(told) == {"alice", "bob", "dan", "you"}
    assert any("intro request you were part of" in x for x in told["alice"])
    assert any("coffee chat you had planned" in x for x in told["dan"])
    assert any("coffee chat you had planned" in x for x in told["bob"])
    for words in told.values():
        for x in words:
            assert "withdrawn" in x and ME not in x and "erase" not in x
    assert h.store.find(OUTBOX, {"origin": ME}) == [] and h.store.find(OUTBOX, {"about": ME}) == []


def test_records_others_own_keep_working_without_me(h: Harness) -> None:
    rich_history(h)
    erase(h)
    asked_me = [i for i in h.store.find(flow.INTROS) if i["reason"].startswith("curious about")]
    [intro] = asked_me
    assert intro["requester"] == "alice" and intro["state"] == flow.CANCELLED
    assert intro["connector"] == PLACEHOLDER
    assert "@bob through a former member — withdrawn" in h.reply("alice", "/intro list")
    # Her open requests are free again, and her home and lists render.
    assert "Sent!" in h.reply("alice", "/intro @bob @dan learning about data teams")
    for user in ("alice", "bob", "dan"):
        [view] = h.cmd(user, "/rapport home")
        assert isinstance(view, HomeView)
        h.reply(user, "/coffee list")
        h.reply(user, "/followup list")
        h.reply(user, "/rapport stats")
    # A chat that happened still counts for alice; her follow-ups about carol are still
    # hers and still running, about "a former member".
    assert "Coffee chats that happened: 1" in h.reply("alice", "/rapport stats")
    theirs = h.store.find(FOLLOWUPS, {"owner": "alice"})
    assert theirs and all(f["state"] == "active" for f in theirs)
    assert all(f["person"] is None and f["person_name"] == "a former member" for f in theirs)
    # Buttons of erased things answer kindly and change nothing.
    invite = last_with(h, "dan", "would love to have a coffee chat")
    [stale] = h.press("dan", h.button(invite, "Accept"))
    assert isinstance(stale, Reply)
    sent = len(h.recorder.sent)
    h.advance(timedelta(days=30))  # nothing scheduled for or about her fires
    assert all(ME not in plain(p.output.message) for p in h.recorder.sent[sent:])
    assert all(ME not in json.dumps(d) for rows in everything(h).values() for d in rows)


def test_the_confirmation_is_mine_and_can_be_declined_or_expire(h: Harness) -> None:
    h.cmd(ME, "/rapport settings tz Europe/Berlin")
    [ask] = h.cmd(ME, "/rapport privacy delete")
    erase_button = h.button(ask.message, "Yes, erase everything")
    [refusal] = h.press("alice", erase_button)
    assert "belongs to someone else" in plain(refusal.message)
    assert h.store.count("settings") == 1

    [kept] = h.press(ME, h.button(ask.message, "Keep my data"))
    assert "Nothing was erased" in plain(kept.message)
    [gone] = h.press(ME, erase_button)
    assert "isn't active any more" in plain(gone.message)
    assert h.store.count("settings") == 1

    [ask] = h.cmd(ME, "/rapport privacy delete")
    h.advance(timedelta(minutes=31))
    [late] = h.press(ME, h.button(ask.message, "Yes, erase everything"))
    assert "expired" in plain(late.message) and h.store.count("settings") == 1


def test_pressing_yes_twice_erases_once(h: Harness) -> None:
    h.cmd(ME, "/rapport settings tz Europe/Berlin")
    [ask] = h.cmd(ME, "/rapport privacy delete")
    yes = h.button(ask.message, "Yes, erase everything")
    [first] = h.press(ME, yes)
    [second] = h.press(ME, yes)
    assert "erased (" in plain(first.message)
    assert "isn't active any more" in plain(second.message)


def test_privacy_without_a_choice_explains_both(h: Harness) -> None:
    text = h.reply(ME, "/rapport privacy")
    assert "/rapport privacy export" in text and "/rapport privacy delete" in text
    assert "export" in h.reply(ME, "/rapport privacy shred")


def test_an_admin_erased_leaves_community_content_in_place(h: Harness) -> None:
    h.cmd("you", "/coffee roulette enable #coffee every week size 2")
    h.cmd("you", "/tips add Ask one curious question before you talk about yourself.")
    erase(h, "you")
    [tip] = h.store.find("tips_custom")
    [roulette] = h.store.find("roulettes")
    assert tip["by"] == PLACEHOLDER and roulette["enabled_by"] == PLACEHOLDER
    assert roulette["state"] == "on"


def test_finding_and_replacing_a_member_in_a_record() -> None:
    doc = {
        "key": "console:local|coffee:k3|alice|carol",
        "users": ["alice", "carol"],
        "text": [{"user": "carol"}, "carol's words stay words"],
        "other": "caroline",
    }
    assert mentions(doc, "carol") and not mentions({"other": "caroline"}, "carol")
    assert not mentions({"note": "ask carol: later"}, "carol")
    clean = scrub(doc, "carol")
    assert clean["key"] == f"console:local|coffee:k3|alice|{PLACEHOLDER}"
    assert clean["users"] == ["alice", PLACEHOLDER] and clean["other"] == "caroline"
    assert not mentions(clean, "carol")


# -- others' own follow-ups about the erased member ---------------------------------------------


def test_others_follow_ups_about_me_stay_theirs_as_a_former_member(h: Harness) -> None:
    h.cmd("bob", "/followup @carol in 3 days ask how the referral went")
    h.cmd("alice", "/followup @carol every month")
    h.cmd(ME, "/followup @bob in 2 days")  # carol's own: erased with her
    erase(h)
    theirs = {f["owner"]: f for f in h.store.find(FOLLOWUPS)}
    assert set(theirs) == {"bob", "alice"}
    for f in theirs.values():
        assert f["state"] == "active"
        assert f["person"] is None and f["person_name"] == "a former member"
    assert theirs["bob"]["note"] == "ask how the referral went"  # bob's own words, kept
    listed = h.reply("bob", "/followup list")
    assert "a former member" in listed and "ask how the referral went" in listed
    # Their reminders still come, naming nobody.
    h.advance(timedelta(days=3, hours=1))
    nudge = last_with(h, "bob", "a former member")
    assert "ask how the referral went" in plain(nudge)
    assert [b.label for b in nudge.buttons] == [
        "Done",
        "Snooze a week",
        "Stop reminding me about this",
    ]
    h.press("bob", h.button(nudge, "Done"))
    assert h.store.get(FOLLOWUPS, theirs["bob"]["id"])["state"] == "done"
    h.advance(timedelta(days=30))
    assert last_with(h, "alice", "a former member")
    assert all(ME not in json.dumps(d) for rows in everything(h).values() for d in rows)


def test_a_confirmed_erase_compacts_the_store_after_it_commits(h: Harness) -> None:
    rich_history(h)
    calls: list[bool] = []
    real = h.store.compact

    def compact() -> None:
        # After the atomic block: the erase is already committed, nothing of it pending.
        calls.append(h.store.find(CONFIRMS, {"user": ME}) == [] and h.store._depth == 0)
        real()

    h.store.compact = compact  # type: ignore[method-assign]
    [ask] = h.cmd(ME, "/rapport privacy delete")
    assert calls == []  # asking alone changes nothing on disk
    h.press(ME, h.button(ask.message, "Keep my data"))
    assert calls == []
    erase(h)
    assert calls == [True]
    # Not a byte of her records is left in the store's files.
    for path in h.data_dir.rglob("*"):
        if path.is_file():
            assert ME.encode() not in path.read_bytes(), path


def test_no_byte_stays_of_my_replies_or_of_others_exports_naming_me(h: Harness) -> None:
    """My own remembered replies don't name me ("What I do: data engineer at Acme"), and
    another member's delivered export names me only inside its file: both go too."""
    h.cmd("you", "/win channel #wins")
    h.cmd(ME, '/rapport profile role "data engineer" company Initrode helps "reviewing CVs"')
    h.cmd(ME, '/intro @alice "Jane at Stitch Fix" I would love to learn about Stitch Fix')
    h.cmd(ME, '/followup "Jane Smith" every month check in')
    h.tick()
    assert any(ME in json.dumps(export(h, user)) for user in ("alice", "bob"))
    erase(h)
    h.tick()
    for path in h.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for trace in (ME.encode(), b"Initrode", b"reviewing CVs", b"Jane Smith"):
                assert trace not in data, (path, trace)
    assert h.store.count("requests", {"user": "alice"}) >= 1  # others' replies stay
