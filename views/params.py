"""The explorer's ``types`` and ``caps`` parameters, read one way for the API and the pages.

The API is strict (a bad value is a 400 saying what was wrong, and the patterns
below go into its OpenAPI document, so the check and the documentation agree);
the pages are lenient (a hand-edited permalink falls back to the defaults part
by part rather than showing an error).
"""

from __future__ import annotations

import re

from graph.neighbourhood import DEFAULT_CAPS, MAX_CAP, NODE_TYPES, clean_caps

# What str.strip() removes (str.isspace), spelled out for the patterns in the OpenAPI document: \s means
# other characters in Python than in the ECMA-style regexes of JSON Schema validators (\x1c-\x1f, \x85, \ufeff).
SPACE = r"[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
NOT_BLANK = r"[^\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"

_TYPE = "(" + "|".join(NODE_TYPES) + ")"
_S = SPACE[:-1] + ",]"  # a blank or a comma
TYPES_PATTERN = rf"^{_S}*{_TYPE}({SPACE}*,{_S}*{_TYPE})*{_S}*$"
_CAP_VALUE = "100|[1-9]?[0-9]"  # 0..MAX_CAP
_CAP = rf"{SPACE}*{_TYPE}{SPACE}*:{SPACE}*({_CAP_VALUE}){SPACE}*"
CAPS_PATTERN = rf"^{SPACE}*({_CAP})?(,({_CAP})?)*$"
if MAX_CAP != 100:  # pragma: no cover - a reminder for whoever changes the maximum
    raise RuntimeError("_CAP_VALUE spells out 0..MAX_CAP: change it with MAX_CAP")


def parse_types(raw: str | None, *, strict: bool = True) -> list[str]:
    """Node types from ``"author,paper"``; absent or blank means all of them.

    Strict: anything else is a ValueError saying what was wrong. Lenient: unknown names are skipped.
    """
    if raw is None or not raw.strip():
        return list(NODE_TYPES)
    if strict:
        if not re.fullmatch(TYPES_PATTERN, raw):
            raise ValueError(f"'types' must be a comma-separated list of {', '.join(NODE_TYPES)}; got {raw!r}")
        return [t.strip() for t in raw.split(",") if t.strip()]
    return [t for t in raw.split(",") if t in NODE_TYPES] or list(NODE_TYPES)


def parse_caps(raw: str | None, *, strict: bool = True) -> dict[str, int]:
    """Per-type caps from ``"paper:25,author:10"``, the defaults filled in for the types not named.

    Strict: a part that is not ``type:0..100`` is a ValueError saying what was wrong. Lenient: such parts are
    skipped and a larger number is cut to the maximum.
    """
    raw = raw or ""
    if not strict:
        caps = dict(DEFAULT_CAPS)
        for part in raw.split(","):
            name, _, value = part.partition(":")
            if name in caps and value.isdigit():
                caps[name] = min(int(value), MAX_CAP)
        return caps
    if not re.fullmatch(CAPS_PATTERN, raw):
        raise ValueError(f"'caps': {_caps_problem(raw)} (e.g. paper:25,author:10); got {raw!r}")
    found: dict[str, int] = {}
    for part in raw.split(","):
        # The pattern's groups, not int() of the text: int() does not take every blank str.strip() does ("\x1e3").
        if match := re.fullmatch(_CAP, part):
            found[match.group(1)] = int(match.group(2))
    return clean_caps(found)


def _caps_problem(raw: str) -> str:
    """What is wrong with a ``caps`` value that does not match its pattern, in words."""
    for part in raw.split(","):
        if not part.strip():
            continue
        name, _, value = (x.strip() for x in part.partition(":"))
        if name not in DEFAULT_CAPS:
            return f"unknown type {name!r}; use {', '.join(DEFAULT_CAPS)}"
        if not re.fullmatch(_CAP_VALUE, value):
            return f"the cap for {name} must be an integer between 0 and {MAX_CAP}, got {value!r}"
    return "each part must be type:number"
