"""Bounded JSON parsing: a body too large or nested too deep is refused before the parser sees it.

Python's json module recurses once per nesting level, so 3,000 `[` raise RecursionError (a 500, not a
ValueError); and a client can send as much as MAX_CONTENT_LENGTH. Every JSON text that comes from outside
(API bodies, a document draft posted by its page) goes through `loads` here."""
from __future__ import annotations

import json
import re
from typing import Any

#: deep enough for any body the API or a draft legitimately carries (a draft's list of rows is depth 4)
MAX_DEPTH = 20
#: 1 MB: the largest draft (200,000 characters of text, 3 bytes each in UTF-8 at most) fits with room
MAX_BYTES = 1024 * 1024

#: escapes first, then strings (brackets inside them do not nest): two linear passes, no backtracking
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_BRACKET = re.compile(r"[\[\]{}]")


class JSONRejected(ValueError):
    """Not acceptable JSON; `reason` is a short code (too_large, too_deep, malformed) for the 4xx answer."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting of `text`, strings excluded (linear, no recursion)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', _ESCAPE.sub("", text))):
        depth += 1 if match.group(0) in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH, max_bytes: int = MAX_BYTES) -> Any:
    """json.loads with a size and a depth limit; JSONRejected (a ValueError) for anything unacceptable."""
    if len(text) > max_bytes:
        raise JSONRejected("too_large", f"JSON text larger than {max_bytes} bytes")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise JSONRejected("malformed", "JSON text is not UTF-8") from None
    if nesting_depth(text) > max_depth:
        raise JSONRejected("too_deep", f"JSON nested deeper than {max_depth} levels")
    try:
        # NaN and Infinity are not JSON (RFC 8259) and break PostgreSQL's JSON columns
        return json.loads(text, parse_constant=_refuse_constant)
    except JSONRejected:
        raise
    except (ValueError, RecursionError) as exc:
        raise JSONRejected("malformed", f"not valid JSON: {exc}") from None


def _refuse_constant(name: str):
    raise JSONRejected("malformed", f"{name} is not JSON")
