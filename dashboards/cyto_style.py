"""The Cytoscape look, as data: one stylesheet for every graph view (explorer, paths, console).

Elements carry ``data.type`` (author, paper, topic, institution) and the same
word as their class; edges carry ``data.type`` (AUTHORED, COAUTHOR, ABOUT,
AFFILIATED_WITH, CITES, PART_OF) lower-cased as their class. Sizes come from
``data.size`` (a number the element builder scales, 20-80). Researchers in a
community of the view carry ``data.colour`` (views.layout), which wins over
the type colour; the shape still says the type. Label font sizes, which labels
show, and the ``pg-dim``/``pg-hover``/``pg-found`` classes are the browser's
part (assets/graph_labels.js); ``highlight()`` swaps in extra rules rather
than mutating elements.
"""

from __future__ import annotations

from typing import Any

# type -> (colour, shape, legend text)
NODE_TYPES: dict[str, tuple[str, str, str]] = {
    "author": ("#2563eb", "ellipse", "Researcher"),
    "paper": ("#f59e0b", "round-rectangle", "Paper"),
    "topic": ("#10b981", "diamond", "Topic"),
    "institution": ("#8b5cf6", "hexagon", "Institution"),
    "other": ("#94a3b8", "ellipse", "Other"),
}

EDGE_TYPES: dict[str, str] = {
    "authored": "#cbd5e1",
    "coauthor": "#60a5fa",
    "about": "#6ee7b7",
    "affiliated_with": "#c4b5fd",
    "cites": "#fcd34d",
    "part_of": "#a7f3d0",
}

STYLESHEET: list[dict[str, Any]] = [
    {"selector": "node", "style": {
        "label": "data(label)", "font-size": 10, "text-valign": "bottom", "text-halign": "center",
        "text-margin-y": 3, "text-wrap": "ellipsis", "text-max-width": 150, "color": "#1d2733",
        "text-outline-color": "#ffffff", "text-outline-width": 1.5, "text-outline-opacity": 0.9,
        "width": "data(size)", "height": "data(size)", "border-width": 1, "border-color": "#ffffff",
    }},
    *[{"selector": f".{name}", "style": {"background-color": colour, "shape": shape}}
      for name, (colour, shape, _) in NODE_TYPES.items()],
    {"selector": "node[colour]", "style": {"background-color": "data(colour)"}},
    {"selector": "edge", "style": {
        "width": 1.5, "curve-style": "bezier", "line-color": "#cbd5e1", "opacity": 0.8,
    }},
    *[{"selector": f"edge.{name}", "style": {"line-color": colour}} for name, colour in EDGE_TYPES.items()],
    {"selector": "edge.coauthor", "style": {"width": "mapData(weight, 1, 20, 1.5, 8)"}},
    {"selector": "edge.cites", "style": {"target-arrow-shape": "triangle", "target-arrow-color": "#fcd34d"}},
    {"selector": ".centre", "style": {"border-width": 4, "border-color": "#111827"}},
    {"selector": ".more", "style": {"background-color": "#e2e8f0", "shape": "round-rectangle",
                                    "color": "#475569", "font-style": "italic"}},
    {"selector": ":selected", "style": {"border-width": 4, "border-color": "#ef4444"}},
    {"selector": ".pg-dim", "style": {"opacity": 0.12}},
    {"selector": "node.pg-hover", "style": {"border-width": 3, "border-color": "#111827", "z-index": 20}},
    {"selector": "node.pg-found", "style": {"border-width": 4, "border-color": "#f97316", "z-index": 20}},
]


def highlight(ids: list[str]) -> list[dict[str, Any]]:
    """The stylesheet with the given element ids emphasised and the rest faded."""
    if not ids:
        return STYLESHEET
    selector = ", ".join(f'[id = "{_quote(i)}"]' for i in ids)
    return [*STYLESHEET,
            {"selector": "node, edge", "style": {"opacity": 0.25}},
            {"selector": selector, "style": {"opacity": 1, "border-width": 3, "border-color": "#ef4444"}}]


def _quote(value: str) -> str:
    """An id made safe inside a Cytoscape selector string (ids come from data, not code)."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


def legend() -> list[tuple[str, str, str]]:
    """(colour, shape, text) for each node type, for a legend widget."""
    return [value for key, value in NODE_TYPES.items() if key != "other"]
