"""Widgets of the account pages: form fields, messages, the claim badge and the trust panel.

Callbacks that change state write to outputs whose ids start with ``acct-``: ``accounts.web`` requires the CSRF
token on exactly those (Dash's renderer sends the ``_csrf_token`` cookie back as ``X-CSRFToken``).
"""

from __future__ import annotations

from urllib.parse import quote

from dash import dcc, html

from graph import trust as graph_trust


def field(label: str, field_id: str, kind: str = "text", **props: object) -> html.Label:
    return html.Label([html.Span(label), dcc.Input(id=field_id, type=kind, className="pg-input", debounce=False,
                                                   **props)], className="pg-field")


def message(text: str, ok: bool = True) -> html.Div:
    return html.Div(text, className="pg-banner " + ("pg-banner-ok" if ok else "pg-banner-error"),
                    role="status" if ok else "alert")


def claim_badge(status: str, level: str) -> str:
    """``Claimed · L2``, ``Unclaimed author · L1``, ``Claim pending · L1``, ``Claim disputed · L1``."""
    words = {"claimed": "Claimed", "pending": "Claim pending", "disputed": "Claim disputed"}
    return f"{words.get(status, 'Unclaimed author')} · {level}"


def trust_href(author_id: str) -> str:
    return f"/author/{quote(author_id, safe='')}#trust"


def trust_panel(snap: graph_trust.Trust) -> html.Section:
    """Every component with weight, value and points, then penalties, adding up to the score as shown."""
    rows = [html.Tr([html.Td(c.label), html.Td(c.weight), html.Td(f"{c.value:.2f}"), html.Td(f"+{c.points}"),
                     html.Td(_evidence(c.evidence)), html.Td(c.how_to_raise, className="pg-note")])
            for c in snap.components]
    rows += [html.Tr([html.Td(p.label), html.Td(""), html.Td(""), html.Td(str(p.points)),
                      html.Td(_evidence(p.evidence)), html.Td("")], className="pg-penalty") for p in snap.penalties]
    sum_text = " + ".join(str(c.points) for c in snap.components) + "".join(
        f" − {-p.points}" for p in snap.penalties if p.points)
    return html.Section(id="trust", className="pg-section pg-trust", children=[
        html.H2(f"Trust {snap.score} – {snap.band}", id="trust-heading"),
        html.P("Confidence in the identity and the record of this profile; not a measure of research quality, "
               "and never used to sort.", className="pg-note"),
        html.Table([html.Thead(html.Tr([html.Th(h) for h in ("Component", "Weight", "Value", "Points",
                                                             "Evidence", "How to raise it")])),
                    html.Tbody(rows)], className="pg-table"),
        html.P(f"{sum_text} = {snap.score}", id="trust-sum"),
        html.P(f"Formula {snap.version}; data up to {snap.data_date or 'unknown'}. "
               + " ".join(snap.notes), className="pg-note"),
    ])


def _evidence(items: list[dict]) -> str:
    parts = []
    for e in items[:5]:
        text = e.get("name") or e.get("title") or e.get("id") or e.get("domain") or e.get("status") or e.get("text")
        if e.get("kind") == "years":
            text = f"{e['first']}–{e['last']}"
        if e.get("kind") == "year":
            text = f"{e['year']}: {e['works']} works"
        parts.append(str(text or e.get("kind", "")))
    return "; ".join(parts)
