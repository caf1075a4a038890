"""The author-name normaliser: display names, raw variants and ``name:`` keys.

A name-only author (arXiv, Paperscape, plain lists) is keyed by
``<last>_<first initial>``: accents (also TeX accents like ``Bal\\'azs``) and
case folded, punctuation dropped, spaces and hyphens inside a surname folded to
``-``. "Last, First", "First Last", "F. Last" and Paperscape's "F.M.Last" give
the same key; suffixes (Jr., III) are dropped. Collaborations ("The BABAR
Collaboration") are authors of their own, keyed by their whole name.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# TeX accent commands -> Unicode combining marks.
_TEX_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331",
}
_TEX_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
    "aa": "å", "AA": "Å", "i": "ı", "j": "ȷ",
}
_TEX_ACCENT_RE = re.compile(r"""\\([`'^"~=.]|[uvHckrdb](?=[\s{]))\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))""")
_TEX_LETTER_RE = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])\s*(?:\{\})?")
# Letters NFKD does not decompose, folded by hand.
_FOLD = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe",
                       "Œ": "oe", "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "ȷ": "j", "ħ": "h"})
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "2nd", "3rd"}
# Degrees and post-nominals written after a comma in OpenAlex's raw bylines ("Mohit Bhandari, MD, PhD"), dots
# ignored. Only after a "First Last" part ("Rahman, Md" is surname first), and never written as a name ("Md").
_DEGREES = {"md", "phd", "msc", "mph", "mba", "ms", "ma", "ba", "bsc", "mbbs", "mbchb", "mb", "bs", "frcpc",
            "frcsc", "frcs", "frcp", "facs", "facp", "rn", "np", "pharmd", "dphil", "dds", "dmd", "dsc", "mhsc",
            "bscn", "mscn", "ccfp", "facc", "faha", "fasco", "mpp", "med", "edd", "psyd", "pt", "ot", "cpa"}
# Lower-case words that belong to the surname that follows them ("van der Waals", "St. John").
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "dei", "di", "da", "dos", "das", "do", "du",
              "le", "la", "ten", "ter", "st", "st.", "saint", "af", "al", "el", "bin", "ibn", "zu", "y"}
_GROUP_WORDS = re.compile(r"\b(collaborations?|consortium|collaborative|investigators|task force|committee|"
                          r"group|team|network|project|initiative|working party)\b", re.IGNORECASE)
_ET_AL = re.compile(r"^\s*(and\s+)?et\.?\s*al\.?\s*$", re.IGNORECASE)
# The parsers' other patterns, compiled once (re.sub with a pattern text looks it up in re's cache each call);
# SPACES and NOT_ALNUM (runs of what is not a letter or digit of folded text) also serve the other parsers.
SPACES = re.compile(r"\s+")
NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SLUG_DROPPED = re.compile(r"['’`.]")
_GLUED_INITIAL = re.compile(r"\.(?=[^\s.\-])")
_WORD_DOT = re.compile(r"\b([^\W\d_]{2,})\.(?= )")
_ON_BEHALF = re.compile(r"^(for|on behalf of)\s+", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^()]*\)")
_INITIAL = re.compile(r"[A-Z]\.")
_TEX_SPACE = re.compile(r"\\[,;:! ]|~")
_ET_AL_ANYWHERE = re.compile(r"\bet\.? al\b", re.IGNORECASE)
_SEPARATORS = re.compile(r",|;|\band\b|&")
_ON_BEHALF_OF_THE = re.compile(r"^(for|on behalf of)\s+(the\s+)?", re.IGNORECASE)
_TRAILING_ET_AL = re.compile(r"\bet\.? al\.?$", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_WORD_CHARACTER = re.compile(r"\w")


@dataclass(frozen=True)
class Name:
    """One author name as a source gave it: the display form, the raw spelling and the key."""

    display: str
    raw: str
    key: str


def detex(text: str) -> str:
    """TeX accents and letters as Unicode (``Bal\\'azs`` -> ``Balázs``), stray braces dropped."""
    if "\\" not in text and "{" not in text:
        return text

    def accent(m: re.Match[str]) -> str:
        letter = (m.group(2) or m.group(3)).lstrip("\\")
        letter = {"i": "i", "j": "j"}.get(letter, letter)
        return unicodedata.normalize("NFC", letter + _TEX_ACCENTS[m.group(1)])

    text = _TEX_ACCENT_RE.sub(accent, text)
    text = _TEX_LETTER_RE.sub(lambda m: _TEX_LETTERS[m.group(1)], text)
    return SPACES.sub(" ", text.replace("{", "").replace("}", "")).strip()


# Names and institution names repeat across a dump (a prolific author on thousands of papers): the
# normalisers are pure, so their results are cached (bounded; a Name is frozen).
@functools.lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Lower-case ASCII-ish form: accents stripped (also TeX ones), special letters folded."""
    text = unicodedata.normalize("NFKD", detex(text).translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c)).translate(_FOLD).lower()


def _slug(text: str) -> str:
    """Letters and digits of a folded word; apostrophes and dots vanish, other punctuation splits."""
    text = _SLUG_DROPPED.sub("", fold(text))
    return NOT_ALNUM.sub("-", text).strip("-")


def is_group(name: str) -> bool:
    """A collaboration or committee rather than a person ("The BABAR Collaboration")."""
    return bool(_GROUP_WORDS.search(name))


def is_et_al(text: str) -> bool:
    return bool(_ET_AL.match(text))


def group_key(name: str) -> str:
    words = [w for w in NOT_ALNUM.split(fold(detex(name))) if w]
    if words and words[0] == "the":
        words = words[1:]
    return "_".join(words)


def split_name(name: str) -> tuple[str, str]:
    """(last, first) of a person's name in any of the common forms; suffixes dropped."""
    name = SPACES.sub(" ", detex(name)).strip().strip(",;")
    head, comma, tail = name.partition(",")
    if comma and " " in head.strip() and all(
            _is_degree(w) for part in tail.split(",") for w in part.split()) and tail.strip():
        name = head.strip()
    if "," in name:
        last, _, first = name.partition(",")
        parts = [p.strip() for p in first.split(",") if p.strip()]
        parts = [p for p in parts if p.lower() not in _SUFFIXES]
        last_tokens = last.split()
        while len(last_tokens) > 1 and last_tokens[-1].lower() in _SUFFIXES:
            last_tokens.pop()
        return " ".join(last_tokens), " ".join(parts)
    tokens = name.split(" ")
    while len(tokens) > 1 and tokens[-1].lower().rstrip(",") in _SUFFIXES:
        tokens.pop()
    if len(tokens) == 1:
        # Paperscape's "U.M.Heller" / "B.Al.Berg": initials glued to the surname.
        token = tokens[0]
        if "." in token.rstrip("."):
            head, _, last = token.rstrip(".").rpartition(".")
            return last, head + "."
        return token, ""
    # Paperscape's "J.D.van der Waals": initials glued to the first word.
    if "." in tokens[0].rstrip(".") and not tokens[0].endswith("."):
        head, _, rest = tokens[0].rpartition(".")
        tokens = [head + ".", rest, *tokens[1:]] if rest else tokens
    last_start = len(tokens) - 1
    while last_start > 1 and tokens[last_start - 1].lower() in _PARTICLES:
        last_start -= 1
    return " ".join(tokens[last_start:]), " ".join(tokens[:last_start])


def _is_degree(word: str) -> bool:
    """A degree as printed ("MD", "Ph.D.", "MSc") or a suffix; not a capitalised word ("Md", "Ma."), which is
    more likely a given name (Mohammad, María) after a two-word surname."""
    bare = word.replace(".", "")
    return (bare.lower() in _DEGREES and not bare.istitle()) or word.lower() in _SUFFIXES


def person_key(last: str, first: str) -> str:
    """``<last>_<first initial>``, or ``<last>`` when there is no first name."""
    surname = _slug(last)
    initial = _slug(first)[:1]
    if not surname:
        surname, initial = initial, ""
    return f"{surname}_{initial}" if initial else surname


def display_name(last: str, first: str) -> str:
    """"First Last", initials spaced ("T.D." -> "T. D."; Paperscape's "Thomas.D." -> "Thomas D.")."""
    given = _GLUED_INITIAL.sub(". ", detex(first).strip())
    given = _WORD_DOT.sub(r"\1", given)
    return " ".join(p for p in (given, detex(last).strip()) if p)


@functools.lru_cache(maxsize=1 << 19)
def parse_name(raw: str) -> Name | None:
    """A Name for one raw author string; None when nothing is left (empty, "et al")."""
    raw = SPACES.sub(" ", raw).strip().strip(",;:")
    if not raw or is_et_al(raw):
        return None
    if is_group(raw):
        display = detex(_ON_BEHALF.sub("", raw)).strip()
        key = group_key(display)
        return Name(display, raw, f"name:{key}") if key else None
    last, first = split_name(raw)
    key = person_key(last, first)
    if not key:
        return None
    return Name(display_name(last, first) or detex(raw), raw, f"name:{key}")


def parsed_name(last: str, first: str, suffix: str = "") -> Name | None:
    """A Name from arXiv's ``authors_parsed`` triple [last, first, suffix]."""
    last, first = (last or "").strip(), (first or "").strip()
    whole = f"{first} {last}".strip()
    if not whole or is_et_al(whole):
        return None
    if is_group(whole):
        return parse_name(whole)
    key = person_key(last, first)
    return Name(display_name(last, first), whole, f"name:{key}") if key else None


def _strip_parentheses(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _PARENTHESES.sub(" ", text)
    return text.replace("(", " ").replace(")", " ")


def _split_glued(chunk: str) -> list[str]:
    """Two names with no separator, as in "Ketan D. Mulmuley Hariharan Narayanan".

    Split after the word that follows a middle initial when both halves keep at
    least two capitalised words; anything less certain stays one name.
    """
    tokens = chunk.split()
    if len(tokens) < 4 or any(t.lower() in _PARTICLES for t in tokens):
        return [chunk]
    for i in range(1, len(tokens) - 2):
        if _INITIAL.fullmatch(tokens[i]) and not _INITIAL.fullmatch(tokens[i + 1]):
            left, right = tokens[: i + 2], tokens[i + 2 :]
            if len(right) >= 2 and all(t[:1].isupper() and not t.endswith(".") for t in right):
                return [" ".join(left), " ".join(right)]
    return [chunk]


def split_authors(text: str) -> tuple[list[str], bool]:
    """The raw names in an arXiv ``authors`` string, and whether the list is complete (no "et al").

    Affiliations in parentheses are removed; names are separated by commas,
    " and " and "&"; a "X Collaboration:" prefix is an author of its own.
    """
    # TeX spacing ("M. Finger,\\, Jr.") and ties are spaces.
    text = _TEX_SPACE.sub(" ", text)
    text = SPACES.sub(" ", text).strip()
    complete = not _ET_AL_ANYWHERE.search(text)
    names: list[str] = []
    head, sep, rest = text.partition(":")
    if sep and is_group(head) and "(" not in head:
        names.append(head.strip())
        text = rest
    text = _strip_parentheses(text)
    for chunk in _SEPARATORS.split(text):
        chunk = chunk.strip()
        if not chunk or is_et_al(chunk):
            continue
        chunk = _ON_BEHALF_OF_THE.sub("", chunk).strip()
        chunk = _TRAILING_ET_AL.sub("", chunk).strip()
        if is_group(chunk):
            chunk = _LEADING_THE.sub("", chunk)
        if chunk.lower() in _SUFFIXES or not _WORD_CHARACTER.search(chunk):
            continue  # "M. Finger, Jr.": the suffix is not an author
        if chunk:
            names.extend(_split_glued(chunk))
    return names, complete

