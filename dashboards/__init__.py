"""The Dash app, mounted on the Flask server: one module per page in ``dashboards/pages``.

Pages register themselves with ``dash.register_page`` and their callbacks with
``@dash.callback``; they call functions in ``graph/`` and never hold Cypher.
Dash moves ``@dash.callback`` callbacks into the first app set up in a process,
so a process serves one Dash app (tests share one per session).
"""

from __future__ import annotations

from pathlib import Path

import dash
from flask import Flask

PAGES = Path(__file__).resolve().parent / "pages"
ASSETS = Path(__file__).resolve().parent / "assets"


def init_app(server: Flask) -> dash.Dash:
    """Mount the Dash app on ``server`` at ``/``."""
    from dashboards import components
    from dashboards.background import manager

    app = dash.Dash(
        __name__, server=server, use_pages=True, pages_folder=str(PAGES), assets_folder=str(ASSETS),
        title="peergraph", update_title=None, suppress_callback_exceptions=True,
        background_callback_manager=manager(),
    )
    app.layout = components.shell
    server.extensions["peergraph.dash"] = app
    return app
