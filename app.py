"""peergraph: the Flask server with the Dash app and the REST API mounted on it.

``python app.py run``   start (or reuse) the local Neo4j, load the bundled sample
                        when the graph is empty, serve http://127.0.0.1:8050
``gunicorn 'app:create_app()'``   serve with several workers (set NEO4J_URI, or
                        start the local server first with ``python -m graph.server start``)
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from typing import Any

from flask import Flask

log = logging.getLogger("peergraph")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app. Configuration: ``NEO4J_URI``/``USER``/``PASSWORD``/``DATABASE``, else the local server.

    ``test_config`` overrides any key; a ``GRAPH`` key hands in a ready ``graph.db.Graph``.
    """
    import api
    import dashboards
    from graph import ext

    app = Flask(__name__)
    app.config.from_mapping(
        NEO4J_URI=os.environ.get("NEO4J_URI", ""),
        NEO4J_USER=os.environ.get("NEO4J_USER", "neo4j"),
        NEO4J_PASSWORD=os.environ.get("NEO4J_PASSWORD", ""),
        NEO4J_DATABASE=os.environ.get("NEO4J_DATABASE", ""),
        NEO4J_POOL_SIZE=int(os.environ.get("PEERGRAPH_POOL_SIZE", "50")),
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config.get("GRAPH") and not app.config["NEO4J_URI"]:
        from graph.connect import local_config

        local = local_config()  # the local server must be running: `python -m graph.server start`
        app.config.update(NEO4J_URI=local.uri, NEO4J_USER=local.user, NEO4J_PASSWORD=local.password,
                          NEO4J_DATABASE=local.database)
    app.json.sort_keys = False
    ext.init_app(app)
    api.init_app(app)
    dashboards.init_app(app)
    return app


def _run(args: argparse.Namespace) -> int:
    from graph import stats
    from graph.connect import resolve
    from graph.db import Graph
    from graph.errors import GraphError
    from graph.schema import ensure_schema
    from graph.server import ServerError

    # SIGTERM (e.g. from a process manager) stops us like Ctrl-C: the finally below stops Neo4j.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        config, started = resolve(start=True)
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        with Graph.connect(config) as db:
            try:
                ensure_schema(db)
                if args.sample and stats.counts(db).empty:
                    from loaders.sample import load_sample

                    print("The graph is empty: loading the bundled sample ...", file=sys.stderr)
                    load_sample(db)
            except GraphError as exc:
                print(f"error: {exc} (Neo4j at {config.describe()})", file=sys.stderr)
                return 1
        os.environ.setdefault("NEO4J_URI", config.uri)
        app = create_app({"NEO4J_URI": config.uri, "NEO4J_USER": config.user,
                          "NEO4J_PASSWORD": config.password, "NEO4J_DATABASE": config.database or ""})
        print(f"peergraph is serving http://{args.host}:{args.port}  (Ctrl-C stops it"
              + (" and the Neo4j it started)" if started else ")"), file=sys.stderr)
        app.run(host=args.host, port=args.port, debug=args.debug, threaded=True, use_reloader=False)
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        if started:
            print("Stopping the local Neo4j ...", file=sys.stderr)
            started.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python app.py", description="peergraph")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start Neo4j if needed, load the sample into an empty graph, serve")
    run.add_argument("--host", default=os.environ.get("PEERGRAPH_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("PEERGRAPH_PORT", "8050")))
    run.add_argument("--no-sample", dest="sample", action="store_false", help="do not load the sample")
    run.add_argument("--debug", action="store_true", help="Dash/Flask debug mode (development only)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The driver logs every retry of a transaction as a warning; the API's 503 already says it.
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
