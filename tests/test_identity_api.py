"""Issue 11 through the API: a profile that may hold several people, and split/merge for owners and admins.

The clusters are checked against a graph built here, with the expected clusters worked out in the test by a
different method (pairwise comparison and a breadth-first walk) from the input. Split and merge run on a
publication list loaded by the project's loader; expected people come from that list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from loader_helpers import count, rows

from accounts.store import Store
from accounts.web import EXTENSION
from dashboards.identity_widgets import render
from graph.clusters import BODY_OF_WORK, MAX_AUTHORS, MESSAGE, Clusters, ClusterWork, Evidence, WorkCluster, clusters
from graph.db import Graph
from loaders import load_files
from tests.accounts_data import ADA_ORCID, PW, UCLA, csrf, outbox, sign_up


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    """SQLite only: the store's behaviour on PostgreSQL is tested in test_accounts_store; this is about rights."""
    return sqlite_store


# -- clusters -----------------------------------------------------------------------------------------------------
ME = "name:smith_a"
BIG = [f"name:crowd_{i}" for i in range(MAX_AUTHORS + 5)]  # a collaboration: its co-authors are no evidence
# paper -> (co-authors besides ME, institutions of ME's authorship, topics)
PAPERS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "p:1": (["name:brown_b"], [], ["t:graphs"]),
    "p:2": (["name:brown_b"], [], ["t:networks"]),
    "p:3": ([], ["i:ucla"], ["t:networks"]),
    "p:4": ([], ["i:ucla"], []),
    "p:5": (["name:cole_c"], [], ["t:nuclear"]),
    "p:6": (["name:cole_c", "name:dunn_d"], ["i:mit"], []),
    "p:7": ([], [], []),  # nothing to place it by
    "p:8": (["name:brown_b", *BIG], [], ["t:detectors"]),  # shares only Brown, through a 57-author paper
    "p:9": (["name:evans_e"], [], ["t:poetry"]),
}
YEARS = {p: 2000 + i for i, p in enumerate(sorted(PAPERS))}


def build(db: Graph) -> None:
    people = sorted({c for co, _, _ in PAPERS.values() for c in co} | {ME})
    papers = [{"id": p, "title": f"Work {p}", "year": YEARS[p], "authors": [ME, *co], "institutions": inst,
               "topics": topics} for p, (co, inst, topics) in PAPERS.items()]
    db.write_tx(lambda tx: tx.run(
        "UNWIND $people AS id CREATE (:Author {id: id, name: id}) "
        "WITH count(*) AS done UNWIND $papers AS p CREATE (w:Paper {id: p.id, title: p.title, year: p.year}) "
        "WITH w, p UNWIND range(0, size(p.authors) - 1) AS i MATCH (a:Author {id: p.authors[i]}) "
        "CREATE (a)-[r:AUTHORED {position: i + 1}]->(w) "
        "SET r.institutions = CASE WHEN i = 0 THEN p.institutions ELSE [] END "
        "WITH DISTINCT w, p UNWIND p.topics AS t MERGE (topic:Topic {id: t}) SET topic.name = t "
        "MERGE (w)-[:ABOUT]->(topic)", people=people, papers=papers).consume())
    institutions = sorted({i for _, inst, _ in PAPERS.values() for i in inst})
    db.write_tx(lambda tx: tx.run("UNWIND $ids AS id CREATE (:Institution {id: id, name: id})",
                                  ids=institutions).consume())


def expected_clusters(author: str) -> tuple[list[set[str]], set[str]]:
    """Components by a breadth-first walk over pairs of works that share evidence, from PAPERS itself."""
    def evidence(paper: str) -> set[str]:
        co, inst, topics = PAPERS[paper]
        everyone = [ME, *co]
        coauthors = set(everyone) - {author} if len(everyone) <= MAX_AUTHORS else set()
        return coauthors | set(inst if author == ME else []) | set(topics)

    mine = [p for p, (co, _, _) in PAPERS.items() if author in (ME, *co)]
    unplaced = {p for p in mine if not evidence(p)}
    left, found = [p for p in mine if p not in unplaced], []
    while left:
        group, queue = set(), [left[0]]
        while queue:
            p = queue.pop()
            if p in group:
                continue
            group.add(p)
            queue += [q for q in left if q not in group and evidence(p) & evidence(q)]
        found.append(group)
        left = [p for p in left if p not in group]
    return found, unplaced


def test_clusters_are_the_components_of_shared_evidence(db: Graph) -> None:
    build(db)
    got = clusters(db, ME)
    want, unplaced = expected_clusters(ME)
    assert sorted(map(sorted, want)) == sorted(sorted(w.id for w in c.works) for c in got.clusters)
    assert {w.id for w in got.unplaced} == unplaced
    assert got.several_people and got.message and "share no co-authors" in got.message
    assert got.works_considered == len(PAPERS)
    assert [len(c.works) for c in got.clusters] == sorted((len(g) for g in want), reverse=True)
    # The evidence of the cluster holding p:1, counted from PAPERS.
    first = next(c for c in got.clusters if "p:1" in [w.id for w in c.works])
    members = [w.id for w in first.works]
    assert [w.id for w in first.works] == sorted(members, key=lambda p: -YEARS[p])  # newest first
    brown = sum("name:brown_b" in PAPERS[p][0] for p in members if len(PAPERS[p][0]) < MAX_AUTHORS)
    assert [(e.id, e.works) for e in first.coauthors] == [("name:brown_b", brown)]
    assert {(e.id, e.works) for e in first.topics} == {
        (t, sum(t in PAPERS[p][2] for p in members)) for p in members for t in PAPERS[p][2]}
    assert [(e.id, e.works) for e in first.institutions] == [("i:ucla", 2)]
    assert (first.first_year, first.last_year) == (min(YEARS[p] for p in members), max(YEARS[p] for p in members))


def test_one_body_of_work_is_one_cluster(db: Graph) -> None:
    build(db)
    got = clusters(db, "name:cole_c")
    want, unplaced = expected_clusters("name:cole_c")
    assert len(want) == 1 and not unplaced
    assert [sorted(w.id for w in c.works) for c in got.clusters] == [sorted(want[0])]
    assert not got.several_people and got.message is None


# A publication list whose works partly cut their author list ("et al."), as Mario Geiger's does: title ->
# (authors as printed, whether the list is complete, arXiv categories). Rosa Roe is on every work.
ROSA = "Rosa Roe"
CUT_LIST: dict[str, tuple[list[str], bool, list[str]]] = {
    "Body one": ([ROSA, "Ann Ash"], True, ["cs.LG"]),
    "Body two": ([ROSA, "Ann Ash", "Ben Bay"], True, ["stat.ML"]),
    "Body three": ([ROSA, "Ben Bay"], True, ["cs.LG"]),
    "Cut, shares Ann Ash": (["Ann Ash", ROSA], False, ["cs.AI"]),
    "Cut, shares nothing": (["Cid Cox", ROSA], False, ["physics.chem-ph"]),
    "Cut, shares Cid Cox only": (["Cid Cox", "Dan Dale", ROSA], False, ["physics.comp-ph"]),
}
LONE = {"Complete, shares nothing": ([ROSA, "Eve Eng"], True, ["q-bio.NC"])}


def _write_list(path: Path, works: dict[str, tuple[list[str], bool, list[str]]]) -> Path:
    path.write_text("".join(json.dumps({"title": t, "year": 2020, "authors": a, "authors_complete": c,
                                        "categories": cats}) + "\n" for t, (a, c, cats) in works.items()))
    return path


def expected_cut_clusters(works: dict[str, tuple[list[str], bool, list[str]]]) -> tuple[list[set[str]], set[str]]:
    """From the list itself: works linked by a shared co-author or category (a walk over pairs), and a component
    whose works all cut their author list is no cluster (its works are unplaced)."""
    def evidence(title: str) -> set[str]:
        authors, _, cats = works[title]
        return {f"by {a}" for a in authors if a != ROSA} | {f"on {c}" for c in cats}

    left, components = sorted(works), []
    while left:
        group, queue = set(), [left[0]]
        while queue:
            t = queue.pop()
            if t not in group:
                group.add(t)
                queue += [u for u in left if u not in group and evidence(t) & evidence(u)]
        components.append(group)
        left = [t for t in left if t not in group]
    kept = [g for g in components if any(works[t][1] for t in g)]
    return kept, {t for g in components if g not in kept for t in g}


def test_a_cut_author_list_is_no_cluster_of_its_own(db: Graph, tmp_path: Path) -> None:
    load_files(db, "works", [_write_list(tmp_path / "cut.jsonl", CUT_LIST)], rejects=tmp_path / "r.jsonl",
               progress=False)
    rosa = rows(db, "MATCH (a:Author {name: $n}) RETURN a.id AS id", n=ROSA)
    assert len(rosa) == 1, "the loader made one Rosa Roe of the list (the precondition of this test)"
    assert count(db, "MATCH (p:Paper) WHERE NOT p.authors_complete RETURN count(p)") == sum(
        not c for _, c, _ in CUT_LIST.values())
    want, unplaced = expected_cut_clusters(CUT_LIST)
    assert len(want) == 1 and len(unplaced) == 2, "the case: one body of work, a component of cut lists only"
    got = clusters(db, rosa[0]["id"])
    assert [{w.title for w in c.works} for c in got.clusters] == want
    assert {w.title for w in got.unplaced} == unplaced
    assert not got.several_people and got.message is None

    # A complete list that shares nothing is a second cluster, and beside a small body of work a sign.
    load_files(db, "works", [_write_list(tmp_path / "lone.jsonl", LONE)], rejects=tmp_path / "r2.jsonl",
               progress=False)
    assert count(db, "MATCH (a:Author {name: $n}) RETURN count(a)", n=ROSA) == 1
    want, unplaced = expected_cut_clusters(CUT_LIST | LONE)
    got = clusters(db, rosa[0]["id"])
    assert sorted(sorted(str(w.title) for w in c.works) for c in got.clusters) == sorted(map(sorted, want))
    assert {w.title for w in got.unplaced} == unplaced
    assert got.several_people and len(want) == 2 and len(want[0]) < BODY_OF_WORK


def test_a_lone_work_beside_a_body_of_work_raises_no_banner() -> None:
    from graph.clusters import suspect

    assert not suspect([]) and not suspect([7])
    assert suspect([2, 1]) and suspect([BODY_OF_WORK - 1, 1])
    assert not suspect([BODY_OF_WORK, 1]) and not suspect([BODY_OF_WORK + 16, 1, 1])
    assert suspect([BODY_OF_WORK, 2]) and suspect([BODY_OF_WORK + 16, 1, 2])


def test_clusters_api_and_its_errors(client, db: Graph) -> None:
    build(db)
    answer = client.get(f"/api/authors/{quote(ME, safe='')}/clusters")
    assert answer.status_code == 200
    data = answer.get_json()
    want, _ = expected_clusters(ME)
    assert data["several_people"] is True
    assert sorted(sorted(w["id"] for w in c["works"]) for c in data["clusters"]) == sorted(map(sorted, want))
    missing = client.get("/api/authors/name%3Anobody_x/clusters")
    assert missing.status_code == 404 and "name:nobody_x" in missing.get_json()["error"]["message"]
    spec = client.get("/api/openapi.json").get_json()
    assert "/api/authors/{author_id}/clusters" in spec["paths"]
    split = spec["paths"]["/api/authors/{author_id}/split"]["post"]
    assert split["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SplitRequest"}
    assert "X-CSRF-Token" in [p["name"] for p in split["parameters"]]


def test_the_panel_offers_split_only_to_those_allowed() -> None:
    def cluster(paper: str, coauthor: str) -> WorkCluster:
        return WorkCluster([ClusterWork(paper, f"Work {paper}", 2020)], 2020, 2020,
                           [Evidence(coauthor, coauthor.title(), 1)], [], [])

    found = Clusters("name:smith_a", True, MESSAGE, 3, [cluster("p:1", "brown"), cluster("p:2", "cole")],
                     [ClusterWork("p:3", None, None)])
    viewer, admin = str(render(found, can_split=False)), str(render(found, can_split=True))
    assert "share no co-authors" in viewer and "Brown (1)" in viewer and "1 work(s) are in no cluster" in viewer
    assert "Split these" not in viewer and admin.count("Split these 1 works off") == 2
    alone = Clusters("name:cole_c", False, None, 1, [cluster("p:1", "smith")], [])
    assert "Cluster" not in str(render(alone, can_split=True))


# -- split and merge through the API -----------------------------------------------------------------------------
KNITTING = "Knitting patterns as programs"
WORKS: list[dict[str, Any]] = [
    {"title": "Graph methods for bibliographies", "year": 2024, "doi": "10.1234/ada.2024",
     "authors": [{"name": "Ada Lovelace", "orcid": ADA_ORCID, "institution": UCLA}, "Bob Builder"],
     "categories": ["cs.DL"]},
    {"title": "Counting collaborations", "year": 2020, "doi": "10.1234/ada.2020",
     "authors": [{"name": "Ada Lovelace", "orcid": ADA_ORCID, "institution": UCLA}], "categories": ["cs.DL"]},
    {"title": KNITTING, "year": 1990, "doi": "10.1234/knit",
     "authors": [{"name": "Ada Lovelace", "orcid": ADA_ORCID}, "Carl Weaver"], "categories": ["math.CO"]},
    {"title": "Poems of science", "year": 1843, "authors": ["Ada Byron"], "categories": ["physics.hist-ph"]},
    {"title": "Notes on the analytical engine", "year": 1843, "authors": ["Ada King"], "categories": ["cs.GL"]},
]


def load(db: Graph, tmp: Path) -> dict[str, str]:
    path = tmp / "works.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in WORKS))
    load_files(db, "works", [path], rejects=tmp / "rejects.jsonl", progress=False)
    return {r["name"]: r["id"] for r in rows(db, "MATCH (a:Author) RETURN a.name AS name, a.id AS id")}


def paper_id(db: Graph, title: str) -> str:
    return str(rows(db, "MATCH (p:Paper {title: $t}) RETURN p.id AS id", t=title)[0]["id"])


def _url(author: str, action: str = "") -> str:
    return f"/api/authors/{quote(author, safe='')}" + (f"/{action}" if action else "")


def _signed_in(app, address: str, name: str):
    client = app.test_client()
    sign_up(client, outbox(app), address, name)
    return client


def test_split_and_merge_are_for_owners_and_admins(app, acct, db: Graph, tmp_path: Path) -> None:
    ids = load(db, tmp_path)
    ada, bob, byron, king = ids["Ada Lovelace"], ids["Bob Builder"], ids["Ada Byron"], ids["Ada King"]
    people = {a["name"] if isinstance(a, dict) else a for w in WORKS for a in w["authors"]}
    assert acct.get("/api/stats").get_json()["authors"] == len(people)
    knitting = paper_id(db, KNITTING)
    split_body = {"papers": [knitting]}
    # The profile says it may hold two people: the knitting paper shares nothing with the rest.
    found = acct.get(_url(ada, "clusters")).get_json()
    assert found["several_people"] and [[w["id"] for w in c["works"]] for c in found["clusters"]][-1] == [knitting]

    # Anonymous: 401 (with the CSRF token; without it, the CSRF check answers first).
    assert acct.post(_url(ada, "split"), json=split_body).get_json()["error"]["code"] == "csrf"
    anonymous = acct.post(_url(ada, "split"), json=split_body, headers=csrf(acct))
    assert anonymous.status_code == 401
    # A plain account: 403.
    plain = _signed_in(app, "someone@example.org", "Someone")
    assert plain.post(_url(ada, "split"), json=split_body, headers=csrf(plain)).status_code == 403
    # The verified owner of another profile (Bob, approved by an admin): 403 on Ada's.
    admin = _signed_in(app, "root@example.org", "Root")
    app.extensions[EXTENSION].store.set_role("root@example.org", "admin")
    bob_owner = _signed_in(app, "bob@example.org", "Bob")
    claim = bob_owner.post(_url(bob, "claim"), headers=csrf(bob_owner)).get_json()
    assert admin.post(f"/api/admin/claims/{claim['id']}", json={"decision": "approve", "reason": "call"},
                      headers=csrf(admin)).get_json()["status"] == "claimed"
    refused = bob_owner.post(_url(ada, "split"), json=split_body, headers=csrf(bob_owner))
    assert refused.status_code == 403 and ada in refused.get_json()["error"]["message"]
    assert count(db, "MATCH (:Author {id: $id})-[:AUTHORED]->(:Paper {id: $p}) RETURN count(*)",
                 id=ada, p=knitting) == 1

    # Ada's verified owner (L2: an address at UCLA) splits the knitting paper off her profile.
    owner = _signed_in(app, "ada@physics.ucla.edu", "Ada")
    assert owner.post(_url(ada, "claim"), headers=csrf(owner)).get_json()["level"] == "L2"
    bad = owner.post(_url(ada, "split"), json={"papers": knitting}, headers=csrf(owner))
    assert bad.status_code == 400 and "'papers' must be a list" in bad.get_json()["error"]["message"]
    not_hers = owner.post(_url(ada, "split"), json={"papers": [paper_id(db, "Poems of science")]},
                          headers=csrf(owner))
    assert not_hers.status_code == 422 and "is not an author of" in not_hers.get_json()["error"]["message"]
    done = owner.post(_url(ada, "split"), json=split_body, headers=csrf(owner))
    assert done.status_code == 200, done.get_json()
    result = done.get_json()
    person = result["person"]
    assert result["moved"] == 1 and person not in ids.values() and result["url"] == f"/author/{person}"
    assert rows(db, "MATCH (a:Author)-[:AUTHORED]->(:Paper {id: $p}) RETURN a.id AS id ORDER BY id",
                p=knitting) == sorted([{"id": person}, {"id": ids["Carl Weaver"]}], key=lambda r: r["id"])
    assert knitting in rows(db, "MATCH (a:Author {id: $id}) RETURN a.identity_excluded AS x", id=ada)[0]["x"]
    again = owner.post(_url(ada, "split"), json=split_body, headers=csrf(owner)).get_json()
    assert again["person"] is None and again["moved"] == 0
    assert not owner.get(_url(ada, "clusters")).get_json()["several_people"]
    # An owner may split, not merge.
    assert owner.post(_url(byron, "merge"), json={"into": ada}, headers=csrf(owner)).status_code == 403

    # Admins merge: bad ids answer 404, a shared paper 422, a bad body 400; then Byron into Lovelace.
    unknown = admin.post(_url("name:nobody_x", "merge"), json={"into": ada}, headers=csrf(admin))
    assert unknown.status_code == 404 and "name:nobody_x" in unknown.get_json()["error"]["message"]
    unknown_into = admin.post(_url(byron, "merge"), json={"into": "name:nobody_x"}, headers=csrf(admin))
    assert unknown_into.status_code == 404 and "name:nobody_x" in unknown_into.get_json()["error"]["message"]
    shared = admin.post(_url(person, "merge"), json={"into": ids["Carl Weaver"]}, headers=csrf(admin))
    assert shared.status_code == 422 and "never one person" in shared.get_json()["error"]["message"]
    no_into = admin.post(_url(byron, "merge"), json={"to": ada}, headers=csrf(admin))
    assert no_into.status_code == 400 and "unknown field(s) to" in no_into.get_json()["error"]["message"]
    merged = admin.post(_url(byron, "merge"), json={"into": ada}, headers=csrf(admin))
    assert merged.status_code == 200 and merged.get_json()["survivor"] == ada and merged.get_json()["moved"] == 1
    moved = acct.get(_url(byron))
    assert moved.status_code == 301 and unquote(moved.headers["Location"]).endswith(f"/api/authors/{ada}")
    page = acct.get(f"/author/{quote(byron, safe='')}")
    assert page.status_code == 301 and unquote(page.headers["Location"]).endswith(f"/author/{ada}")
    assert acct.get(_url(ada)).get_json()["counts"]["works"] == len(
        [w for w in WORKS if w["title"] != KNITTING and any(
            (a["name"] if isinstance(a, dict) else a) in {"Ada Lovelace", "Ada Byron"} for a in w["authors"])])
    # People: one more after the split, one fewer after the merge; the merged-away node is not counted.
    assert acct.get("/api/stats").get_json()["authors"] == len(people) + 1 - 1

    # An owner asks for a merge into their profile; an admin approves it.
    ask = {"from": king, "note": "my married name"}
    assert plain.post(_url(ada, "merge-requests"), json=ask, headers=csrf(plain)).status_code == 403
    nobody = owner.post(_url(ada, "merge-requests"), json={"from": "name:nobody_x"}, headers=csrf(owner))
    assert nobody.status_code == 404
    asked = owner.post(_url(ada, "merge-requests"), json=ask, headers=csrf(owner))
    assert asked.status_code == 202 and asked.get_json()["status"] == "pending"
    assert owner.post(_url(ada, "merge-requests"), json=ask, headers=csrf(owner)).status_code == 409
    assert owner.get("/api/admin/merge-requests").status_code == 403
    pending = admin.get("/api/admin/merge-requests?status=pending").get_json()["requests"]
    assert [(r["author"], r["source"], r["note"]) for r in pending] == [(ada, king, "my married name")]
    decide = f"/api/admin/merge-requests/{pending[0]['id']}"
    assert admin.post(decide, json={"decision": "approve", "reason": " "}, headers=csrf(admin)).status_code == 400
    assert admin.post(decide, json={"decision": "maybe", "reason": "x"}, headers=csrf(admin)).status_code == 400
    assert count(db, "MATCH (:Author {id: $id})-[:MERGED_INTO]->() RETURN count(*)", id=king) == 0
    decided = admin.post(decide, json={"decision": "approve", "reason": "same ORCID record"}, headers=csrf(admin))
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["request"]["status"] == "approved" and decided.get_json()["merge"]["survivor"] == ada
    assert admin.post(decide, json={"decision": "reject", "reason": "x"}, headers=csrf(admin)).status_code == 409
    assert acct.get(_url(king)).status_code == 301
    assert acct.get("/api/stats").get_json()["authors"] == len(people) + 1 - 2

    # The audit trail, in the account store; nothing about the accounts in Neo4j.
    trail = app.extensions[EXTENSION].store.audit_log(limit=50)
    actions = [(a["action"], a["author_id"]) for a in trail if a["action"].startswith("identity.")]
    assert actions == [("identity.merge_approved", ada), ("identity.merge", king),
                       ("identity.merge_requested", ada), ("identity.merge", byron), ("identity.split", ada),
                       ("identity.split", ada)]
    assert json.loads(trail[1]["detail"])["survivor"] == ada
    text = json.dumps(rows(db, "MATCH (n) RETURN properties(n) AS p"), default=str)
    assert "@" not in text and PW not in text and "Root" not in text and "married" not in text
