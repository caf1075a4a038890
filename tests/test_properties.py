"""Property-based tests (hypothesis): no input crashes a parser, a line reader or the name normaliser.

A record parser returns a ``Work`` or raises ``BadRecord`` (the reason goes to the rejects file);
anything else would stop a load on one bad line. The readers turn any bytes into items (an error
item for a bad line) and raise nothing but ``FileError`` for a file they cannot read at all. The
name normaliser keeps its promises on generated names: the key survives a second pass, and case,
accents, TeX accents and "Last, First" order do not change it.
"""

from __future__ import annotations

import gzip
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from loaders import SOURCES, arxiv, openalex, paperscape, works
from loaders.model import BadRecord, Work
from loaders.names import fold, parse_name, parsed_name, split_authors
from loaders.reader import FileError, Source, json_items, openalex_items, text_items

# No example database: the suite leaves no .hypothesis folder behind; a failure prints its input.
SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# -- strategies ------------------------------------------------------------------------------------
scalars = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | st.text()
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


def records(keys: list[str], plausible: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts with (some of) the right keys, each holding a plausible value or any JSON value at all."""
    values = {k: (plausible[k] | json_values) if k in plausible else json_values for k in keys}
    return st.fixed_dictionaries({}, optional=values)


# Digits of any script ("²", "١٩٩٩"): str.isdigit() and \\d say yes, int() and the identifiers do not all agree.
digits = st.text(alphabet=st.sampled_from("0123456789²³¹⁰⁴①٠١٢٣٤٥٦٧٨٩०१२३४५६७८९𝟎𝟗"), min_size=1, max_size=8)
names = st.text(alphabet=st.characters(categories=("L", "Zs", "Pd", "Po", "Mn")), max_size=40)
dates = st.dates().map(str) | st.text(max_size=12) | digits | st.dates().map(lambda d: f"{d}T00:00:00Z")
arxiv_ids = st.sampled_from(["0704.0001", "hep-th/9108001", "arXiv:2101.00001v2", "math.AG/0001001", "1234.5"]) \
    | st.text(max_size=15) | st.tuples(digits, digits).map(".".join)

ARXIV = records(
    ["id", "title", "authors", "authors_parsed", "categories", "doi", "abstract", "journal-ref", "versions",
     "update_date"],
    {"id": arxiv_ids, "title": st.text(), "authors": names,
     "authors_parsed": st.lists(st.lists(names, max_size=4), max_size=4),
     "categories": st.sampled_from(["hep-th", "cs.LG stat.ML", "math.AG, math.NT", "bogus!"]) | st.text(),
     "doi": st.sampled_from(["10.1000/xyz", "https://doi.org/10.1/2", "doi: 10.1234/ab"]) | st.text(),
     "versions": st.lists(st.fixed_dictionaries({}, optional={"created": st.sampled_from(
         ["Mon, 2 Apr 2007 19:18:42 GMT", "Tue, 31 Feb 2007 00:00:00 GMT", ""]) | st.text() | json_values}),
         max_size=3),
     "update_date": dates})

_authorship = st.fixed_dictionaries({}, optional={
    "author": json_values | st.fixed_dictionaries({}, optional={
        "id": st.sampled_from(["https://openalex.org/A123", "A1", "W1", "https://openalex.org/"]) | json_values,
        "display_name": names | json_values, "orcid": st.text() | json_values}),
    "raw_author_name": names | json_values,
    "institutions": st.lists(json_values | st.fixed_dictionaries({}, optional={
        "id": st.sampled_from(["https://openalex.org/I1", "I2", "bad id"]) | json_values,
        "display_name": json_values, "ror": json_values, "country_code": json_values, "type": json_values}),
        max_size=3) | json_values,
})
_topic = st.fixed_dictionaries({}, optional={
    "id": st.sampled_from(["https://openalex.org/T1", "T2", "nope"]) | json_values,
    "display_name": json_values, "score": json_values,
    **{level: json_values | st.fixed_dictionaries({}, optional={
        "id": st.sampled_from(["https://openalex.org/fields/17", "https://openalex.org/domains/3"]) | json_values,
        "display_name": json_values}) for level in ("domain", "field", "subfield")},
})
OPENALEX = records(
    ["id", "title", "display_name", "publication_date", "publication_year", "ids", "authorships", "doi",
     "referenced_works", "abstract_inverted_index", "primary_location", "host_venue", "type", "cited_by_count",
     "is_authors_truncated", "topics"],
    {"id": st.sampled_from(["https://openalex.org/W1", "W2", "A3", "https://openalex.org/"]) | st.text(),
     "title": st.text(), "publication_date": dates, "publication_year": st.integers() | digits,
     "ids": st.fixed_dictionaries({}, optional={"doi": json_values, "arxiv": arxiv_ids | json_values}),
     "authorships": st.lists(_authorship, max_size=4),
     "referenced_works": st.lists(st.sampled_from(["https://openalex.org/W9", "W8"]) | json_values, max_size=3),
     "abstract_inverted_index": st.dictionaries(st.text(max_size=6), st.lists(json_values, max_size=3)
                                                | json_values, max_size=4),
     "primary_location": st.fixed_dictionaries({}, optional={"source": json_values | st.fixed_dictionaries(
         {}, optional={"display_name": json_values})}),
     "host_venue": st.fixed_dictionaries({}, optional={"display_name": json_values}),
     "topics": st.lists(_topic, max_size=3)})

WORKS = records(
    ["title", "authors", "date", "year", "categories", "topics", "venue", "type", "doi", "arxiv_id", "abstract",
     "code_url", "has_code", "cited_by_count", "authors_complete"],
    {"title": st.text(), "date": dates, "year": st.integers() | digits,
     "authors": st.lists(names | st.fixed_dictionaries({}, optional={
         "name": names | json_values, "orcid": st.sampled_from(["0000-0002-1825-0097", "x"]) | json_values,
         "id": json_values, "institution": json_values | st.fixed_dictionaries({}, optional={
             "name": json_values, "ror": json_values, "id": json_values, "country": json_values,
             "type": json_values}), "institutions": st.lists(json_values, max_size=3)}), max_size=4),
     "topics": st.lists(st.sampled_from(["cs.LG", "T123", "openalex:T9"]) | json_values | st.fixed_dictionaries(
         {}, optional={"id": json_values, "name": json_values, "display_name": json_values}), max_size=3),
     "arxiv_id": arxiv_ids, "cited_by_count": st.integers()})

# Paperscape lines: 7 ';'-separated fields (the title may hold more), or anything.
_ps_field = st.text(alphabet=st.characters(exclude_characters=";\r\n"), max_size=20)
PAPERSCAPE = st.text() | st.tuples(arxiv_ids, _ps_field, st.integers(0, 50).map(str) | digits, _ps_field,
                                   st.lists(arxiv_ids, max_size=3).map(",".join), names, st.text()) \
    .map(";".join)


# -- the parsers -------------------------------------------------------------------------------------
def check_work(work: Work) -> None:
    """What the writer relies on in every Work a parser returns."""
    assert isinstance(work, Work)
    assert isinstance(work.title, str) and work.title.strip()
    # A work may name no author (it is a paper all the same); the authors it names are distinct.
    assert len({a.id for a in work.authors}) == len(work.authors)
    for author in work.authors:
        assert isinstance(author.id, str) and author.id and isinstance(author.name, str)
    for name in ("arxiv_id", "doi", "openalex_id", "abstract", "date", "venue", "type", "code_url"):
        assert getattr(work, name) is None or isinstance(getattr(work, name), str), name
    assert work.year is None or (isinstance(work.year, int) and 1000 <= work.year <= 2100)
    assert work.arxiv_id is None or re.fullmatch(r"[0-9]{4}\.[0-9]{4,5}|[a-z-]+(\.[A-Z]{2})?/[0-9]{7}", work.arxiv_id)
    assert work.date is None or re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", work.date)
    assert all(isinstance(c, str) for c in work.categories)
    assert all(isinstance(t.id, str) and isinstance(t.name, str) and isinstance(s, float) for t, s in work.topics)
    assert all(isinstance(c, str) for c in work.cites_arxiv + work.cites_openalex)


def parses_or_rejects(parse: Callable[[Any], Work], value: Any) -> None:
    try:
        work = parse(value)
    except BadRecord as exc:
        assert str(exc), "a reject needs a reason"
        return
    check_work(work)


@SETTINGS
@given(json_values | ARXIV)
@example({"id": "0704.0001", "title": "t", "authors": "A. B", "authors_parsed": [["B", "A", ""]]})
def test_arxiv_parse(record: Any) -> None:
    parses_or_rejects(arxiv.parse, record)


@SETTINGS
@given(json_values | OPENALEX)
@example({"id": "W1", "title": "t", "publication_year": "³", "authorships": []})  # found: int("³") crashed
def test_openalex_parse(record: Any) -> None:
    parses_or_rejects(openalex.parse, record)


@SETTINGS
@given(json_values | WORKS)
@example({"title": "t", "authors": ["A B"], "year": "²"})  # found: "²".isdigit() is true, int("²") fails
@example({"title": "t", "authors": ["A B"], "arxiv_id": "١٢٣٤.١٢٣٤"})  # found: \d took Arabic-Indic digits
def test_works_parse(record: Any) -> None:
    parses_or_rejects(works.parse, record)


@SETTINGS
@given(WORKS, names)
def test_works_parse_with_an_owner(record: dict[str, Any], owner: str) -> None:
    if parse_name(owner) is None:
        return  # not a name: the CLI refuses such an --owner before reading a line
    parses_or_rejects(lambda r: works.parse(r, owner=owner), record)


@SETTINGS
@given(PAPERSCAPE)
@example("hep-th/9108001;hep-th;1;2;hep-th/9108002;A.Author;A title; with a semicolon")
def test_paperscape_parse(line: str) -> None:
    parses_or_rejects(paperscape.parse, line)


def test_a_well_formed_record_of_each_source_parses() -> None:
    """The property tests above would pass with parsers that reject everything: these must load."""
    assert arxiv.parse({"id": "0704.0001", "title": "T", "authors": "C. Bal\\'azs and E. L. Berger"}).arxiv_id \
        == "0704.0001"
    oa = openalex.parse({"id": "https://openalex.org/W1", "title": "T",
                         "authorships": [{"author": {"id": "https://openalex.org/A2", "display_name": "A B"}}]})
    assert [a.id for a in oa.authors] == ["openalex:A2"]
    assert paperscape.parse("hep-th/9108001;hep-th;0;0;;U.M.Heller;T").authors[0].id == "name:heller_u"
    assert works.parse({"title": "T", "authors": ["Mario Geiger"], "year": 2020}).year == 2020


# -- the line readers ----------------------------------------------------------------------------------
def read_all(data: bytes, suffix: str, reader: Callable[[Source], Any]) -> list[Any] | None:
    """Every item ``reader`` yields for a file holding ``data``; None when the whole file is refused
    (FileError, the one failure allowed: UTF-16, not gzip inside)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        try:
            source = Source(path)
        except FileError as exc:
            assert str(exc)
            return None
        try:
            return list(reader(source))
        except FileError as exc:
            assert str(exc)
            return None
        finally:
            source.close()


lines_of_bytes = st.lists(st.binary(max_size=30) | st.sampled_from(
    [b'{"a": 1}', b"[1, 2]", b'{"results": [{"id": 1}, 2]}', b"\xef\xbb\xbf{}", b"\xff\xfe", b"#c", b"  "]),
    max_size=8).map(lambda parts: b"\n".join(parts))
READERS = {"text": lambda s: text_items(s, comment="#"), "json": json_items, "openalex": openalex_items}


@SETTINGS
@given(data=st.binary(max_size=200) | lines_of_bytes, gz=st.sampled_from(["plain", "gzip", "cut gzip"]),
       kind=st.sampled_from(sorted(READERS)))
def test_readers_take_any_bytes(data: bytes, gz: str, kind: str) -> None:
    payload = data
    if gz != "plain":
        payload = gzip.compress(data)
        if gz == "cut gzip":
            payload = payload[: max(2, len(payload) // 2)]
    items = read_all(payload, ".gz" if gz != "plain" else ".jsonl", READERS[kind])
    if items is None:
        # UTF-16, or gzip (by its magic bytes) that does not decompress.
        assert data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x1f\x8b")) or gz == "cut gzip", data
        return
    previous = 0
    for item in items:
        assert isinstance(item.line, int) and item.line >= 1
        assert item.line >= previous, "line numbers never go back"
        previous = item.line
        assert item.error is None or isinstance(item.error, str)
    if gz == "plain" and kind == "text":
        # Every non-blank, non-comment line is an item (an error item when it is not UTF-8): none is dropped.
        assert {i.line for i in items} == expected_text_lines(data)


def expected_text_lines(data: bytes) -> set[int]:
    wanted = set()
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            wanted.add(number)
            continue
        if text.strip() and not text.startswith("#"):
            wanted.add(number)
    return wanted


@SETTINGS
@given(data=lines_of_bytes, source=st.sampled_from(sorted(SOURCES)))
def test_reader_then_parser_never_crash(data: bytes, source: str) -> None:
    """The load's own pipeline on any file: each item is an error (a reject), a Work or a BadRecord."""
    fmt = SOURCES[source]
    for item in read_all(data, ".txt", fmt.items) or []:
        if item.error is None:
            parses_or_rejects(fmt.parse, item.value)


# -- the name normaliser ---------------------------------------------------------------------------------
@SETTINGS
@given(st.text(max_size=60) | names)
def test_name_functions_take_any_text(raw: str) -> None:
    name = parse_name(raw)
    if name is not None:
        assert name.key.startswith("name:") and len(name.key) > len("name:")
        assert isinstance(name.display, str)
    found, complete = split_authors(raw)
    assert isinstance(complete, bool) and all(isinstance(n, str) and n for n in found)
    parsed_name(raw, raw[::-1], "")
    fold(raw)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _plain(text: str) -> str:
    """Lower-case ASCII letters of a generated word (ø, ł and ß have no decomposition)."""
    return _strip_accents(text).lower().translate(str.maketrans({"ø": "o", "ł": "l", "ß": "ss"}))


# Person names: a surname and given names of letters (some accented), the way sources spell them.
_letters = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzéèüöñçøåłß"))
# Not a surname particle ("Van"), a suffix ("Ii") or a group word ("Team"): those change the key by design.
_NOT_PLAIN = {"van", "von", "der", "den", "de", "del", "della", "dei", "di", "da", "dos", "das", "do", "du", "le",
              "la", "ten", "ter", "st", "saint", "af", "al", "el", "bin", "ibn", "zu", "y", "jr", "sr", "ii", "iii",
              "iv", "and", "et", "for", "group", "team", "network", "project", "committee",
              "consortium"}
_word = st.tuples(st.sampled_from(list("ABCDEFGHIJKLMNOPRSTUVWZÉÖÅŁ")), st.lists(_letters, min_size=1, max_size=9)) \
    .map(lambda t: t[0] + "".join(t[1])).filter(lambda w: _plain(w) not in _NOT_PLAIN)
persons = st.tuples(st.lists(_word, min_size=1, max_size=3), _word)


@SETTINGS
@given(persons)
def test_name_key_invariants(person: tuple[list[str], str]) -> None:
    given_names, surname = person
    first_last = " ".join([*given_names, surname])
    name = parse_name(first_last)
    assert name is not None
    # Normalising twice gives the same key (the display form is a name of the same person).
    again = parse_name(name.display)
    assert again is not None and again.key == name.key
    # Case, accents and the "Last, First" order do not change the key.
    for variant in (first_last.upper(), first_last.lower(), _strip_accents(first_last),
                    f"{surname}, {' '.join(given_names)}", f"{given_names[0][0]}. {surname}",
                    f"{surname.upper()}, {given_names[0]}"):
        other = parse_name(variant)
        assert other is not None and other.key == name.key, (first_last, variant)
    # arXiv's authors_parsed triple gives the same key as the string.
    triple = parsed_name(surname, " ".join(given_names))
    assert triple is not None and triple.key == name.key
    # The key is the folded surname and the first initial (from the input, not from the normaliser).
    assert name.key == f"name:{_plain(surname)}_{_plain(given_names[0])[0]}"


@SETTINGS
@given(persons, persons)
def test_split_authors_finds_each_name(a: tuple[list[str], str], b: tuple[list[str], str]) -> None:
    one, two = " ".join([*a[0], a[1]]), " ".join([*b[0], b[1]])
    for text in (f"{one}, {two}", f"{one} and {two}", f"{one} (Some University), {two}"):
        found, complete = split_authors(text)
        keys = [parse_name(n).key for n in found]  # type: ignore[union-attr]
        assert keys == [parse_name(one).key, parse_name(two).key], (text, found)  # type: ignore[union-attr]
        assert complete
    assert split_authors(f"{one}, {two} et al.")[1] is False
