"""A tiny publication list for the claim and trust tests, and helpers to sign up through the API."""

from __future__ import annotations

import email
import json
import re
from pathlib import Path

from graph.db import Graph
from loaders import load_files

ROR_DIR = Path(__file__).resolve().parent / "data" / "ror"
PW = "correct horse battery"
ADA_ORCID = "0000-0002-1825-0097"
UCLA = {"name": "University of California, Los Angeles", "ror": "https://ror.org/046rm7j60"}
MCMASTER = {"name": "McMaster University", "ror": "https://ror.org/02fa3aq29"}

# Ada: ORCID on her authorships, UCLA (ROR) in 2024, an un-resolved lab in 2014; four works over 2014-2024,
# two of them also given as arXiv e-prints (so two sources once both are loaded). Bob: McMaster, no ORCID.
WORKS = [
    {"title": "Graph methods for bibliographies", "year": 2024, "doi": "10.1234/ada.2024",
     "authors": [{"name": "Ada Lovelace", "orcid": ADA_ORCID, "institution": UCLA},
                 {"name": "Bob Builder", "institution": MCMASTER}], "categories": ["cs.DL"]},
    {"title": "Counting collaborations", "year": 2020, "doi": "10.1234/ada.2020",
     "authors": [{"name": "Ada Lovelace", "orcid": ADA_ORCID, "institution": UCLA}], "categories": ["cs.DL"]},
    {"title": "Early notes on engines", "year": 2014, "doi": "10.1234/ada.2014",
     "authors": [{"name": "Ada Lovelace", "orcid": ADA_ORCID, "institution": {"name": "Engine Lab"}}],
     "categories": ["cs.DL"]},
    {"title": "Late notes on engines", "year": 2016,
     "authors": [{"name": "Ada Lovelace", "orcid": ADA_ORCID}], "categories": ["cs.DL"]},
]


def load_people(db: Graph, tmp: Path) -> dict[str, str]:
    """Load WORKS; the author ids by name."""
    path = tmp / "people.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in WORKS))
    load_files(db, "works", [path], rejects=tmp / "people.rejects.jsonl", progress=False)
    rows = db.read_tx(lambda tx: [r.data() for r in tx.run("MATCH (a:Author) RETURN a.name AS name, a.id AS id")])
    return {r["name"]: r["id"] for r in rows}


def outbox(app) -> Path:
    from accounts.web import EXTENSION

    return app.extensions[EXTENSION].mailer.outbox


def csrf(client) -> dict[str, str]:
    return {"X-CSRF-Token": client.get("/api/account/csrf").get_json()["csrf_token"]}


def last_link(outbox: Path, path: str) -> str:
    """The token of the newest mail in the outbox that links to ``path``."""
    for eml in sorted(outbox.glob("*.eml"), reverse=True):
        body = email.message_from_bytes(eml.read_bytes()).get_payload(decode=True).decode()
        found = re.search(re.escape(path) + r"\?token=([\w-]+)", body)
        if found:
            return found.group(1)
    raise AssertionError(f"no mail in {outbox} links to {path}")


def sign_up(client, outbox: Path, address: str, name: str = "Ada", *, login: bool = True) -> None:
    headers = csrf(client)
    assert client.post("/api/account/register", json={"email": address, "password": PW, "name": name},
                       headers=headers).status_code == 202
    token = last_link(outbox, "/account/verify")
    assert client.post("/api/account/verify", json={"token": token}, headers=headers).status_code == 200
    if login:
        assert client.post("/api/account/login", json={"email": address, "password": PW},
                           headers=headers).status_code == 200
