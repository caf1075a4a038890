"""Every relative link in README.md and docs/*.md points to a file that exists, and to a heading in it.

The README is the entry and docs/ hold the depth, with links both ways; a section moved or renamed would
otherwise leave a link that leads nowhere. Anchors follow GitHub's rule for heading ids. No Neo4j needed.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# [text](target) and ![alt](target); the target ends at the first blank or closing parenthesis.
_LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def _prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks (a `# comment` or a link there is not Markdown)."""
    lines: list[str] = []
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def slug(heading: str) -> str:
    """GitHub's id for a heading: lower case, punctuation dropped (not - or _), spaces to hyphens."""
    text = _CODE_SPAN.sub(lambda m: m.group(2), heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The ids GitHub gives the headings of a Markdown file; a repeated id gets -1, -2, ..."""
    seen: dict[str, int] = {}
    ids: set[str] = set()
    for line in _prose_lines(path.read_text(encoding="utf-8")):
        match = _HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        ids.add(base if count == 0 else f"{base}-{count}")
    return ids


def links(path: Path) -> list[str]:
    """The link targets of a Markdown file, outside code blocks and code spans."""
    found: list[str] = []
    for line in _prose_lines(path.read_text(encoding="utf-8")):
        found.extend(_LINK.findall(_CODE_SPAN.sub("", line)))
    return found


def test_slug_follows_github() -> None:
    assert slug("Bad input: the rejects file") == "bad-input-the-rejects-file"
    heading = "`GET /api/topics/<id>` and `GET /api/institutions/<id>`"
    assert slug(heading) == "get-apitopicsid-and-get-apiinstitutionsid"
    assert slug("Identity (`bench.identity`)") == "identity-benchidentity"


def test_pages_have_links() -> None:
    # Guards the parser: if it found nothing, the test below would pass on any text.
    readme_links = links(ROOT / "README.md")
    assert any(t.startswith("docs/") for t in readme_links)
    assert "the-two-commands" in anchors(ROOT / "README.md")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page: Path) -> None:
    broken: list[str] = []
    for target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto: ... are not checked here
            continue
        file_part, _, fragment = target.partition("#")
        dest = (page.parent / unquote(file_part)).resolve() if file_part else page
        if not dest.exists():
            broken.append(f"{target}: no file {dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest}")
            continue
        if fragment and dest.suffix == ".md" and unquote(fragment) not in anchors(dest):
            broken.append(f"{target}: no heading #{fragment} in {dest.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)
