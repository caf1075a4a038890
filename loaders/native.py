"""The clustering of ``loaders.identity`` in Rust (``native/``), for the blocks that hold no known people.

A load into an empty graph (the bulk path's first load, the sample) clusters millions of
name-only bylines, at about 35 µs a byline in Python; ``native/src/lib.rs`` applies the same
rules, in the same order, to integer columns (about 4 µs, and on every core). ``identity._cluster`` stays the
specification and the fallback: blocks with people already in the graph (known ids,
stored splits, seats) always go through it, and everything does when the library is not
built (no ``cargo`` on the machine) or ``PEERGRAPH_NATIVE=0``. tests/test_native.py checks
that both give the same people on real and synthetic loads.

The library is built by ``make`` (``cargo build --release --offline``: the crate has no
dependencies) into ``native/target/release/``; ``PEERGRAPH_NATIVE_LIB`` names another file.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

import numpy as np

from loaders import identity
from loaders.identity import GivenName, Mention

LIBRARY = Path(__file__).resolve().parent.parent / "native" / "target" / "release" / "libpeergraph_native.so"
NO_YEAR = -(2**31)

_I32 = np.ctypeslib.ndpointer(dtype=np.int32, flags="C_CONTIGUOUS")
_I64 = np.ctypeslib.ndpointer(dtype=np.int64, flags="C_CONTIGUOUS")
_U8 = np.ctypeslib.ndpointer(dtype=np.uint8, flags="C_CONTIGUOUS")
_F64 = np.ctypeslib.ndpointer(dtype=np.float64, flags="C_CONTIGUOUS")
_SIZE = ctypes.c_size_t


def library_path() -> Path:
    """The shared library this process would load."""
    return Path(os.environ.get("PEERGRAPH_NATIVE_LIB") or LIBRARY)


@lru_cache(maxsize=4)
def _load(path: Path) -> Any:
    lib = ctypes.CDLL(str(path))
    fn = lib.pg_people
    fn.restype = ctypes.c_int64
    fn.argtypes = [_SIZE, _I32, _U8, _SIZE, _I32, _I32, _I64, _I64, _I32, _I32, _I32, _I32,
                   _I64, _I32, _I64, _I32, _I64, _I32, _I64, _I32, _SIZE, _I32, _F64, _SIZE, _I32, _I32, _I32, _SIZE]
    return fn


def available() -> bool:
    """Whether the blocks without known people are clustered by the library (built, and not switched off)."""
    if os.environ.get("PEERGRAPH_NATIVE", "1") == "0":
        return False
    path = library_path()
    if not path.is_file():
        return False
    try:
        _load(path)
    except OSError:
        return False
    return True


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _params() -> np.ndarray:
    """``identity``'s constants at this moment (a benchmark may have set some), in ``Params::from``'s order."""
    i = identity
    head = [i.THRESHOLD, i.INITIALS_THRESHOLD, i.INITIALS_MARGIN, i.LONE_NAME_BONUS, i.COMMON_DIVERSITY,
            i.COMMON_EXTRA, i.MAX_ROUNDS, i.SOLE_BONUS, i.SPAN_BONUS, i.SPAN_SLACK, i.WORDS_BONUS, i.RARE_BONUS,
            i.NAME_WORDS_BONUS, i.MAX_POSTING]
    return np.array([*head, *i.NAME_BONUS], dtype=np.float64)


def ranks(values: Iterable[str | None]) -> dict[str | None, int]:
    """Each distinct string's rank in sorted order (comparing ranks orders as comparing the strings does); None
    and "" (no value, as ``identity`` reads them) are -1."""
    distinct = sorted(x for x in dict.fromkeys(values) if x)
    out: dict[str | None, int] = {x: i for i, x in enumerate(distinct)}
    out[None] = out[""] = -1
    return out


def _column(values: Iterable[Any], dtype: type) -> np.ndarray:
    return np.fromiter(values, dtype=dtype)


def _sets(sets: list[frozenset[str]], code: dict[str | None, int]) -> tuple[np.ndarray, np.ndarray]:
    """CSR columns of a set per mention: offsets (n + 1) and the values' codes."""
    offsets = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, sets), dtype=np.int64, count=len(sets)), out=offsets[1:])
    values = _column(map(code.__getitem__, chain.from_iterable(sets)), np.int32)
    return offsets, values


_FIELDS = ("block", "paper", "position", "ref", "record", "given", "orcid", "venue", "year", "coauthors",
           "institutions", "topics", "words")


def _names(given: Sequence[GivenName]) -> tuple[dict[int, int], list[GivenName]]:
    """The distinct given names (by equality) and, for each name object (by ``id``: equal names are often one
    object, and hashing a ``GivenName`` is a Python call), the index of its name."""
    objects = dict(zip(map(id, given), given, strict=True))
    index: dict[GivenName, int] = {}
    name_of = {key: index.setdefault(name, len(index)) for key, name in objects.items()}
    return name_of, list(index)


def people(mentions: Sequence[Mention], rare: frozenset[str] = frozenset(),
           common: frozenset[str] = frozenset(), threads: int | None = None) -> dict[int, str]:
    """Mention ref -> the id of its person, for mentions whose blocks hold no known people: what
    ``people.assign_people`` gives them (``rare``, ``common``: the load's ``Context``). The blocks are clustered on
    ``threads`` threads (default: the cores this process may use); the answer is the same on any number.

    Written for speed: one pass over the mentions per field, in the order given (a load's
    mentions lie in memory in the order they were made; a pass in block order costs a cache
    miss a field), and the strings numbered by C-level passes (``dict.fromkeys``, ``map``
    of a dict's ``__getitem__``), not a Python call per string: a byline has some 10-50.
    """
    ms = mentions
    block, paper, position, ref, record, given, orcid, venue, year, coauthors, institutions, topics, words = (
        list(map(attrgetter(name), ms)) for name in _FIELDS)
    if common:  # one set per paper, shared by its bylines: each distinct one filtered once
        kept = {w: w - common for w in dict.fromkeys(words)}
        words = list(map(kept.__getitem__, words))
    blocks = sorted(dict.fromkeys(block))
    block_of = {b: k for k, b in enumerate(blocks)}
    plain = ranks(chain(chain.from_iterable(topics), chain.from_iterable(words), venue))
    name_of, givens = _names(given)
    for name in givens:
        for token in name.tokens[:2]:
            plain.setdefault(token, len(plain))
    fulls = ranks(name.full for name in givens)
    columns = np.array([name_columns(name, plain, fulls) for name in givens], dtype=np.int32).reshape(-1, 8)
    papers, orcids = ranks(paper), ranks(orcid)
    co_off, co_val = _sets(coauthors, ranks(chain.from_iterable(coauthors)))
    inst_off, inst_val = _sets(institutions, ranks(chain.from_iterable(institutions)))
    topic_off, topic_val = _sets(topics, plain)
    word_off, word_val = _sets(words, plain)
    count, person, person_block, lead = cluster(
        blocks, rare, _column(map(block_of.__getitem__, block), np.int32),
        _column(map(papers.__getitem__, paper), np.int32), np.array(position, dtype=np.int32),
        np.array(ref, dtype=np.int64), np.array(record, dtype=np.int64),
        _column(map(name_of.__getitem__, map(id, given)), np.int32), _column(map(orcids.__getitem__, orcid), np.int32),
        _column(map(plain.__getitem__, venue), np.int32),
        np.array([NO_YEAR if y is None else y for y in year], dtype=np.int32),
        (co_off, co_val), (inst_off, inst_val), (topic_off, topic_val), (word_off, word_val), columns, threads)
    ids = person_ids(blocks, person_block[:count], lead[:count], orcid.__getitem__)
    return dict(zip(ref, map(ids.__getitem__, person.tolist()), strict=True))


def cluster(blocks: Sequence[str], rare: frozenset[str], block: np.ndarray, paper: np.ndarray,
            position: np.ndarray, ref: np.ndarray, record: np.ndarray, name: np.ndarray, orcid: np.ndarray,
            venue: np.ndarray, year: np.ndarray, coauthors: tuple[np.ndarray, np.ndarray],
            institutions: tuple[np.ndarray, np.ndarray], topics: tuple[np.ndarray, np.ndarray],
            words: tuple[np.ndarray, np.ndarray], names: np.ndarray, threads: int | None
            ) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """The library's clustering of mentions given as columns (``lib.rs``'s ``pg_people``): ``blocks`` sorted,
    ``block`` the index of each mention's; the strings as ranks; the sets as CSR (offsets, values); ``names`` the
    given names' columns (``name_columns``). The people's count, each mention's person, and per person its block
    and leading ORCID mention (-1: none)."""
    n = len(block)
    person = np.full(n, -1, dtype=np.int32)
    person_block = np.full(n, -1, dtype=np.int32)
    lead = np.full(n, -1, dtype=np.int32)
    params = _params()
    count = _load(library_path())(
        len(blocks), block, np.array([1 if b in rare else 0 for b in blocks], dtype=np.uint8), n,
        paper, position, ref, record, name, orcid, venue, year, *coauthors, *institutions, *topics, *words,
        len(names), np.ascontiguousarray(names), params, len(params), person, person_block, lead,
        cores() if threads is None else threads)
    if count < 0 or (n and person.min() < 0):
        raise RuntimeError(f"the native clustering failed (answer {count}): rebuild it with `make` or set "
                           "PEERGRAPH_NATIVE=0")
    return int(count), person, person_block, lead


def person_ids(blocks: Sequence[str], person_block: np.ndarray, lead: np.ndarray,
               orcid_of: Callable[[int], str]) -> list[str]:
    """The ids of the library's people (block index and leading ORCID mention of each, in its order) as
    ``assign_people`` gives them to a block's new people, in that order: ``orcid:<ORCID>`` for one with an ORCID
    (``orcid_of``: the ORCID of a mention, by index), else the block key, then ``<block>~2``, ``~3`` ...
    (``identity.new_id`` with nothing taken before)."""
    ids: list[str] = []
    given_in: dict[int, int] = {}
    for b, first in zip(person_block.tolist(), lead.tolist(), strict=True):
        if first >= 0:
            ids.append(f"orcid:{orcid_of(first)}")
            continue
        k = given_in.get(b, 0)
        given_in[b] = k + 1
        ids.append(blocks[b] if k == 0 else f"{blocks[b]}~{k + 1}")
    return ids


def name_columns(given: GivenName, plain: dict[str | None, int], fulls: dict[str | None, int]) -> list[int]:
    """A ``GivenName`` as ``lib.rs``'s 8 columns."""
    tokens = given.tokens
    if not tokens:
        return [1, 0, -1, -1, -1, -1, 0, 1]
    first = tokens[0]
    full = fulls[given.full]
    if len(tokens) > 1:
        mid = tokens[1]
        middle = [ord(mid[0]), plain[mid], 1 if len(mid) > 1 else 0]
    else:
        middle = [-1, -1, 0]
    return [0, ord(first[0]), plain[first], full, *middle, 1 if given.initials_only else 0]
