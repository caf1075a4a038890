"""peergraph: the Flask server with the Dash app and the REST API mounted on it.

``python app.py run``       start (or reuse) the local Neo4j, load the bundled sample
                            when the graph is empty, serve http://127.0.0.1:8050 (development server)
``python app.py prepare``   the same set-up without serving (what ``make serve`` runs first)
``python app.py digest [--period weekly|daily]``   mail the feed digests that are due (cron)
``gunicorn -c gunicorn.conf.py``   serve with several worker processes (``make serve``); it uses
                            ``NEO4J_URI``, or finds the running local server as ``python app.py run`` does

Every response carries security headers (a Content-Security-Policy that allows
only this origin's scripts and the hashes of Dash's own inline scripts), and
``POST /api/cypher`` is rate-limited per client address.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import signal
import sys
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response

log = logging.getLogger("peergraph")

DEFAULT_CYPHER_RATE_LIMIT = "60/minute"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app. Configuration: ``NEO4J_URI``/``USER``/``PASSWORD``/``DATABASE``, else the local server.

    ``test_config`` overrides any key; a ``GRAPH`` key hands in a ready ``graph.db.Graph``.
    The driver is made here, not at import: under gunicorn each worker calls this after the fork.
    """
    import api
    import dashboards
    from accounts import web as accounts_web
    from graph import ext

    app = Flask(__name__)
    app.config.from_mapping(
        NEO4J_URI=os.environ.get("NEO4J_URI", ""),
        NEO4J_USER=os.environ.get("NEO4J_USER", "neo4j"),
        NEO4J_PASSWORD=os.environ.get("NEO4J_PASSWORD", ""),
        NEO4J_DATABASE=os.environ.get("NEO4J_DATABASE", ""),
        NEO4J_POOL_SIZE=int(os.environ.get("PEERGRAPH_POOL_SIZE", "50")),
        CYPHER_RATE_LIMIT=os.environ.get("PEERGRAPH_CYPHER_RATE_LIMIT", DEFAULT_CYPHER_RATE_LIMIT),
        # memory:// counts per process; a shared store (redis://...) makes the limit per client across workers.
        RATELIMIT_STORAGE_URL=os.environ.get("PEERGRAPH_RATELIMIT_STORAGE_URL", "memory://"),
        PROXY_HOPS=int(os.environ.get("PEERGRAPH_PROXY_HOPS", "0")),
        JSON_SORT_KEYS=False,
        # Flask would take it from FLASK_DEBUG; only `python app.py run --debug` may turn it on.
        DEBUG=False,
    )
    if test_config:
        app.config.update(test_config)
        if app.testing and "CYPHER_RATE_LIMIT" not in test_config:
            # The suite's one app answers every test from one address; tests of the limit set it.
            app.config["CYPHER_RATE_LIMIT"] = "off"
    if not app.config.get("GRAPH") and not app.config["NEO4J_URI"]:
        from graph.connect import local_config

        local = local_config()  # the local server must be running: `python -m graph.server start`
        app.config.update(NEO4J_URI=local.uri, NEO4J_USER=local.user, NEO4J_PASSWORD=local.password,
                          NEO4J_DATABASE=local.database)
    if not app.config.get("GRAPH") and urlsplit(app.config["NEO4J_URI"]).password is not None:
        # The driver would refuse it with the whole URI, password included, in its message.
        raise ValueError("NEO4J_URI must not hold credentials: set NEO4J_USER and NEO4J_PASSWORD instead")
    app.json.sort_keys = False
    from accounts import passwords

    if passwords.fast_for_tests() and not app.testing:
        log.warning("%s=1: passwords are hashed with argon2's test profile, unfit for real accounts",
                    passwords.FAST_FOR_TESTS)
    ext.init_app(app)
    if not app.config.get("GRAPH"):
        # Under gunicorn: one line per worker, which shows each built its own driver after the fork.
        log.info("process %d: a driver for Neo4j at %s (user %s), connection pool %d", os.getpid(),
                 app.config["NEO4J_URI"], app.config["NEO4J_USER"], int(app.config["NEO4J_POOL_SIZE"]))
    accounts_web.init_app(app)
    api.init_app(app)
    from api import feed as api_feed

    api_feed.init_app(app)  # issue 13: the digest's unsubscribe link, outside /api (no session, no CSRF)
    dashboards.init_app(app)
    init_security(app)
    return app


# -- security: headers on every response, a rate limit on the console ---------------------------------------
# Dash renders its renderer bootstrap and clientside callbacks as inline <script>s: they are allowed by
# their hashes (Dash.csp_hashes), nothing else inline runs. Styles stay 'unsafe-inline': React, Plotly and
# Cytoscape set them at run time, and a style cannot run code.
PAGE_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# JSON, CSV and static files are never documents: they may load nothing.
OTHER_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # a profile's URL names whom you looked at: keep it off other sites
}


def page_csp(app: Flask) -> str:
    """The Content-Security-Policy of the Dash pages: this origin plus the hashes of Dash's inline scripts."""
    dash_app = app.extensions.get("peergraph.dash")
    hashes = dash_app.csp_hashes() if dash_app is not None else []
    directives = dict(PAGE_CSP, **{"script-src": " ".join([PAGE_CSP["script-src"], *hashes])})
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _security_headers(response: Response) -> Response:
    from flask import current_app

    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if "Content-Security-Policy" not in response.headers:
        html = response.mimetype == "text/html"
        response.headers["Content-Security-Policy"] = page_csp(current_app) if html else OTHER_CSP
    return response


def init_security(app: Flask) -> None:
    """Security headers on every response, the console's rate limit, and a trusted proxy's client address."""
    from views import limits

    limits.parse_rate(app.config.get("CYPHER_RATE_LIMIT"))  # a bad setting fails at start, not on a request
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind a reverse proxy every request comes from the proxy: take the client from X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    # Taken where a console query runs (api/console.py, dashboards/pages/cypher.py), not from request bodies.
    limits.init_app(app)  # the one limiter, also the accounts' (accounts/web.py)
    app.after_request(_security_headers)


# -- the command line -----------------------------------------------------------------------------------------
def configure_logging() -> None:
    """INFO to stderr; the driver only for errors (it logs every retry of a transaction as a warning); Alembic's
    plugin set-up (seven lines at every start) only for warnings, its migrations still at INFO."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _prepare(args: argparse.Namespace) -> tuple[Any, Any] | int:
    """Start the local Neo4j if needed, create the schema, load the sample into an empty graph.

    The graph's settings and the server this call started (or None), or an exit code on failure.
    """
    from graph import stats
    from graph.connect import resolve
    from graph.db import Graph
    from graph.errors import GraphError
    from graph.schema import ensure_schema
    from graph.server import ServerError

    try:
        config, started = resolve(start=True)
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        with Graph.connect(config) as db:
            ensure_schema(db)
            if args.sample and stats.counts(db).empty:
                from loaders.sample import load_sample

                print("The graph is empty: loading the bundled sample ...", file=sys.stderr)
                for summary in load_sample(db):
                    print(summary.line(), file=sys.stderr)
    except BaseException as exc:
        if started:
            started.stop()
        if isinstance(exc, GraphError):
            print(f"error: {exc} (Neo4j at {config.describe()})", file=sys.stderr)
            return 1
        raise
    return config, started


def _run(args: argparse.Namespace) -> int:
    # SIGTERM (e.g. from a process manager) stops us like Ctrl-C: the finally below stops Neo4j. SIGINT is set
    # too: a shell script's background job (`make run &`) inherits it ignored, and then `kill -INT` did nothing.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        prepared = _prepare(args)  # stops the Neo4j it started itself when a signal interrupts it
    except KeyboardInterrupt:
        return 130
    if isinstance(prepared, int):
        return prepared
    config, started = prepared
    try:
        os.environ.setdefault("NEO4J_URI", config.uri)
        app = create_app({"NEO4J_URI": config.uri, "NEO4J_USER": config.user,
                          "NEO4J_PASSWORD": config.password, "NEO4J_DATABASE": config.database or ""})
        print(f"peergraph is serving http://{args.host}:{args.port}  (Ctrl-C stops it"
              + (" and the Neo4j it started)" if started else ")"), file=sys.stderr)
        _print_tools_hint(config.uri)
        app.run(host=args.host, port=args.port, debug=args.debug, threaded=True, use_reloader=False)
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        if started:
            # We are on our way out: a repeated signal (a supervisor, make, a second Ctrl-C) must neither cut
            # the stop short nor be re-raised later inside some destructor as an "Exception ignored" traceback.
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            print("Stopping the local Neo4j ...", file=sys.stderr)
            started.stop()


def _print_tools_hint(uri: str) -> None:
    """Where Neo4j Browser and cypher-shell reach the graph, when it is the project's local server."""
    from graph.server import LocalServer

    local = LocalServer()
    info = local.info()
    if info and info.uri == uri:
        print(local.tools_hint(), file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python app.py", description="peergraph")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start Neo4j if needed, load the sample into an empty graph, serve")
    run.add_argument("--host", default=os.environ.get("PEERGRAPH_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("PEERGRAPH_PORT", "8050")))
    run.add_argument("--no-sample", dest="sample", action="store_false", help="do not load the sample")
    run.add_argument("--debug", action="store_true", help="Flask debug mode (development only, loopback only)")
    prepare = sub.add_parser("prepare", help="start Neo4j if needed, create the schema, load the sample "
                                             "into an empty graph, and leave Neo4j running (for make serve)")
    prepare.add_argument("--no-sample", dest="sample", action="store_false", help="do not load the sample")
    accounts = sub.add_parser("accounts", help="manage accounts (the account store, not the graph)")
    accounts_sub = accounts.add_subparsers(dest="accounts_command", required=True)
    make_admin = accounts_sub.add_parser("make-admin", help="give an existing account the admin role")
    make_admin.add_argument("email")
    digest = sub.add_parser("digest", help="mail the feed digests that are due (run it from cron: see README)")
    digest.add_argument("--period", choices=["weekly", "daily"], default="weekly",
                        help="send to the accounts with this setting (default weekly)")
    return parser


def _accounts(args: argparse.Namespace) -> int:
    """``accounts make-admin EMAIL``: works on the store alone, no Neo4j needed."""
    from accounts.store import AccountError, Store, url_for_data_dir
    from graph.server import data_dir

    store = Store(os.environ.get("PEERGRAPH_ACCOUNTS_URL") or url_for_data_dir(data_dir()))
    try:
        data_dir().mkdir(parents=True, exist_ok=True)
        store.migrate()
        account = store.set_role(args.email, "admin")
    except AccountError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"{account.email} is now an admin", file=sys.stderr)
    return 0


def _digest(args: argparse.Namespace) -> int:
    """``digest [--period weekly|daily]``: the account store and the mailer only, no Neo4j needed."""
    from accounts.digest import send_due
    from accounts.mail import Mailer
    from accounts.store import Store, url_for_data_dir
    from accounts.web import secret_key
    from graph.server import data_dir

    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    store = Store(os.environ.get("PEERGRAPH_ACCOUNTS_URL") or url_for_data_dir(folder))
    mailer = Mailer(outbox=folder / "outbox", smtp_url=os.environ.get("PEERGRAPH_SMTP_URL", ""),
                    sender=os.environ.get("PEERGRAPH_MAIL_FROM", "peergraph <noreply@localhost>"))
    try:
        store.migrate()
        run = send_due(store, mailer, secret_key(folder), os.environ.get("PEERGRAPH_PUBLIC_URL",
                                                                         "http://127.0.0.1:8050"), args.period)
    finally:
        store.close()
    print(run.line(), file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run" and args.debug and not is_loopback(args.host):
        # The debugger runs any code a visitor types: never on an address others can reach.
        print(f"error: --debug serves the interactive debugger; refusing to bind {args.host} "
              "(use 127.0.0.1)", file=sys.stderr)
        return 2
    configure_logging()
    if args.command == "accounts":
        return _accounts(args)
    if args.command == "digest":
        return _digest(args)
    if args.command == "prepare":
        prepared = _prepare(args)
        return prepared if isinstance(prepared, int) else 0
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
