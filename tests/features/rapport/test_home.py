"""``/rapport home``: the home view in each state, its buttons, and platform limits."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.adapters.console.community import COMMUNITY
from bot.adapters.discord.limits import BUTTONS as DISCORD_BUTTONS
from bot.adapters.discord.limits import CONTENT_CHARS as DISCORD_CONTENT_CHARS
from bot.adapters.discord.render import home_replies, render_message, to_markdown
from bot.adapters.plain_home import home_messages
from bot.adapters.slack.home import home_message, home_view
from bot.adapters.slack.limits import HOME_BLOCKS as SLACK_HOME_BLOCKS
from bot.adapters.slack.limits import MESSAGE_BLOCKS as SLACK_MESSAGE_BLOCKS
from bot.adapters.slack.limits import SECTION_CHARS as SLACK_SECTION_CHARS
from bot.features.intro import flow
from bot.io import CommandInvocation, HomeSection, HomeView
from bot.markup import fmt, to_plain
from bot.messages import Button, Message
from bot.trim import HOME_SECTION_ITEMS, clip, fit_home, take
from tests.harness import Harness, plain


def home(h: Harness, user: str) -> HomeView:
    [view] = h.cmd(user, "/rapport home")
    assert isinstance(view, HomeView) and view.user == user
    return view


def section(view: HomeView, title: str) -> HomeSection:
    for s in view.sections:
        if to_plain(s.title) == title:
            return s
    raise AssertionError(f"no section {title!r} in {[to_plain(s.title) for s in view.sections]}")


def lines(s: HomeSection) -> list[str]:
    return [plain(m) for m in s.items]


def item(s: HomeSection, words: str) -> Message:
    for m in s.items:
        if words in plain(m):
            return m
    raise AssertionError(f"no item with {words!r} in {lines(s)}")


def labels(m: Message) -> list[str]:
    return [b.label for b in m.buttons]


# -- states -------------------------------------------------------------------------------------


def test_an_empty_home_says_where_to_start(h: Harness) -> None:
    view = home(h, "alice")
    assert [to_plain(s.title) for s in view.sections] == [
        "Intros",
        "Coffee chats",
        "Follow-ups",
        "Your profile",
        "Your settings",
    ]
    assert "Hi alice!" in to_plain(view.intro)
    assert "/intro @friend @person why" in lines(section(view, "Intros"))[0]
    assert "/coffee @person" in lines(section(view, "Coffee chats"))[0]
    assert "/followup @person" in lines(section(view, "Follow-ups"))[0]
    open_items = [
        s for s in view.sections if to_plain(s.title) in ("Intros", "Coffee chats", "Follow-ups")
    ]
    assert all(not m.buttons and s.more == 0 for s in open_items for m in s.items)
    # Your profile and your settings, each with the button that opens its form.
    assert [b.label for s in view.sections[3:] for m in s.items for b in m.buttons] == [
        "Edit profile",
        "Change settings",
    ]


def test_an_intro_through_the_home_buttons(h: Harness) -> None:
    h.cmd("alice", "/intro @bob @carol I'd love to hear how they moved into data")
    mine = item(section(home(h, "alice"), "Intros"), "You asked @bob")
    assert "waiting for their answer" in plain(mine) and not mine.buttons

    ask = item(section(home(h, "bob"), "Intros"), "@alice asks you")
    assert "“I'd love to hear how they moved into data”" in plain(ask)
    assert labels(ask) == ["Make the intro", "Not now"]
    assert "Nothing open" in lines(section(home(h, "carol"), "Intros"))[0]  # double opt-in

    h.press("bob", h.button(ask, "Make the intro"))
    assert "Nothing open" in lines(section(home(h, "bob"), "Intros"))[0]
    assert "waiting for @carol now" in plain(item(section(home(h, "alice"), "Intros"), "@carol"))
    opt_in = item(section(home(h, "carol"), "Intros"), "@bob would like to introduce you")
    assert labels(opt_in) == ["Happy to connect", "No thanks"]

    h.press("carol", h.button(opt_in, "Happy to connect"))
    assert len(h.recorder.groups()) == 1
    for user in ("alice", "bob", "carol"):
        assert "Nothing open" in lines(section(home(h, user), "Intros"))[0]


def test_a_stranger_pressing_a_home_button_changes_nothing(h: Harness) -> None:
    h.cmd("alice", "/intro @bob @carol data careers")
    ask = item(section(home(h, "bob"), "Intros"), "@alice asks you")
    before = h.snapshot()
    [refusal] = h.press("dan", h.button(ask, "Make the intro"))
    assert "@bob" in plain(refusal.message)
    after = h.snapshot()
    after.pop("requests"), before.pop("requests", None)
    assert after == before


def test_coffee_chats_to_answer_upcoming_and_checked_in(h: Harness) -> None:
    h.cmd("alice", "/coffee @bob tomorrow 3pm career switch")
    waiting = item(section(home(h, "alice"), "Coffee chats"), "Waiting for @bob")
    assert "Wed 2 Dec, 15:00" in plain(waiting)
    invite = item(section(home(h, "bob"), "Coffee chats"), "@alice invited you")
    assert "career switch" in plain(invite)
    assert labels(invite) == ["Accept", "Suggest another time", "Decline"]

    h.press("bob", h.button(invite, "Accept"))
    for user, other in (("alice", "@bob"), ("bob", "@alice")):
        upcoming = item(section(home(h, user), "Coffee chats"), f"Coffee with {other}")
        assert not upcoming.buttons

    h.advance(timedelta(days=1, hours=7, minutes=5))  # Wed 16:05: the check-in is due
    ask = item(section(home(h, "alice"), "Coffee chats"), "Did your chat with @bob")
    assert labels(ask) == ["Yes", "Rescheduled", "Didn't happen"]
    [update] = h.press("alice", h.button(ask, "Yes"))
    assert "In 2 weeks" in labels(update.message)  # the keep-in-touch question follows
    assert "No chats booked" in lines(section(home(h, "alice"), "Coffee chats"))[0]
    # Bob hasn't answered yet: his check-in is still waiting for him.
    assert item(section(home(h, "bob"), "Coffee chats"), "Did your chat with @alice").buttons


def test_a_rescheduled_chat_asks_for_a_new_time(h: Harness) -> None:
    h.cmd("alice", "/coffee @bob tomorrow 3pm")
    h.press("bob", h.button(h.last_to("bob"), "Accept"))
    h.advance(timedelta(days=1, hours=7, minutes=5))
    ask = item(section(home(h, "alice"), "Coffee chats"), "Did your chat with @bob")
    h.press("alice", h.button(ask, "Rescheduled"))
    hint = item(section(home(h, "alice"), "Coffee chats"), "Pick a new time with @bob")
    assert "/coffee suggest" not in plain(hint)  # a button, not a command to type
    (form,) = h.press("alice", h.button(hint, "Pick a new time"))
    h.submit("alice", form, {"when": "fri 3pm"})
    assert "Accept" in labels(h.last_to("bob"))


def test_follow_ups_upcoming_then_due_with_the_reminder_buttons(h: Harness) -> None:
    h.cmd("alice", "/followup @bob in 2 weeks ask about the new team")
    nxt = item(section(home(h, "alice"), "Follow-ups"), "@bob: next reminder")
    assert "Tue 15 Dec" in plain(nxt) and "“ask about the new team”" in plain(nxt)
    assert not nxt.buttons

    h.advance(timedelta(days=14, hours=1))
    due = item(section(home(h, "alice"), "Follow-ups"), "Time to get back in touch with @bob")
    assert labels(due) == ["Done", "Snooze a week", "Stop reminding me about this"]
    [update] = h.press("alice", h.button(due, "Done"))
    assert "Nice work" in plain(update.message)
    assert "No follow-ups yet" in lines(section(home(h, "alice"), "Follow-ups"))[0]


def test_other_features_reminders_wait_in_the_follow_ups(h: Harness) -> None:
    h.cmd("alice", '/intro @bob "someone on the data team at Acme" data careers')
    h.press("bob", h.button(h.last_to("bob"), "Make the intro"))  # made outside
    h.advance(timedelta(days=2, hours=1))  # the thank-you nudge
    thank = [m for m in section(home(h, "alice"), "Follow-ups").items if m.buttons]
    assert thank and "@bob" in plain(thank[0])
    assert "Done" in labels(thank[0])


def test_roulette_in_out_paused_and_matched(h: Harness) -> None:
    assert all(to_plain(s.title) != "Coffee roulette" for s in home(h, "alice").sections)
    h.cmd("you", "/coffee roulette enable #coffee every week size 2")
    h.cmd("alice", "/coffee roulette join")
    h.cmd("carol", "/coffee roulette join")
    assert (
        "you're in. Next round: Wed 2 Dec" in lines(section(home(h, "alice"), "Coffee roulette"))[0]
    )
    assert "you haven't joined" in lines(section(home(h, "bob"), "Coffee roulette"))[0]

    h.advance(timedelta(days=1, hours=1, minutes=1))  # the first round
    matched = item(section(home(h, "alice"), "Coffee roulette"), "matched with @carol")
    assert labels(matched) == ["We met", "Not yet", "Can't this round"]
    h.press("alice", h.button(matched, "We met"))
    assert item(section(home(h, "carol"), "Coffee roulette"), "you met @alice")

    h.cmd("carol", "/coffee roulette pause")
    paused = item(section(home(h, "carol"), "Coffee roulette"), "you're paused")
    assert labels(paused) == ["Rejoin roulette"]
    h.press("carol", h.button(paused, "Rejoin roulette"))
    assert item(section(home(h, "carol"), "Coffee roulette"), "you're in")


def test_a_repeated_request_replays_the_same_home(h: Harness) -> None:
    h.cmd("alice", "/intro @bob @carol data careers")
    inv = CommandInvocation(COMMUNITY, "bob", "rapport", ("home",), request_id="same")
    first = h.core.handle_command(inv)
    h.cmd("alice", "/coffee @bob tomorrow 3pm")
    again = h.core.handle_command(inv)
    assert again == first and isinstance(again[0], HomeView)


# -- limits ---------------------------------------------------------------------------------------


def crowd(h: Harness, n: int = 200) -> None:
    """``n`` intro requests waiting for bob, from as many members, with long reasons."""
    now = h.clock.now()
    for i in range(n):
        intro = flow.create(
            h.store,
            COMMUNITY,
            requester=f"member{i}",
            connector="bob",
            target="carol",
            target_text=None,
            reason=f"reason {i} " + "because " * 80,
            at=now + timedelta(seconds=i),
        )
        flow.transition(h.store, intro, flow.ASKED_CONNECTOR, by=f"member{i}", at=now)


def test_two_hundred_open_items_are_cut_with_and_n_more(h: Harness) -> None:
    crowd(h)
    intros = section(home(h, "bob"), "Intros")
    assert len(intros.items) == HOME_SECTION_ITEMS
    assert intros.more == 200 - HOME_SECTION_ITEMS
    assert "/intro list" in to_plain(intros.footer)
    assert all(len(plain(m)) < 400 for m in intros.items)  # long reasons are clipped
    assert "@member0 asks you" in plain(intros.items[0])  # oldest first


def test_slack_views_stay_within_their_block_limits(h: Harness) -> None:
    crowd(h)
    h.cmd("bob", "/followup @alice in 2 weeks")
    tab = home_view(h.core, COMMUNITY, "bob")
    assert tab["type"] == "home" and len(tab["blocks"]) <= SLACK_HOME_BLOCKS
    text = str(tab["blocks"])
    assert f"…and {200 - HOME_SECTION_ITEMS} more" in text and "Your settings" in text
    ephemeral = home_message(home(h, "bob"))
    assert len(ephemeral["blocks"]) <= SLACK_MESSAGE_BLOCKS
    assert f"…and {200 - HOME_SECTION_ITEMS} more" in str(ephemeral["blocks"])
    for block in tab["blocks"] + ephemeral["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= SLACK_SECTION_CHARS
        if block["type"] == "actions":
            assert len(block["elements"]) <= 25


def test_slack_cuts_a_view_that_would_not_fit_and_counts_what_it_cut() -> None:
    many = tuple(Message(fmt("item {n}", n=i), (Button("x.y", "Go", str(i)),)) for i in range(40))
    view = HomeView("U1", (HomeSection(fmt("A"), many), HomeSection(fmt("B"), many[:3])), fmt("hi"))
    blocks = home_message(view)["blocks"]
    assert len(blocks) <= SLACK_MESSAGE_BLOCKS
    shown = sum(1 for b in blocks if b["type"] == "actions")
    assert f"…and {43 - shown} more" in str(blocks)


def test_discord_and_console_messages_stay_within_discord_limits(h: Harness) -> None:
    crowd(h)
    view = home(h, "bob")
    replies = home_replies(view)
    for reply in replies:
        assert len(to_markdown(reply.message.text)) <= DISCORD_CONTENT_CHARS
        assert len(reply.message.buttons) <= DISCORD_BUTTONS
        rendered = render_message(reply.message, COMMUNITY, h.store)
        assert rendered.content is not None and rendered.embed is None
    text = "\n".join(plain(r.message) for r in replies)
    assert "…and" in text and "more" in text
    # Buttons say which line they belong to.
    first = replies[0].message.buttons[0]
    assert first.label == "1 · Make the intro" and first.action == "intro.make"


def test_home_messages_pack_sections_and_cut_to_any_limit() -> None:
    items = tuple(
        Message(fmt("line {n} " + "x" * 50, n=i), (Button("a.b", "Yes", str(i)),))
        for i in range(30)
    )
    view = HomeView("u", (HomeSection(fmt("One"), items), HomeSection(fmt("Two"), items[:2])))
    for chars, buttons in ((300, 5), (2000, 25), (700, 3)):
        messages = home_messages(view, max_chars=chars, max_buttons=buttons, max_label=80)
        assert all(len(m.plain()) <= chars and len(m.buttons) <= buttons for m in messages)
        shown = sum(len(m.buttons) for m in messages)
        cut = sum(int(n) for m in messages for n in re.findall(r"…and (\d+) more", m.plain()))
        assert shown < 32 and shown + cut == 32  # what didn't fit is counted, not lost


def test_small_helpers() -> None:
    assert take([1, 2, 3], 2) == ([1, 2], 1) and take([1], 5) == ([1], 0)
    assert clip("word " * 100, 20).endswith("…") and len(clip("word " * 100, 20)) <= 20
    assert clip("  short   text ") == "short text"
    one = HomeView("u", (HomeSection(fmt("A"), (Message(fmt("a")),) * 5),))
    fitted = fit_home(one, 3, lambda v: sum(len(s.items) for s in v.sections))
    assert len(fitted.sections[0].items) == 3 and fitted.sections[0].more == 2
    assert HomeView.from_data(one.to_data()) == one


def test_settings_change_from_the_home_tab_through_a_form(h: Harness) -> None:
    from bot.io import Form, HomeOpened

    view = h.core.handle_home(HomeOpened(COMMUNITY, "alice"))
    assert view is not None
    (section,) = [s for s in view.sections if to_plain(s.title) == "Your settings"]
    (button,) = section.items[0].buttons
    (form,) = h.press("alice", button)
    assert isinstance(form, Form) and [f.name for f in form.fields] == [
        "zone",
        "quiet",
        "weekends",
        "dates",
    ]
    (again,) = h.submit("alice", form, {"zone": "Mars/Olympus", "quiet": "10-7"})
    assert isinstance(again, Form) and set(again.errors) == {"zone", "quiet"}
    assert h.core.context(COMMUNITY, "alice").settings().tz is None  # nothing saved
    out = h.submit(
        "alice", form, {"zone": "EST", "quiet": "10pm-7am", "weekends": "off", "dates": "dmy"}
    )
    mine = h.core.context(COMMUNITY, "alice").settings()
    assert (mine.tz, mine.quiet, mine.quiet_weekends, mine.date_order) == (
        "America/New_York",
        "22:00-07:00",
        False,
        "DMY",
    )
    assert "Saved" in plain(out[0].message)
