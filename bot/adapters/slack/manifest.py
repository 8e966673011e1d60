"""The Slack app manifest, generated from the command families.

``python -m bot.adapters.slack.manifest > slack/manifest.yml`` writes the Socket
Mode manifest shipped in the repository (a test keeps it in sync);
``--url https://your.host/slack/events`` prints one for HTTP mode instead.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import yaml

from bot.registry import Family, discover

BOT_SCOPES = [
    "chat:write",  # replies, DMs, posts
    "chat:write.public",  # post in public channels without being invited first
    "commands",  # slash commands
    "files:write",  # calendar invites (.ics) in DMs
    "im:write",  # open a DM (conversations.open)
    "mpim:write",  # open a group DM for an intro or a coffee pair
    "users:read",  # names, profile time zones, admins (users.info)
]
DESCRIPTION = "Warm intros, coffee chats and follow-ups: grow your career through people."
LONG_DESCRIPTION = (
    "rapport helps members of a community find jobs and grow their careers through "
    "relationships instead of cold applications. Ask a friend for a warm intro with "
    "double opt-in, book coffee chats across time zones, get gentle reminders to follow "
    "up and keep in touch, and share tips and wins with everyone. Type /rapport help to start."
)
HINT_LIMIT = 120  # Slack allows 1000, but the hint is shown on one line
DESCRIPTION_LIMIT = 100


def usage_hint(family: Family) -> str:
    """The arguments of each form, without the command: ``@friend @person <why> · list``."""
    forms = []
    for sub in family.subs:
        form = sub.usage.removeprefix(f"/{family.name}").strip()
        if form and not sub.admin:
            forms.append(form)
    while len(forms) > 1 and len(" · ".join(forms)) > HINT_LIMIT:
        forms = [*forms[:-2], "…"] if forms[-1] == "…" else [*forms[:-1], "…"]
    return " · ".join(forms)[:1000]


def build_manifest(families: dict[str, Family], *, url: str | None = None) -> dict[str, Any]:
    """The manifest: every family as a slash command, Socket Mode unless ``url`` is given."""
    commands = []
    for family in families.values():
        command: dict[str, Any] = {
            "command": f"/{family.name}",
            "description": family.summary[:DESCRIPTION_LIMIT],
            "usage_hint": usage_hint(family),
            "should_escape": True,
        }
        if url:
            command["url"] = url
        commands.append(command)
    interactivity: dict[str, Any] = {"is_enabled": True}
    events: dict[str, Any] = {"bot_events": ["app_home_opened"]}
    if url:
        interactivity["request_url"] = url
        events["request_url"] = url
    return {
        "display_information": {
            "name": "rapport",
            "description": DESCRIPTION,
            "long_description": LONG_DESCRIPTION,
            "background_color": "#2f4f4f",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": "rapport", "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": BOT_SCOPES}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": url is None,
            "token_rotation_enabled": False,
        },
    }


HEADER = "# rapport's Slack app manifest — generated from the command families by\n"
SOCKET_HEADER = (
    "#   python -m bot.adapters.slack.manifest > slack/manifest.yml\n"
    "# Socket Mode (no public URL needed). For HTTP mode, print one with\n"
    "#   python -m bot.adapters.slack.manifest --url https://your.host/slack/events\n"
)
HTTP_HEADER = (
    "#   python -m bot.adapters.slack.manifest --url {url}\n"
    "# HTTP mode: Slack sends commands and events to {url}.\n"
)


def dump(manifest: dict[str, Any]) -> str:
    url = manifest["settings"].get("event_subscriptions", {}).get("request_url")
    mode = HTTP_HEADER.format(url=url) if url else SOCKET_HEADER
    return HEADER + mode + yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="HTTP mode: the public URL of /slack/events")
    args = parser.parse_args(argv)
    sys.stdout.write(dump(build_manifest(discover(), url=args.url)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
