"""Identity corrections: merge two authors that are one person, split one that is two; stored so every
later load obeys.

``merge(db, FROM, INTO)`` moves FROM's authorships to INTO (each edge keeps its
position, source and byline, and notes ``merged_from``), leaves
``(FROM)-[:MERGED_INTO]->(INTO)`` as FROM's only relationship, and re-derives
both people's data (COAUTHOR pairs, counts, affiliations) before it returns. The
API and pages follow the redirect; the loader keeps FROM as a known person of
its block, so its bylines still find it, and writes them to the survivor
(``loaders.people.resolve``).

``split(db, ID, papers)`` moves ID's authorships of those papers to a new person
(a new stable id of ID's block) and stores them in ID's ``identity_excluded``: the
loader never gives them back to ID (``identity._excluded``), and a re-load finds
them with the new person (the paper names it). See docs/identity.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from neo4j import ManagedTransaction

from graph.db import Graph
from graph.queries import query
from loaders.derive import DEFAULT_MAX_COAUTHOR_AUTHORS, derive_all
from loaders.identity import new_id
from loaders.names import parse_name
from loaders.rows import better_name


class IdentityError(ValueError):
    """A correction that cannot be made: the message says why, and nothing was changed."""


class UnknownAuthor(IdentityError):
    """A correction names an author id the graph does not hold (the API answers 404)."""


@dataclass(frozen=True)
class MergeResult:
    source: str  # the id merged away
    survivor: str  # where it leads now (INTO, or the end of INTO's own redirects)
    moved: int  # authorships moved by this call (0: it was already merged)
    already: bool  # the same merge had been made before: nothing changed

    def line(self) -> str:
        if self.already:
            return f"{self.source} was already merged into {self.survivor}: nothing changed"
        return f"merged {self.source} into {self.survivor}: {self.moved} authorship(s) moved"


def merge(db: Graph, source: str, into: str, *,
          max_coauthor_authors: int = DEFAULT_MAX_COAUTHOR_AUTHORS) -> MergeResult:
    """Merge author ``source`` into author ``into`` (idempotent); raises ``IdentityError`` when refused."""
    source, into = source.strip(), into.strip()
    if not source or not into:
        raise IdentityError("both author ids are needed (e.g. name:cohen_t~2 name:cohen_t)")
    if source == into:
        raise IdentityError(f"cannot merge {source} into itself")

    def work(tx: ManagedTransaction) -> MergeResult:
        check = tx.run(query("identity/merge_check"), {"from": source, "into": into}).single()
        assert check is not None  # OPTIONAL MATCH always gives one row
        if not check["from_exists"]:
            raise UnknownAuthor(f"no author has the id {source!r}")
        if not check["into_exists"]:
            raise UnknownAuthor(f"no author has the id {into!r}")
        survivor: str = check["into_survivor"]
        if check["from_survivor"] is not None:
            if check["from_survivor"] == survivor:
                return MergeResult(source, survivor, 0, already=True)
            raise IdentityError(f"{source} was already merged into {check['from_survivor']}, not {survivor}; "
                                f"merge {check['from_survivor']} instead")
        if survivor == source:
            raise IdentityError(f"{into} was merged into {source} before: merging back would make a loop")
        if check["shared_count"]:
            papers = ", ".join(check["shared"]) + (" ..." if check["shared_count"] > len(check["shared"]) else "")
            raise IdentityError(f"{source} and {survivor} are both authors of {check['shared_count']} paper(s) "
                                f"({papers}): two authors of one paper are never one person")
        record = tx.run(query("identity/merge"), {"from": source, "into": survivor}).single()
        return MergeResult(source, survivor, int(record["moved"]) if record else 0, already=False)

    result = db.write_tx(work)
    if not result.already:
        derive_all(db, max_coauthor_authors=max_coauthor_authors)
    return result


@dataclass(frozen=True)
class SplitResult:
    source: str  # the author the papers were taken from
    person: str | None  # the new person's id (None: the same split had been made before)
    moved: int

    def line(self) -> str:
        if self.person is None:
            return f"these papers were already split off {self.source}: nothing changed"
        return f"split {self.moved} authorship(s) off {self.source} into the new person {self.person}"


def split(db: Graph, source: str, papers: Sequence[str], *,
          max_coauthor_authors: int = DEFAULT_MAX_COAUTHOR_AUTHORS) -> SplitResult:
    """Move ``source``'s authorships of ``papers`` to a new person and store the cannot-link; raises
    ``IdentityError`` when refused. The same split again changes nothing."""
    source = source.strip()
    wanted = sorted({p.strip() for p in papers if p.strip()})
    if not source or not wanted:
        raise IdentityError("an author id and at least one paper id are needed (e.g. name:cohen_t --papers "
                            "arxiv:hep-ph/9208253)")

    def work(tx: ManagedTransaction) -> SplitResult:
        check = tx.run(query("identity/split_check"), {"id": source, "papers": wanted}).single()
        assert check is not None  # OPTIONAL MATCH always gives one row
        if not check["known"]:
            raise UnknownAuthor(f"no author has the id {source!r}")
        if check["merged_into"]:
            raise IdentityError(f"{source} was merged into {check['merged_into']}: split that author instead")
        found = {f["paper"]: f["byline"] for f in check["found"]}
        if not found and set(wanted) <= set(check["excluded"]):
            return SplitResult(source, None, 0)
        missing = [p for p in wanted if p not in found]
        if missing:
            raise IdentityError(f"{source} is not an author of {', '.join(missing)}: nothing was split")
        if len(found) == check["total"]:
            raise IdentityError(f"these are all of {source}'s {len(found)} works: nothing would be left "
                                "(split off fewer papers)")
        if not check["block"]:
            raise IdentityError(f"{source} has no name block to give a new person an id in")
        person = new_id(check["block"], set(check["taken"]))
        bylines = sorted({b for b in found.values() if b})
        name: str | None = None
        for byline in bylines:
            parsed = parse_name(byline)
            if parsed is not None:
                name = better_name(name, parsed.display)
        record = tx.run(query("identity/split"), {"id": source, "new": person, "papers": wanted,
                                                  "name": name or person, "variants": bylines}).single()
        return SplitResult(source, person, int(record["moved"]) if record else 0)

    result = db.write_tx(work)
    if result.person is not None:
        derive_all(db, max_coauthor_authors=max_coauthor_authors)
    return result


def main(argv: list[str]) -> int:
    """``python -m loaders identity merge FROM INTO | split ID --papers P1,P2``.

    Exit 0 done (or already done), 1 refused, 2 Neo4j cannot be reached.
    """
    import argparse
    import sys

    from graph.connect import resolve
    from graph.errors import GraphError
    from graph.server import ServerError

    parser = argparse.ArgumentParser(prog="python -m loaders identity",
                                     description="Correct who is who: stored, and obeyed by every later load.")
    commands = parser.add_subparsers(dest="command", required=True)
    merging = commands.add_parser("merge", help="FROM and INTO are one person: FROM's works move to INTO and "
                                                "FROM's id redirects to INTO")
    merging.add_argument("source", metavar="FROM", help="the author id merged away (e.g. name:cohen_t~2)")
    merging.add_argument("into", metavar="INTO", help="the author id that stays")
    splitting = commands.add_parser("split", help="ID is two people: the listed papers move to a new person, and "
                                                  "later loads keep them apart")
    splitting.add_argument("source", metavar="ID", help="the author id to split")
    splitting.add_argument("--papers", required=True, metavar="P1,P2,...",
                           help="comma-separated Paper ids (e.g. arxiv:hep-ph/9208253) that go to the new person")
    args = parser.parse_args(argv)
    started = None
    where = "the local server"
    try:
        config, started = resolve(start=True, quiet=True)
        where = config.uri
        with Graph.connect(config) as db:
            if args.command == "merge":
                print(merge(db, args.source, args.into).line())
                from accounts.merges import follow_merges_from_settings

                moved = follow_merges_from_settings(db)  # follows and claims on FROM move to INTO
                if moved:
                    print(f"accounts: {moved.follows} follow(s), {moved.claims} open claim(s), {moved.watches} "
                          f"watch(es), {moved.invitations} invitation(s) and {moved.merge_requests} merge "
                          "request(s) moved to the surviving id")
            else:
                print(split(db, args.source, args.papers.split(",")).line())
        return 0
    except IdentityError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (GraphError, ServerError) as exc:
        print(f"error: {exc} (Neo4j at {where})", file=sys.stderr)
        return 2
    finally:
        if started is not None:
            started.stop()
