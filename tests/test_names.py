"""The author-name normaliser: keys, display names and author-string splitting, on real spellings."""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.names import detex, fold, parse_name, parsed_name, split_authors
from tests.conftest import shared_file


@pytest.mark.parametrize(("raw", "key"), [
    ("Mario Geiger", "name:geiger_m"),
    ("Geiger, Mario", "name:geiger_m"),
    ("M. Geiger", "name:geiger_m"),
    ("Tess E. Smidt", "name:smidt_t"),
    ("Tess Smidt", "name:smidt_t"),
    ("U.M.Heller", "name:heller_u"),            # Paperscape
    ("Urs M. Heller", "name:heller_u"),
    ("Heller, Urs M.", "name:heller_u"),
    ("C. Bal\\'azs", "name:balazs_c"),           # TeX accent (0704.0001)
    ("C. Bal\\'{a}zs", "name:balazs_c"),
    ("Csaba Balázs", "name:balazs_c"),
    ("C. BALAZS", "name:balazs_c"),
    ("S.S.Holland Jr", "name:holland_s"),       # suffix dropped
    ("Martin Jr., John", "name:martin_j"),
    ("John Martin III", "name:martin_j"),
    ("C.Frønsdal", "name:fronsdal_c"),           # ø folded
    ("{\\O}ystein Elgar{\\o}y", "name:elgaroy_o"),
    ("J.D.van der Waals", "name:van-der-waals_j"),
    ("Johannes Diderik van der Waals", "name:van-der-waals_j"),
    ("Peter St. John", "name:st-john_p"),
    ("Stéphane d'Ascoli", "name:dascoli_s"),
    ("C.-P. Yuan", "name:yuan_c"),
    ("C. -P. Yuan", "name:yuan_c"),
    ("Jean-Camille Birget", "name:birget_j"),
    ("J. C. Birget", "name:birget_j"),
    ("Jonas K\\\"ohler", "name:kohler_j"),
    ("The BABAR Collaboration", "name:babar_collaboration"),
    ("BABAR Collaboration", "name:babar_collaboration"),
    ("LIGO Scientific Collaboration", "name:ligo_scientific_collaboration"),
])
def test_name_keys(raw: str, key: str) -> None:
    name = parse_name(raw)
    assert name is not None and name.key == key
    assert name.raw == raw


@pytest.mark.parametrize(("raw", "key", "display"), [
    ("Mohit Bhandari, MD", "name:bhandari_m", "Mohit Bhandari"),           # raw OpenAlex bylines: degrees dropped
    ("Gordon Guyatt, MD, MSc, FRCPC", "name:guyatt_g", "Gordon Guyatt"),
    ("Deborah J. Cook, M.D. Ph.D.", "name:cook_d", "Deborah J. Cook"),
    ("Lehana Thabane, PhD", "name:thabane_l", "Lehana Thabane"),
    ("John Smith, Jr.", "name:smith_j", "John Smith"),
    ("Bhandari, Mohit", "name:bhandari_m", "Mohit Bhandari"),              # surname first stays so
    ("Rahman, MD", "name:rahman_m", "MD Rahman"),                          # one word before the comma: a surname
    ("Hossain Khan, Md", "name:hossain-khan_m", "Md Hossain Khan"),        # "Md" (Mohammad) is a name, not a degree
    ("Garcia Lopez, Ma.", "name:garcia-lopez_m", "Ma. Garcia Lopez"),      # "Ma." (María) too
])
def test_degrees_after_a_comma_are_not_given_names(raw: str, key: str, display: str) -> None:
    name = parse_name(raw)
    assert name is not None and (name.key, name.display) == (key, display)


def test_what_the_key_splits() -> None:
    """Documented splits: spelling variants of the surname are different keys."""
    assert parse_name("Jonas Koehler").key != parse_name("Jonas Köhler").key  # type: ignore[union-attr]
    assert parse_name("Allan dos Santos Costa").key == "name:costa_a"  # type: ignore[union-attr]


def test_display_names_decode_tex() -> None:
    assert parse_name("C. Bal\\'azs").display == "C. Balázs"  # type: ignore[union-attr]
    assert parse_name("Heller, Urs M.").display == "Urs M. Heller"  # type: ignore[union-attr]
    assert detex("Schr\\\"{o}dinger") == "Schrödinger"
    assert detex("Erd\\H{o}s") == "Erdős"
    assert detex("\\c{C}elik") == "Çelik"
    assert fold("Łukasz Šťastný") == "lukasz stastny"


def test_et_al_and_empty_names_are_not_authors() -> None:
    assert parse_name("et al") is None
    assert parse_name("et al.") is None
    assert parse_name("  ") is None
    assert parsed_name("al", "et") is None


def test_parsed_triples_agree_with_the_string() -> None:
    assert parsed_name("Balázs", "C.", "").key == parse_name("C. Bal\\'azs").key  # type: ignore[union-attr]
    assert parsed_name("Yuan", "C. -P.", "").key == "name:yuan_c"  # type: ignore[union-attr]
    assert parsed_name("The BABAR Collaboration", "", "").key == "name:babar_collaboration"  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "names", "complete"), [
    ("C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
     ["C. Bal\\'azs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"], True),
    ("The BABAR Collaboration, B. Aubert, et al", ["BABAR Collaboration", "B. Aubert"], False),
    ("CLEO Collaboration: T. K. Pedlar, et al", ["CLEO Collaboration", "T. K. Pedlar"], False),
    ("A. Abulencia et al. (CDF Collaboration)", ["A. Abulencia"], False),
    ("Ketan D. Mulmuley Hariharan Narayanan", ["Ketan D. Mulmuley", "Hariharan Narayanan"], True),
    ("Ivan Miskun (1), Timo Dickel (1 and 2), Israel Mardor (3 and 4)",
     ["Ivan Miskun", "Timo Dickel", "Israel Mardor"], True),
    ("Jason Glyndwr Ulery (for the STAR Collaboration)", ["Jason Glyndwr Ulery"], True),
    ("J. Junkersfeld, for the CB-ELSA collaboration", ["J. Junkersfeld", "CB-ELSA collaboration"], True),
    ("W. Trautmann and the ALADiN2000 Collaboration", ["W. Trautmann", "ALADiN2000 Collaboration"], True),
    ("Richard Iain McKinley", ["Richard Iain McKinley"], True),
    ("Maria C. Garcia Lopez", ["Maria C. Garcia Lopez"], True),
])
def test_split_author_strings(text: str, names: list[str], complete: bool) -> None:
    assert split_authors(text) == (names, complete)


def test_huge_real_author_strings() -> None:
    """1411.4413 (CMS and LHCb, ~2,800 names) and 2103.11058 (LHCb, ~970 names) split into persons."""
    records = {}
    with gzip.open(shared_file("arxiv", "arxiv-abs.snapshot.jsonl.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["id"] in ("1411.4413", "2103.11058"):
                records[record["id"]] = record["authors"]
    for arxiv_id, text in records.items():
        names, complete = split_authors(text)
        # Independent estimate: the names are comma-separated after the "X Collaboration:" prefix.
        expected = len([p for p in text.split(":", 1)[1].replace(" and ", ",").split(",") if p.strip()]) + 1
        assert abs(len(names) - expected) <= 2, arxiv_id
        assert complete
        keys = [parse_name(n) for n in names]
        assert all(k is not None for k in keys)
        assert "collaboration" in keys[0].key  # type: ignore[union-attr]


def test_every_real_author_string_gives_keys() -> None:
    """No arXiv author string in the real data leaves an empty or junk key."""
    with gzip.open(shared_file("arxiv", "arxiv-abs.snapshot.jsonl.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            names, _ = split_authors(record["authors"])
            assert names, record["id"]
            for raw in names:
                name = parse_name(raw)
                assert name is not None, (record["id"], raw)
                assert name.key.startswith("name:") and " " not in name.key and "\\" not in name.key, name


def _fold_reference(text: str) -> str:
    """fold's rule written out once more: TeX as Unicode, special letters, decomposed, marks dropped, lower case."""
    import unicodedata

    special = {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
               "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "ȷ": "j", "ħ": "h"}
    text = "".join(special.get(c, c) for c in detex(text))
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(special.get(c, c) for c in text).lower()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x17F), max_size=40))
def test_fold_follows_its_rule(text: str) -> None:
    assert fold(text) == _fold_reference(text)


def test_fold_of_real_names_and_titles() -> None:
    names = ["Mario Geiger", "Bal\\'azs, Csaba", "Stéphane d'Ascoli", "O'Brien, {\\O}ystein", "ZHANG Wei",
             "Łukasz Kaiser", "The ATLAS Collaboration", "Schrödinger equation on {S}^2"]
    for text in names:
        assert fold(text) == _fold_reference(text)
    assert fold("Mario Geiger") == "mario geiger" and fold("Bal\\'azs") == "balazs"
