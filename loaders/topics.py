"""arXiv categories as Topic nodes: ``arxiv:cs.LG`` (category) PART_OF ``arxiv:cs`` (field)."""

from __future__ import annotations

import re

from loaders.model import BadRecord, Topic

# arXiv's groups. Physics archives without a dot (hep-th, gr-qc ...) and the
# retired archives of the 1990s are categories of the physics or maths group.
FIELDS = {
    "cs": "Computer Science", "math": "Mathematics", "physics": "Physics", "stat": "Statistics",
    "eess": "Electrical Engineering and Systems Science", "econ": "Economics",
    "q-bio": "Quantitative Biology", "q-fin": "Quantitative Finance",
}
_MATH_ARCHIVES = {"alg-geom", "dg-ga", "funct-an", "q-alg"}
_OTHER_GROUP = {"cmp-lg": "cs"}

CATEGORY_NAMES = {
    "cs.AI": "Artificial Intelligence", "cs.CL": "Computation and Language", "cs.CV": "Computer Vision and "
    "Pattern Recognition", "cs.DC": "Distributed, Parallel, and Cluster Computing", "cs.DS": "Data Structures "
    "and Algorithms", "cs.IT": "Information Theory", "cs.LG": "Machine Learning", "cs.NE": "Neural and "
    "Evolutionary Computing", "cs.CC": "Computational Complexity", "cs.GR": "Graphics", "cs.RO": "Robotics",
    "stat.ML": "Machine Learning (Statistics)", "stat.ME": "Methodology", "stat.AP": "Applications",
    "eess.IV": "Image and Video Processing", "eess.SP": "Signal Processing",
    "physics.chem-ph": "Chemical Physics", "physics.comp-ph": "Computational Physics",
    "physics.optics": "Optics", "physics.bio-ph": "Biological Physics", "physics.flu-dyn": "Fluid Dynamics",
    "physics.data-an": "Data Analysis, Statistics and Probability", "physics.gen-ph": "General Physics",
    "cond-mat.dis-nn": "Disordered Systems and Neural Networks", "cond-mat.stat-mech": "Statistical Mechanics",
    "cond-mat.mtrl-sci": "Materials Science", "cond-mat.str-el": "Strongly Correlated Electrons",
    "cond-mat.mes-hall": "Mesoscale and Nanoscale Physics", "cond-mat.supr-con": "Superconductivity",
    "cond-mat.soft": "Soft Condensed Matter", "cond-mat": "Condensed Matter",
    "astro-ph": "Astrophysics", "gr-qc": "General Relativity and Quantum Cosmology",
    "hep-ph": "High Energy Physics - Phenomenology", "hep-th": "High Energy Physics - Theory",
    "hep-ex": "High Energy Physics - Experiment", "hep-lat": "High Energy Physics - Lattice",
    "nucl-th": "Nuclear Theory", "nucl-ex": "Nuclear Experiment", "quant-ph": "Quantum Physics",
    "math-ph": "Mathematical Physics", "math.MP": "Mathematical Physics", "math.PR": "Probability",
    "math.CO": "Combinatorics", "math.AG": "Algebraic Geometry", "math.NT": "Number Theory",
    "math.QA": "Quantum Algebra", "math.OC": "Optimization and Control", "math.NA": "Numerical Analysis",
    "q-bio.NC": "Neurons and Cognition", "q-bio.BM": "Biomolecules", "q-bio.QM": "Quantitative Methods",
}
_CATEGORY = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$")
_SEPARATORS = re.compile(r"[\s,]+")


def is_category(code: str) -> bool:
    return bool(_CATEGORY.match(code)) and field_of(code) is not None


def field_of(code: str) -> str | None:
    archive = code.split(".", 1)[0]
    if archive in FIELDS:
        return archive
    if archive in _OTHER_GROUP:
        return _OTHER_GROUP[archive]
    if archive in _MATH_ARCHIVES:
        return "math"
    if "-" in archive or archive in {"nlin", "quant-ph", "gr-qc"} or archive.isalpha():
        return "physics"  # hep-th, astro-ph, cond-mat, chao-dyn, solv-int ...
    return None


def categories(value: object) -> list[str]:
    """arXiv category codes from a space- or comma-separated string or a list, in order, de-duplicated."""
    if value is None:
        return []
    if isinstance(value, str):
        items = _SEPARATORS.split(value)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = value
    else:
        raise BadRecord(f"categories is {type(value).__name__}, expected a string or a list of strings")
    seen: list[str] = []
    for item in items:
        item = item.strip()
        if item and item not in seen:
            if not _CATEGORY.match(item):
                raise BadRecord(f"malformed arXiv category {item!r}")
            seen.append(item)
    return seen


def category_topic(code: str) -> Topic:
    group = field_of(code) or "physics"
    parent = Topic(f"arxiv:{group}", FIELDS[group], "arxiv", "field")
    return Topic(f"arxiv:{code}", CATEGORY_NAMES.get(code, code), "arxiv", "category", parent)


def category_topics(codes: list[str]) -> list[tuple[Topic, float]]:
    """ABOUT scores: 1.0 for the primary (first) category, 0.5 for the cross-lists."""
    return [(category_topic(code), 1.0 if i == 0 else 0.5) for i, code in enumerate(codes)]
