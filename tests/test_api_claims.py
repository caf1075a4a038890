"""Claims, the verification ladder, admin review and the trust snapshot, through the API, on both stores.

Expected values come from ``tests/accounts_data.WORKS`` (the input), not from the app's answers.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from accounts.web import EXTENSION
from tests.accounts_data import ADA_ORCID, PW, WORKS, csrf, load_people, outbox, sign_up
from tests.loader_helpers import rows

BANDS = [(80, "Highly trusted"), (60, "Trusted"), (40, "Established"), (20, "Emerging"), (0, "New")]


def _author_facts(db, author_id: str) -> dict:
    return rows(db, "MATCH (a:Author {id: $id}) RETURN a.claimed AS claimed, a.verification_level AS level, "
                    "a.trust_score AS score, a.trust_band AS band, a.followers AS followers", id=author_id)[0]


def _make_admin(app, client, address: str = "root@example.org") -> None:
    sign_up(client, outbox(app), address, "Root", login=False)
    app.extensions[EXTENSION].store.set_role(address, "admin")
    assert client.post("/api/account/login", json={"email": address, "password": PW},
                       headers=csrf(client)).status_code == 200


def test_an_address_at_a_recent_institution_claims_at_l2(app, acct, db, tmp_path: Path) -> None:
    ids = load_people(db, tmp_path)
    ada = ids["Ada Lovelace"]
    assert _author_facts(db, ada)["level"] is None  # nothing written before a claim
    sign_up(acct, outbox(app), "ada@physics.ucla.edu", "Zed Claimant")
    answer = acct.post(f"/api/authors/{quote(ada, safe='')}/claim", headers=csrf(acct))
    assert answer.status_code == 202
    claim = answer.get_json()
    assert (claim["status"], claim["level"]) == ("claimed", "L2")
    assert claim["evidence"][0] | {"last_year": None} == {
        "kind": "email_domain", "domain": "ucla.edu", "ror": "https://ror.org/046rm7j60",
        "institution": "ror:046rm7j60", "last_year": None}
    profile = acct.get(f"/api/authors/{quote(ada, safe='')}").get_json()
    assert profile["claim"] == {"status": "claimed"} and profile["verification"]["level"] == "L2"
    trust = acct.get(f"/api/authors/{quote(ada, safe='')}/trust").get_json()
    assert profile["trust"] == {"score": trust["score"], "band": trust["band"], "version": trust["version"]}
    assert _author_facts(db, ada) == {"claimed": True, "level": "L2", "score": trust["score"],
                                      "band": trust["band"], "followers": 0}


def test_a_look_alike_domain_waits_for_an_admin_who_approves_with_a_reason(app, acct, db, tmp_path: Path) -> None:
    ada = load_people(db, tmp_path)["Ada Lovelace"]
    path = f"/api/authors/{quote(ada, safe='')}"
    sign_up(acct, outbox(app), "ada@ucla.edu.evil.org", "Zed Claimant")
    claim = acct.post(f"{path}/claim", headers=csrf(acct)).get_json()
    assert (claim["status"], claim["level"]) == ("pending", None)
    assert acct.get(path).get_json()["claim"]["status"] == "pending"
    assert acct.get("/api/admin/claims?status=pending").status_code == 403  # not an admin
    assert acct.post(f"/api/admin/claims/{claim['id']}", json={"decision": "approve", "reason": "me"},
                     headers=csrf(acct)).status_code == 403
    admin = app.test_client()
    _make_admin(app, admin)
    pending = admin.get("/api/admin/claims?status=pending").get_json()["claims"]
    assert [(c["id"], c["author_id"], c["claimant"]) for c in pending] == [(claim["id"], ada, "Zed Claimant")]
    assert pending[0]["evidence"][0]["kind"] == "none"
    no_reason = admin.post(f"/api/admin/claims/{claim['id']}", json={"decision": "approve"}, headers=csrf(admin))
    assert no_reason.status_code == 400 and "reason" in no_reason.get_json()["error"]["message"]
    decided = admin.post(f"/api/admin/claims/{claim['id']}", json={"decision": "approve", "reason": "video call"},
                         headers=csrf(admin)).get_json()
    assert (decided["status"], decided["level"]) == ("claimed", "L2")
    profile = acct.get(path).get_json()
    assert profile["claim"]["status"] == "claimed" and profile["verification"]["level"] == "L2"
    assert _author_facts(db, ada)["claimed"] is True
    revoked = admin.post(f"/api/admin/claims/{claim['id']}", json={"decision": "revoke", "reason": "fraud"},
                         headers=csrf(admin))
    assert revoked.get_json()["status"] == "revoked"
    assert _author_facts(db, ada)["claimed"] is False and _author_facts(db, ada)["level"] == "L1"


def test_a_second_claimant_disputes_and_an_owner_can_withdraw(app, acct, db, tmp_path: Path) -> None:
    ada = load_people(db, tmp_path)["Ada Lovelace"]
    path = f"/api/authors/{quote(ada, safe='')}"
    sign_up(acct, outbox(app), "ada@physics.ucla.edu", "Zed Claimant")
    assert acct.post(f"{path}/claim", headers=csrf(acct)).get_json()["status"] == "claimed"
    other = app.test_client()
    sign_up(other, outbox(app), "impostor@example.org", "Impostor")
    assert other.post(f"{path}/claim", headers=csrf(other)).get_json()["status"] == "disputed"
    profile = acct.get(path).get_json()
    assert profile["claim"]["status"] == "disputed" and profile["verification"]["level"] == "L1"
    trust = acct.get(f"{path}/trust").get_json()
    dispute = next(p for p in trust["penalties"] if p["key"] == "dispute")
    assert dispute["points"] == -10
    assert other.delete(f"{path}/claim", headers=csrf(other)).get_json()["status"] == "withdrawn"
    assert acct.get(path).get_json()["claim"]["status"] == "pending"  # back to an admin, not silently granted
    assert other.delete(f"{path}/claim", headers=csrf(other)).status_code == 404


def test_claims_need_a_session_a_confirmed_address_and_a_known_author(app, acct, db, tmp_path: Path) -> None:
    ada = load_people(db, tmp_path)["Ada Lovelace"]
    headers = csrf(acct)
    assert acct.post(f"/api/authors/{quote(ada, safe='')}/claim", headers=headers).status_code == 401
    assert acct.post("/api/account/register", json={"email": "u@ucla.edu", "password": PW, "name": "U"},
                     headers=headers).status_code == 202
    acct.post("/api/account/login", json={"email": "u@ucla.edu", "password": PW}, headers=headers)
    unverified = acct.post(f"/api/authors/{quote(ada, safe='')}/claim", headers=headers)
    assert unverified.status_code == 403 and "confirm" in unverified.get_json()["error"]["message"]
    sign_up(acct, outbox(app), "v@ucla.edu", "V")
    missing = acct.post("/api/authors/name%3Anobody_x/claim", headers=csrf(acct))
    assert missing.status_code == 404
    assert app.extensions[EXTENSION].store.claims() == []


def _expected_trust(name: str, level: str) -> dict:
    """The trust-1 formula applied by hand to WORKS for an unclaimed author."""
    mine = [w for w in WORKS if any(a["name"] == name for a in w["authors"])]
    entries = [a for w in mine for a in w["authors"] if a["name"] == name]
    orcid = any(a.get("orcid") for a in entries)
    institutions = {a["institution"]["name"]: a["institution"].get("ror") for a in entries if a.get("institution")}
    years = [w["year"] for w in mine]
    points = {"verification": round(25 * {"L0": 0, "L1": 0.4, "L2": 0.8, "L3": 1}[level]),
              "orcid_consistency": 10 if orcid else 0,
              "ror_affiliations": round(10 * sum(1 for r in institutions.values() if r) / len(institutions))
              if institutions else 0,
              "two_sources": 0,  # one source (a works file) for every paper
              "corroboration": 0, "record_length": round(15 * min(1, (max(years) - min(years)) / 10)),
              "account_standing": 0}
    score = sum(points.values())
    return {"points": points, "score": score, "band": next(b for floor, b in BANDS if score >= floor)}


def test_trust_snapshot_adds_up_and_follows_the_formula(app, acct, db, tmp_path: Path) -> None:
    ids = load_people(db, tmp_path)
    for name, level in (("Ada Lovelace", "L1"), ("Bob Builder", "L0")):
        trust = acct.get(f"/api/authors/{quote(ids[name], safe='')}/trust").get_json()
        expected = _expected_trust(name, level)
        assert {c["key"]: c["points"] for c in trust["components"]} == expected["points"]
        assert trust["score"] == expected["score"] and trust["band"] == expected["band"]
        assert trust["score"] == sum(c["points"] for c in trust["components"]) + sum(
            p["points"] for p in trust["penalties"])
        assert sum(c["weight"] for c in trust["components"]) == 100
        assert trust["version"] == "trust-1" and trust["level"] == level
        assert all(c["how_to_raise"] for c in trust["components"])
        assert "not a measure of research quality" in trust["label"]
    ada = acct.get(f"/api/authors/{quote(ids['Ada Lovelace'], safe='')}/trust").get_json()
    assert ada["data_date"].startswith("2024")
    verification = next(c for c in ada["components"] if c["key"] == "verification")
    assert verification["evidence"] == [{"kind": "orcid", "id": ADA_ORCID, "url": f"https://orcid.org/{ADA_ORCID}"}]
    assert acct.get("/api/authors/name%3Anobody_x/trust").status_code == 404


def test_nothing_personal_is_readable_through_the_cypher_console(app, acct, db, tmp_path: Path) -> None:
    ada = load_people(db, tmp_path)["Ada Lovelace"]
    sign_up(acct, outbox(app), "ada@physics.ucla.edu", "Zed Claimant")
    acct.post(f"/api/authors/{quote(ada, safe='')}/claim", headers=csrf(acct))
    session = acct.get_cookie("peergraph_session").value
    seen = []
    for query in ("MATCH (n) RETURN labels(n) AS l, properties(n) AS p",
                  "MATCH ()-[r]->() RETURN type(r) AS t, properties(r) AS p",
                  "CALL db.labels() YIELD label RETURN label", "CALL db.propertyKeys() YIELD propertyKey RETURN *"):
        answer = acct.post("/api/cypher", json={"query": query, "params": {}})
        assert answer.status_code == 200
        seen.append(json.dumps(answer.get_json()))
    everything = "\n".join(seen)
    assert ada in everything and '"verification_level"' in everything  # the public facts are there
    for secret in ("ada@physics.ucla.edu", "physics.ucla.edu", "Zed Claimant", "$argon2", session, "email",
                   "password"):
        assert secret not in everything, secret
