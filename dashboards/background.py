"""The manager of Dash background callbacks (long jobs started from a page, such as a harvest).

``DiskcacheManager`` under the data dir by default; ``CeleryManager`` on Redis when
``PEERGRAPH_CELERY_BROKER_URL`` is set (several app servers share the jobs).
"""

from __future__ import annotations

import os
from typing import Any


def manager() -> Any:
    broker = os.environ.get("PEERGRAPH_CELERY_BROKER_URL")
    if broker:
        try:
            from celery import Celery
        except ImportError as exc:
            raise RuntimeError("PEERGRAPH_CELERY_BROKER_URL is set but celery is not installed: "
                               "pip install 'celery[redis]'") from exc
        from dash import CeleryManager

        return CeleryManager(Celery(__name__, broker=broker, backend=broker))
    import diskcache
    from dash import DiskcacheManager

    from graph.server import data_dir

    return DiskcacheManager(diskcache.Cache(str(data_dir() / "dash-jobs")))
