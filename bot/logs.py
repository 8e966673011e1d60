"""Logging setup: human-readable lines by default, JSON lines with
``RAPPORT_LOG_FORMAT=json`` (one object per line: time, level, logger, message, and
``error_id``, ``platform``, ``family`` when the call gave them as ``extra``).

A small ``Formatter`` rather than python-json-logger: a dozen lines, no dependency.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

FIELDS = ("error_id", "platform", "family")
HUMAN = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                out[name] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the moment of writing (not at start-up),
    so a line logged late by a background thread never lands in a closed stream."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def setup(level: str, form: str = "text") -> None:
    """Configure the root logger once (``form``: ``text`` or ``json``)."""
    handler = _Stderr()
    if form == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(HUMAN))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
