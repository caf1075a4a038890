"""Identity corrections: merge two authors that are one person, stored so every later load obeys.

``merge(db, FROM, INTO)`` moves FROM's authorships to INTO (each edge keeps its
position, source and byline, and notes ``merged_from``), leaves
``(FROM)-[:MERGED_INTO]->(INTO)`` as FROM's only relationship, and re-derives
both people's data (COAUTHOR pairs, counts, affiliations) before it returns. The
API and pages follow the redirect; the loader keeps FROM as a known person of
its block, so its bylines still find it, and writes them to the survivor
(``loaders.people.resolve``). See docs/identity.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import ManagedTransaction

from graph.db import Graph
from graph.queries import query
from loaders.derive import DEFAULT_MAX_COAUTHOR_AUTHORS, derive_all


class IdentityError(ValueError):
    """A correction that cannot be made: the message says why, and nothing was changed."""


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
            raise IdentityError(f"no author has the id {source!r}")
        if not check["into_exists"]:
            raise IdentityError(f"no author has the id {into!r}")
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


def main(argv: list[str]) -> int:
    """``python -m loaders identity merge FROM INTO``: exit 0 done (or already done), 1 refused, 2 no Neo4j."""
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
    args = parser.parse_args(argv)
    started = None
    where = "the local server"
    try:
        config, started = resolve(start=True, quiet=True)
        where = config.uri
        with Graph.connect(config) as db:
            print(merge(db, args.source, args.into).line())
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
