"""gunicorn settings for peergraph: ``gunicorn -c gunicorn.conf.py`` (what ``make serve`` runs).

Where it listens and how many workers and threads: ``PEERGRAPH_*`` variables (README, Settings);
everything else here is overridden by gunicorn's own flags (``--timeout 120``) or ``GUNICORN_CMD_ARGS``.
The app is built by ``app:create_app()`` in every worker after the fork (``preload_app`` off),
so each worker process has its own Neo4j driver, with a connection pool sized for its threads.
It finds Neo4j as ``python app.py run`` does: ``NEO4J_URI``, else the running local server.
"""

import os

wsgi_app = "app:create_app()"
bind = [f"{os.environ.get('PEERGRAPH_HOST', '127.0.0.1')}:{os.environ.get('PEERGRAPH_PORT', '8050')}"]

# Requests mostly wait on Neo4j (same machine or not): a few processes, each with threads.
workers = int(os.environ.get("PEERGRAPH_WORKERS", os.cpu_count() or 2))
worker_class = "gthread"
threads = int(os.environ.get("PEERGRAPH_THREADS", "8"))
preload_app = False  # never build the app (and its driver) in the master: drivers do not survive a fork

# The console's own limit is 10 s (PEERGRAPH_CONSOLE_TIMEOUT); a worker stuck far longer is restarted.
timeout = 60
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, staggered, so no slow leak ever grows for long.
max_requests = 20_000
max_requests_jitter = 2_000

accesslog = "-"
errorlog = "-"
loglevel = "info"
proc_name = "peergraph"
# gunicorn 25+ opens a control socket (for gunicornc) at one path per user: two instances would fight over
# it. Signals still manage the master (HUP reloads, TTIN/TTOU add or remove a worker, TERM stops).
control_socket_disable = True


def post_fork(server, worker):
    """In the new worker, before it builds the app: its pool size, and its loggers.

    A request holds at most one connection at a time, so the pool is the worker's threads plus a
    little headroom (``PEERGRAPH_POOL_SIZE`` overrides). The app's own loggers (API errors, the
    driver's) go to stderr beside gunicorn's.
    """
    from app import configure_logging

    os.environ.setdefault("PEERGRAPH_POOL_SIZE", str(server.cfg.threads + 2))
    configure_logging()
