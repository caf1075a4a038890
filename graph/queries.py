"""Every query the app runs is a file in ``cypher/``; this module loads them by name.

A query's name is its path below ``cypher/`` without ``.cypher``
(``author_full_profile``, ``analyst/top_collaborators``). Each file starts with a
``//`` comment saying what it answers, its parameters and its columns.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import LiteralString, cast

CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"


class UnknownQuery(KeyError):
    """No file in cypher/ has that name."""


@cache
def query(name: str) -> LiteralString:
    """The text of query ``name`` (cached: the files are read once per process)."""
    path = (CYPHER_DIR / f"{name}.cypher").resolve()
    if CYPHER_DIR not in path.parents or not path.is_file():
        raise UnknownQuery(name)
    # The files are part of the code base, not user input: treat them as literals.
    return cast(LiteralString, path.read_text(encoding="utf-8"))


def header(name: str) -> str:
    """The leading ``//`` comment of a query, without the slashes."""
    lines = []
    for line in query(name).splitlines():
        if not line.startswith("//"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines)


def names(folder: str = "") -> list[str]:
    """All query names (below ``folder`` when given), sorted."""
    base = CYPHER_DIR / folder
    return sorted(str(p.relative_to(CYPHER_DIR).with_suffix("")) for p in base.rglob("*.cypher"))


def statements(name: str) -> list[LiteralString]:
    """The ``;``-separated statements of a DDL file (only ``schema`` has more than one)."""
    body = "\n".join(line for line in query(name).splitlines() if not line.lstrip().startswith("//"))
    return [cast(LiteralString, s.strip()) for s in body.split(";") if s.strip()]
