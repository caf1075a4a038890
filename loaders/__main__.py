"""``python -m loaders {arxiv,openalex,paperscape,works} FILE... [options]``: load files into the graph.

``python -m loaders harvest ...`` fetches from live sources instead (loaders/harvest/cli.py);
``python -m loaders identity merge FROM INTO`` corrects who is who (loaders/corrections.py).

The graph is the Neo4j ``NEO4J_URI`` names, else the project's local server
(started when it is not running, and stopped again afterwards in that case).
Exit status: 0 loaded (rejects are listed, not fatal), 1 a file cannot be read
or bad arguments, 2 Neo4j cannot be reached or started.
"""

from __future__ import annotations

import argparse
import sys

from graph.errors import GraphError, OutOfMemory
from graph.server import ServerError
from loaders import DEFAULT_BATCH_ROWS, DEFAULT_BATCH_SIZE, SOURCES, FileError, load_files
from loaders.derive import DEFAULT_MAX_COAUTHOR_AUTHORS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="Load source files into the graph.")
    parser.add_argument("source", choices=sorted(SOURCES), help="the format of the files")
    parser.add_argument("files", nargs="+", metavar="FILE", help="input files, plain or .gz")
    parser.add_argument("--rejects", metavar="PATH",
                        help="write skipped records here (default: $PEERGRAPH_DATA_DIR/rejects/FILE.rejects.jsonl "
                             "for each input; the summary names it)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, metavar="N",
                        help=f"records per write transaction at most (default {DEFAULT_BATCH_SIZE})")
    parser.add_argument("--batch-rows", type=int, default=DEFAULT_BATCH_ROWS, metavar="N",
                        help="rows per write transaction at most: authorships, institution links, topics, "
                             f"citations and co-author pairs (default {DEFAULT_BATCH_ROWS:,}); lower it when "
                             "Neo4j has less transaction memory than the 700 MB of a 1 GB heap")
    parser.add_argument("--max-coauthor-authors", type=int, default=DEFAULT_MAX_COAUTHOR_AUTHORS, metavar="N",
                        help="papers with more authors make no COAUTHOR pairs "
                             f"(default {DEFAULT_MAX_COAUTHOR_AUTHORS}); their AUTHORED edges are kept")
    parser.add_argument("--owner", metavar="NAME",
                        help="works only: the list is NAME's publication list; NAME is credited on every record, "
                             "also where the author list was cut before the name")
    parser.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    parser.add_argument("--bulk", action="store_true",
                        help="first load into the local server's EMPTY database: write CSV files and run "
                             "neo4j-admin's offline importer (the server is stopped meanwhile)")
    parser.add_argument("--csv-dir", metavar="DIR", help="--bulk: keep the CSV files in DIR (default: removed)")
    parser.add_argument("--import-memory", default="2g", metavar="SIZE",
                        help="--bulk: off-heap memory of the importer (default 2g)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["harvest"]:  # fetching from live sources has its own sub-commands
        from loaders.harvest.cli import main as harvest

        return harvest(argv[1:])
    if argv[:1] == ["identity"]:
        from loaders.corrections import main as identity

        return identity(argv[1:])
    args = _parser().parse_args(argv)
    if args.batch_size < 1 or args.batch_rows < 1 or args.max_coauthor_authors < 0:
        print("error: --batch-size and --batch-rows must be >= 1 and --max-coauthor-authors >= 0", file=sys.stderr)
        return 1
    if args.bulk:
        return _bulk(args)
    from graph.connect import resolve
    from graph.db import Graph

    where = "the local server"
    started = None
    try:
        from accounts.feed import watch_from_settings

        config, started = resolve(start=True, quiet=True)
        where = config.uri
        with Graph.connect(config) as db:
            # The feed: events about followed authors, from what this load changed (nothing without accounts).
            summary = load_files(db, args.source, args.files, rejects=args.rejects, batch_size=args.batch_size,
                                 batch_rows=args.batch_rows, progress=args.progress,
                                 max_coauthor_authors=args.max_coauthor_authors, owner=args.owner,
                                 watch=watch_from_settings())
        print(summary.line())
        return 0
    except FileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OutOfMemory as exc:
        # Deterministic: the same command fails the same way, so say what to change, not "try again".
        print(f"error: {exc} (Neo4j at {where}); what was written stays, and the same command with "
              f"a smaller --batch-rows (now {args.batch_rows:,}) or --batch-size (now {args.batch_size:,}), "
              "or with more memory for Neo4j (PEERGRAPH_NEO4J_HEAP), finishes the load", file=sys.stderr)
        return 2
    except (GraphError, ServerError) as exc:
        print(f"error: {exc} (Neo4j at {where})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: run the same command again to finish (the load is idempotent)", file=sys.stderr)
        return 130
    finally:
        if started is not None:
            started.stop()


def _bulk(args: argparse.Namespace) -> int:
    """``--bulk``: the offline import into the local server (exit 1 when refused, 2 when the server fails)."""
    from loaders.bulk import BulkError, bulk_load

    try:
        summary = bulk_load(args.source, args.files, rejects=args.rejects, batch_size=args.batch_size,
                            progress=args.progress, max_coauthor_authors=args.max_coauthor_authors,
                            owner=args.owner, csv_dir=args.csv_dir, import_memory=args.import_memory)
    except (FileError, BulkError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (GraphError, ServerError) as exc:
        print(f"error: {exc} (the local Neo4j)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was imported unless the import had started; if the database is not "
              "empty now, empty it (or remove its store) and run the same command again", file=sys.stderr)
        return 130
    print(summary.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
