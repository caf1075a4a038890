"""The profile's AI share and novelty figures, their method, and a work's novelty/CD line (data in, components out)."""

from __future__ import annotations

from dash import html

from graph import metrics as m

HOW_ID = "how-metrics"


def _percent(value: float) -> str:
    return f"{round(value * 100)} %"


def metric_stats(metrics: m.AuthorMetrics) -> list[html.Div]:
    """Two figures like the profile's other stats, each with its coverage, version and a link to the method."""
    ai, nov = metrics.ai_share, metrics.novelty
    ai_cover = (f"{ai.ai_works} of {ai.works_considered} judged works" if ai.value is not None
                else ai.reason or "not enough data")
    if ai.value is not None and ai.works_considered < ai.works:
        ai_cover += f" ({ai.works - ai.works_considered} of {ai.works} could not be judged)"
    nov_cover = (f"{nov.novel_works} of {nov.eligible_works} eligible works novel" if nov.value is not None
                 else nov.reason or "not enough data")
    return [
        _stat("AI share", _percent(ai.value) if ai.value is not None else "not enough data", ai_cover, ai.version,
              "author-ai-share"),
        _stat("Novelty", _percent(nov.value) if nov.value is not None else "not enough data", nov_cover,
              nov.version, "author-novelty"),
    ]


def _stat(label: str, value: str, coverage: str, version: str, ident: str) -> html.Div:
    return html.Div(className="pg-stat pg-metric", id=ident, children=[
        html.Div(value, className="pg-stat-value"),
        html.Div(label, className="pg-stat-label"),
        html.Div(coverage, className="pg-metric-cover"),
        html.Div([html.Span(version, className="pg-metric-version"), " · ",
                  html.A("how this is computed", href=f"#{HOW_ID}", className="pg-metric-how")],
                 className="pg-note"),
    ])


HOW = [
    html.P(["AI share (", m.AI_SHARE_VERSION, "): the share of the works that are AI work, among the works that "
            "can be judged. A work is AI work when one of its arXiv categories is ",
            ", ".join(sorted(m.AI_CATEGORIES)), ", or when its OpenAlex primary topic lies under the subfield 1702 "
            "\u201cArtificial Intelligence\u201d. Works with neither an arXiv category nor an OpenAlex primary topic "
            "cannot be judged and are left out."]),
    html.P(["Novelty (", m.NOVELTY_VERSION, ", Lee, Walsh & Wang 2015): every cited paper has a class (its primary "
            "arXiv category, else the OpenAlex subfield of its primary topic). For all papers of a year, each pair "
            "of references counts for its pair of classes; a pair's commonness is N_ij\u00b7N / (N_i\u00b7N_j), "
            "1 meaning as often as chance. A work with at least ", str(m.MIN_REFERENCES), " classified references in "
            "the graph is novel when the 10th percentile of its pairs' commonness is below 1; the figure is the "
            "share of such works that are novel, shown from ", str(m.MIN_ELIGIBLE_WORKS), " eligible works. Each "
            "work shows its rarest pair."]),
    html.P(["CD (", m.CD_VERSION, ", Funk & Owen-Smith 2017), per work with at least ", str(m.MIN_CD_REFERENCES),
            " references and ", str(m.MIN_CD_CITATIONS), " citing papers in the graph: papers citing the work but "
            "none of its references, minus those citing both, over all papers citing either; from -1 (consolidating) "
            "to 1 (disruptive). All three follow the data loaded in the graph and are recomputed after every load. "
            "The README's \u201cProfile metrics\u201d section and docs/metrics.md give the details."]),
]


def how_metrics() -> html.Details:
    """The method, on the page: the target of the figures' "how this is computed" links."""
    return html.Details([html.Summary("How AI share, novelty and CD are computed"), *HOW], id=HOW_ID,
                        className="pg-how", open=False)


def work_metric_line(wm: m.WorkMetrics | None) -> html.Div | None:
    """A work's rarest cited pair and its CD, where the graph has them."""
    if wm is None:
        return None
    parts: list[html.Span] = []
    if wm.rarest is not None and wm.rarest_commonness is not None and wm.p10 is not None:
        label = "novel" if wm.novel else "conventional"
        parts.append(html.Span(f"{label}: rarest cited pair {wm.rarest[0]} \u00d7 {wm.rarest[1]} "
                               f"(commonness {wm.rarest_commonness:.2g})", className="pg-work-novelty",
                               title=f"10th-percentile commonness {wm.p10:.3g}"))
    if wm.cd is not None:
        parts.append(html.Span(f"CD {wm.cd:+.2f}", className="pg-work-cd",
                               title="disruption index (Funk & Owen-Smith 2017)"))
    return html.Div(parts, className="pg-work-metrics pg-note") if parts else None
