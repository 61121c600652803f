"""The one place that hides database passwords, for everything shown or logged.

A PostgreSQL address carries the password (``postgresql://user:PASSWORD@host/db``); it reaches
the program by ``--db``, ``THEODOI_DB`` or the choice in Cài đặt, and would otherwise end up in
the log (the start line's arguments, "cannot open …"), in messages, titles and tracebacks.

- :func:`hide_password` — one database address (well formed or not) for a title or a message.
- :func:`redact_text` — any text that may contain addresses (a log line, an exception's text).
- :class:`RedactingFormatter` — the log formatter: every line written to ``nhat-ky/`` goes
  through :func:`redact_text`, tracebacks included.

Qt-free and SQLAlchemy-free (used before either is loaded).
"""

from __future__ import annotations

import logging
import re

MASK = "***"

# user:password@ inside any text, with or without a (possibly malformed) scheme in front. The
# password runs to the LAST "@" of the word, so an unencoded "@" in it is hidden too.
_USERINFO = re.compile(
    r"(?P<scheme>[A-Za-z][\w+.-]*:/?/|[A-Za-z][\w+.-]*//)?"
    r"(?P<user>[^\s:/@'\"«»()\[\],;]+):(?!//)(?P<password>[^\s'\"«»]*)@(?=[^\s@'\"«»]*)"
)
_QUERY_PASSWORD = re.compile(r"(?i)(?P<key>\bpassword=)(?P<value>[^&\s'\"«»]*)")


def hide_password(location: str) -> str:
    """A database address without its password (``***`` in its place); a file path unchanged."""
    text = str(location)
    if "@" not in text and "password=" not in text.lower():
        return text
    at = text.rfind("@")
    if at > 0:
        start = text.find("://")
        start = start + 3 if start >= 0 else (text.find("//") + 2 if "//" in text[:at] else 0)
        userinfo = text[start:at]
        if ":" in userinfo:
            user = userinfo.split(":", 1)[0]
            text = f"{text[:start]}{user}:{MASK}{text[at:]}"
    return _QUERY_PASSWORD.sub(lambda m: m.group("key") + MASK, text)


def redact_text(text: str) -> str:
    """``text`` with every password of an address in it replaced by ``***``."""
    if not text or ("@" not in text and "password=" not in text.lower()):
        return text
    text = _USERINFO.sub(lambda m: f"{m.group('scheme') or ''}{m.group('user')}:{MASK}@", text)
    return _QUERY_PASSWORD.sub(lambda m: m.group("key") + MASK, text)


class RedactingFormatter(logging.Formatter):
    """A log formatter that never writes a password (message, arguments and traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_text(super().format(record))
