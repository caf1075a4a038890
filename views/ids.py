"""Dash component ids that more than one module names: a page's layout, its callbacks, and the tests.

One name per id, so renaming an id cannot leave a callback or a check behind
(the console's run buttons were once also spelled out in app.py's rate limit).
"""

from __future__ import annotations

# The analyst console (dashboards/pages/cypher.py, dashboards/console_widgets.py)
CONSOLE_RUN = "console-run"
CONSOLE_EXPLAIN = "console-explain"
CONSOLE_PROFILE = "console-profile"
CONSOLE_MODES = {CONSOLE_RUN: "run", CONSOLE_EXPLAIN: "explain", CONSOLE_PROFILE: "profile"}  # button → mode
CONSOLE_QUERY = "console-query"
CONSOLE_PARAMS = "console-params"
CONSOLE_STATUS = "console-status"
CONSOLE_RESULT = "console-result"
CONSOLE_AUTORUN = "console-autorun"
CONSOLE_LASTRUN = "console-lastrun"
CONSOLE_VIEW = "console-view"
CONSOLE_ERROR = "console-error"

# The page shell (dashboards/components.py)
URL = "pg-url"
SEARCH_QUERY = "pg-search-q"
SEARCH_SUGGEST = "pg-search-suggest"
