"""Feed events derived by a load: each type from a constructed before/after graph, the expected events computed
here from the input records (who wrote what with whom, where, on which categories, who cites whom)."""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Iterator
from pathlib import Path

import pytest

from accounts import feed as account_feed
from accounts.store import Store
from graph.db import Graph
from loaders import load_files


def orcid(n: int) -> str:
    """A valid ORCID iD (ISO 7064 11,2 check digit) made from ``n``."""
    base = f"{n:015d}"
    total = 0
    for d in base:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    digits = base + ("X" if check == 10 else str(check))
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


PEOPLE = {name: orcid(1000 + i) for i, name in enumerate(
    ["Ada Lovelace", "Bob Builder", "Carol Danvers", "Dan Dare", "Eve Polastri", "Frank Castle"])}
UCLA = {"name": "University of California, Los Angeles", "ror": "https://ror.org/046rm7j60"}
MCMASTER = {"name": "McMaster University", "ror": "https://ror.org/02fa3aq29"}


def work(title: str, year: int, names: list[str], cats: list[str], inst: dict | None = None,
         arxiv_id: str | None = None) -> dict:
    authors = [{"name": n, "orcid": PEOPLE[n], **({"institution": inst} if inst and n == "Ada Lovelace" else {})}
               for n in names]
    return {"title": title, "year": year, "authors": authors, "categories": cats,
            **({"arxiv_id": arxiv_id} if arxiv_id else {})}


BEFORE = [
    work("Graph methods for bibliographies", 2020, ["Ada Lovelace", "Bob Builder"], ["cs.DL"], UCLA, "2001.00001"),
    work("Counting collaborations", 2021, ["Ada Lovelace"], ["cs.DL", "cs.SI"], UCLA, "2101.00002"),
    work("Early engines", 2019, ["Carol Danvers", "Dan Dare"], ["physics.hist-ph"]),
]
# Ada's new work with a new co-author at a new institution, on categories that enter her top five;
# Bob and Dan write together, which joins Carol (an owner) to Ada.
AFTER = [
    work("Engines of the future", 2024, ["Ada Lovelace", "Eve Polastri"],
         ["math.CO", "math.PR", "cs.DS", "cs.IT"], MCMASTER, "2401.00003"),
    work("Bridges", 2024, ["Bob Builder", "Dan Dare"], ["physics.hist-ph"]),
]
# Paperscape lines: two new papers cite Ada's 2001.00001 (a third cites nobody of hers).
CITING = [
    "2402.00004;cs.DL;1;1;2001.00001;F.Castle;Citing graph methods",
    "2402.00005;cs.DL;2;2;2001.00001,2101.00002;F.Castle;Citing both",
    "2402.00006;cs.DL;0;0;;F.Castle;Citing nothing",
]


@pytest.fixture
def feed_store(tmp_path: Path) -> Iterator[Store]:
    st = Store(f"sqlite:///{tmp_path / 'accounts.sqlite3'}")
    st.migrate()
    yield st
    st.close()


def _account(store: Store, email: str) -> int:
    _, token = store.register(email, "correct horse battery", email.split("@")[0])
    return store.verify_email(token).id


def _load(db: Graph, tmp: Path, name: str, source: str, lines: list[str], store: Store) -> None:
    path = tmp / name
    path.write_text("".join(line + "\n" for line in lines))
    load_files(db, source, [path], rejects=tmp / f"{name}.rejects", progress=False,
               watch=account_feed.FeedWatch(store))


def _ids(db: Graph) -> dict[str, str]:
    rows = db.read_tx(lambda tx: [r.data() for r in tx.run("MATCH (a:Author) RETURN a.name AS name, a.id AS id")])
    return {r["name"]: r["id"] for r in rows}


def _top(works: list[dict], name: str) -> set[str]:
    counts = Counter(c for w in works if name in [a["name"] for a in w["authors"]] for c in set(w["categories"]))
    return {f"arxiv:{c}" for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], f"arxiv:{kv[0]}"))[:5]}


def _hops(works: list[dict], start: str, goal: str) -> int | None:
    links: dict[str, set[str]] = {}
    for w in works:
        names = [a["name"] for a in w["authors"]]
        for a in names:
            links.setdefault(a, set()).update(n for n in names if n != a)
    seen, queue = {start: 0}, deque([start])
    while queue:
        at = queue.popleft()
        for nxt in links.get(at, ()):
            if nxt not in seen:
                seen[nxt] = seen[at] + 1
                queue.append(nxt)
    return seen.get(goal)


def test_each_event_type_from_a_before_and_after_graph(db: Graph, feed_store: Store, tmp_path: Path) -> None:
    _load(db, tmp_path, "before.jsonl", "works", [json.dumps(w) for w in BEFORE], feed_store)
    ids = _ids(db)
    fan, owner = _account(feed_store, "fan@example.org"), _account(feed_store, "carol@example.org")
    feed_store.follow(fan, ids["Ada Lovelace"], True)
    feed_store.follow(owner, ids["Ada Lovelace"], True)
    feed_store.open_claim(owner, ids["Carol Danvers"], level="L3", evidence=[])
    assert account_feed.entries(feed_store, fan) == []  # the first load had no baseline

    _load(db, tmp_path, "after.jsonl", "works", [json.dumps(w) for w in AFTER], feed_store)
    _load(db, tmp_path, "citing.csv", "paperscape", CITING, feed_store)

    ada = "Ada Lovelace"
    mine = [w for w in AFTER if ada in [a["name"] for a in w["authors"]]]
    old_coauthors = {a["name"] for w in BEFORE if ada in [x["name"] for x in w["authors"]] for a in w["authors"]}
    new_coauthors = {a["name"] for w in mine for a in w["authors"]} - old_coauthors
    entering = _top(BEFORE + AFTER, ada) - _top(BEFORE, ada)
    cited = {"2001.00001", "2101.00002"}
    citing = [line for line in CITING if cited & set(line.split(";")[4].split(","))]
    hops_before, hops_after = _hops(BEFORE, "Carol Danvers", ada), _hops(BEFORE + AFTER, "Carol Danvers", ada)

    got = account_feed.entries(feed_store, fan)
    by_type: dict[str, list[account_feed.Entry]] = {}
    for e in got:
        by_type.setdefault(e.type, []).append(e)
    assert {e.evidence["paper"]["title"] for e in by_type["new_work"]} == {w["title"] for w in mine}
    assert {e.evidence["paper"]["date"] for e in by_type["new_work"]} == {str(w["year"]) for w in mine}
    assert {e.evidence["coauthor"]["name"] for e in by_type["new_coauthor"]} == new_coauthors
    assert [e.evidence["institution"]["name"] for e in by_type["affiliation_change"]] == [MCMASTER["name"]]
    assert {e.evidence["topic"]["id"] for e in by_type["top_topic"]} == entering
    assert [e.evidence["count"] for e in by_type["new_citations"]] == [len(citing)]
    assert {c["title"] for c in by_type["new_citations"][0].evidence["citing"]} == {
        line.split(";")[6] for line in citing}
    assert "new_path" not in by_type  # the fan owns no profile
    assert {e.author["id"] for e in got} == {ids[ada]} and all(not e.read for e in got)

    paths = [e for e in account_feed.entries(feed_store, owner) if e.type == "new_path"]
    assert hops_before is None and len(paths) == 1
    assert paths[0].evidence["hops"] == hops_after and paths[0].evidence["hops_before"] is None
    assert [p["name"] for p in paths[0].evidence["path"]][0] == "Carol Danvers"
    assert [p["name"] for p in paths[0].evidence["path"]][-1] == ada

    # Loading the same files again finds nothing new: no second event.
    count = len(account_feed.entries(feed_store, fan))
    _load(db, tmp_path, "after.jsonl", "works", [json.dumps(w) for w in AFTER], feed_store)
    assert len(account_feed.entries(feed_store, fan)) == count


def test_mute_hides_a_follow_and_mark_read(db: Graph, feed_store: Store, tmp_path: Path) -> None:
    _load(db, tmp_path, "before.jsonl", "works", [json.dumps(w) for w in BEFORE], feed_store)
    ids = _ids(db)
    fan = _account(feed_store, "fan@example.org")
    feed_store.follow(fan, ids["Ada Lovelace"], True)
    feed_store.follow(fan, ids["Dan Dare"], True)
    _load(db, tmp_path, "after.jsonl", "works", [json.dumps(w) for w in AFTER], feed_store)
    authors = {e.author["name"] for e in account_feed.entries(feed_store, fan)}
    assert authors == {"Ada Lovelace", "Dan Dare"}  # Dan: the new co-author Bob
    account_feed.set_muted(feed_store, fan, ids["Dan Dare"], True)
    assert {e.author["name"] for e in account_feed.entries(feed_store, fan)} == {"Ada Lovelace"}
    assert account_feed.unread(feed_store, fan) == len(account_feed.entries(feed_store, fan))
    account_feed.mark_read(feed_store, fan)
    assert account_feed.unread(feed_store, fan) == 0
    account_feed.set_muted(feed_store, fan, ids["Dan Dare"], False)
    assert any(e.author["name"] == "Dan Dare" for e in account_feed.entries(feed_store, fan))
