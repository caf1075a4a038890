"""E-mail domains against ROR records: exact or sub-domain, label by label; look-alikes never match."""

from __future__ import annotations

import json

import pytest

from accounts.ror import RorIndex, domain_matches, email_domain, record_domains
from tests.accounts_data import ROR_DIR


@pytest.mark.parametrize(("address", "domain", "expected"), [
    ("ucla.edu", "ucla.edu", True), ("physics.ucla.edu", "ucla.edu", True), ("UCLA.EDU.", "ucla.edu", True),
    ("ucla.edu.evil.org", "ucla.edu", False), ("notucla.edu", "ucla.edu", False), ("edu", "ucla.edu", False),
    ("ucla.edu", "edu", False), ("cla.edu", "ucla.edu", False), ("mcmaster.ca", "www.mcmaster.ca", True)])
def test_domain_matches(address: str, domain: str, expected: bool) -> None:
    assert domain_matches(address, domain) is expected


def test_index_reads_domains_and_link_hosts_of_the_fixture() -> None:
    index = RorIndex.from_dir(ROR_DIR)
    for path in ROR_DIR.glob("*.json"):
        record = json.loads(path.read_text())
        expected = set(record["domains"]) | {
            link["value"].split("/")[2].removeprefix("www.") for link in record["links"]
            if "wikipedia.org" not in link["value"]}
        assert index.of(record["id"]) == expected
    assert index.of("https://ror.org/009jqbg55") == {"su.se", "stressforskning.su.se"}
    assert not any("wikipedia" in d for d in record_domains(json.loads((ROR_DIR / "046rm7j60.json").read_text())))


def test_match_finds_the_institution_of_an_address_and_refuses_look_alikes() -> None:
    index = RorIndex.from_dir(ROR_DIR)
    rors = ["https://ror.org/046rm7j60", "02fa3aq29", None]
    assert index.match(email_domain("ada@physics.ucla.edu"), rors) == [("046rm7j60", "ucla.edu")]
    assert index.match(email_domain("ada@ucla.edu.evil.org"), rors) == []
    assert index.match(email_domain("bob@mcmaster.ca"), rors) == [("02fa3aq29", "mcmaster.ca")]
    assert index.match(email_domain("bob@mcmaster.ca"), ["046rm7j60"]) == []  # not his institution
