"""What a load tells those who watch it: a snapshot before the first write, a comparison after the derived data.

``load_files(..., watch=w)`` calls ``w.before(db)`` before it writes anything and the callable that returns
once the load and its derived data (``loaders.derive``, ``loaders.metrics``) are done. The feed
(``accounts.feed.FeedWatch``) is the watcher: the loaders know nothing about accounts. A load that fails
midway calls nothing after: its events are not derived (the next load compares with the partly loaded graph).
The bulk path (``loaders.bulk``) imports into an empty database only, where there is no "before" to compare.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from graph.db import Graph


class LoadWatch(Protocol):
    def before(self, db: Graph) -> Callable[[Graph], object]:
        """Look at the graph before the load; the returned callable looks again after it."""
        ...
