"""The "Download network" control of the topic, institution and author pages: links to ``/api/<kind>s/<id>/export``."""

from __future__ import annotations

from urllib.parse import quote

from dash import html

# (format parameter, what the link says): one file each; VOSviewer and CSV come as two files.
CHOICES = (
    ("graphml", "GraphML (Gephi, Cytoscape)"),
    ("gexf", "GEXF (Gephi)"),
    ("vosviewer-map", "VOSviewer map file"),
    ("vosviewer-network", "VOSviewer network file"),
    ("csv-nodes", "CSV: authors"),
    ("csv-edges", "CSV: co-authorships"),
)


def export_href(kind: str, entity_id: str, fmt: str) -> str:
    """The download URL of one export file (the id URL-encoded whole: it may hold ``/`` or ``:``)."""
    return f"/api/{kind}s/{quote(entity_id, safe='')}/export?format={fmt}"


def export_menu(kind: str, entity_id: str) -> html.Details:
    """A small fold-out list of the co-authorship network's download links."""
    return html.Details(className="pg-export", id=f"{kind}-export", children=[
        html.Summary("Download co-authorship network", className="pg-action"),
        html.Ul([html.Li(html.A(label, href=export_href(kind, entity_id, fmt), download=""))
                 for fmt, label in CHOICES]),
        html.P("Up to 5,000 authors, most works first; python -m graph.export takes more.", className="pg-note"),
    ])
