"""The neutral markup keeps user text as text and survives the outbox round trip."""

from bot.markup import Bold, Code, Italic, Mention, Plain, fmt, from_data, join, to_data, to_plain
from bot.messages import Attachment, Button, Message


def test_template_markup_is_parsed_but_values_never_are() -> None:
    text = fmt("*{who}* wrote: {why}", who=Mention("u1"), why="*not bold* <!here> @everyone")
    assert text[0] == Bold((Mention("u1"),))
    assert Plain(" wrote: *not bold* <!here> @everyone") in text


def test_italic_and_code_with_placeholders() -> None:
    text = fmt("_Example:_ `{example}`", example="/intro @a @b")
    assert text == (Italic((Plain("Example:"),)), Plain(" "), Code("/intro @a @b"))


def test_plain_rendering_names_people() -> None:
    text = join(fmt("Hi {u}", u=Mention("U1")), "second line")
    assert to_plain(text, lambda u: "alice") == "Hi @alice\nsecond line"


def test_message_round_trips_through_data() -> None:
    message = Message(
        fmt("*{a}* and _b_ `c` {m}", a="x", m=Mention("u")),
        (Button("intro.make", "Make the intro", "abc", "primary"),),
        (Attachment("chat.ics", "BEGIN:VCALENDAR", "text/calendar"),),
    )
    assert Message.from_data(message.to_data()) == message
    assert from_data(to_data(message.text)) == message.text
