"""Which Neo4j to use: the one ``NEO4J_URI`` names, else the project's local server."""

from __future__ import annotations

from graph.db import GraphConfig
from graph.server import USER, LocalServer, ServerError


def local_config(server: LocalServer | None = None) -> GraphConfig:
    """Settings of the running local server (ServerError when none runs)."""
    server = server or LocalServer()
    info = server.info()
    if not info:
        raise ServerError(f"no local Neo4j is running (home {server.home}); "
                          "run `python -m graph.server start` or set NEO4J_URI")
    return GraphConfig(uri=info.uri, user=USER, password=server.password(), database="neo4j")


def resolve(*, start: bool = False, quiet: bool = False) -> tuple[GraphConfig, LocalServer | None]:
    """The graph's settings, and the local server when this call started it (the caller stops it).

    With ``NEO4J_URI`` set nothing is provisioned. Otherwise the local server is
    used, and started when ``start`` is true and it is not running yet.
    """
    external = GraphConfig.from_env()
    if external:
        return external, None
    server = LocalServer()
    started = None
    if not server.info():
        if not start:
            return local_config(server), None  # raises ServerError with the hint
        server.start(quiet=quiet, owned=True)  # the caller stops it; so does Linux if the caller dies
        started = server
    return local_config(server), started
