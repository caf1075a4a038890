"""Where an entity lives in the web app: the one rule the pages and the API's ``url`` fields share."""

from __future__ import annotations

from urllib.parse import quote, urlencode

_PAGES = {"author": "/author/", "topic": "/topic/", "institution": "/institution/"}


def entity_href(kind: str, entity_id: str) -> str:
    """The page of an entity; ids are URL-encoded (they hold ':' and may hold '/').

    Papers have no page of their own: they open in the explorer.
    """
    if kind in _PAGES:
        return _PAGES[kind] + quote(entity_id, safe=":")
    return "/explore?" + urlencode({"centre": entity_id})
