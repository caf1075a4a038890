"""The console's first line of defence: a lexical check of analyst Cypher before Neo4j sees it.

Pure functions, no database. ``check(text)`` lexes the query the way Neo4j
does (strings, backtick names, comments, parameters), then refuses, with the
reason and the place:

- more than one statement (a ``;`` followed by anything);
- writes (CREATE, MERGE, SET, REMOVE, DELETE, DETACH, FOREACH, INSERT, LOAD CSV,
  ``CALL {} IN TRANSACTIONS``) wherever they stand, also in subqueries;
- administration (SHOW, USE, DROP, ALTER, GRANT, DENY, REVOKE, START/STOP
  DATABASE, TERMINATE, ...) and query options (``CYPHER ...``);
- a procedure ``CALL`` not on ``ALLOWED_PROCEDURES``, a namespaced function
  outside ``FUNCTION_NAMESPACES`` (so every ``apoc.*``, ``dbms.*``, ``db.*``,
  ``gds.*``), ``file()`` and ``linenumber()``;
- characters outside strings and comments that are not plain ASCII (unicode
  look-alikes such as fullwidth ``ＣＲＥＡＴＥ``, zero-width or control
  characters): Neo4j would read some of them differently from a reviewer.

This is one layer of several: ``graph.console`` then asks Neo4j (EXPLAIN) for
the query type and runs what passes in a read-only transaction. The guard
errs on the side of refusing; a variable that is named like a write keyword
(``set``, ``create``) is refused with a hint to rename it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.errors import BadQuery

MAX_QUERY_LENGTH = 20_000

WRITE_KEYWORDS = {"CREATE", "MERGE", "SET", "REMOVE", "DELETE", "DETACH", "NODETACH", "FOREACH", "INSERT"}
FILE_KEYWORDS = {"LOAD"}
BATCH_KEYWORDS = {"TRANSACTIONS", "PERIODIC", "COMMIT"}
# Commands that administer the server; they may only start a statement, but they are
# also plausible variable names (start, show, use), so elsewhere they are refused only
# when a name follows them, as in `SHOW USERS` or `USE system`.
ADMIN_KEYWORDS = {"SHOW", "USE", "DROP", "ALTER", "GRANT", "DENY", "REVOKE", "RENAME", "START", "STOP",
                  "TERMINATE", "ENABLE", "DEALLOCATE", "REALLOCATE", "DRYRUN"}
# Words that may follow a variable in an expression or start the next clause.
CONTINUATIONS = {"AS", "AND", "OR", "XOR", "NOT", "IS", "IN", "STARTS", "ENDS", "CONTAINS", "ASC", "DESC",
                 "ASCENDING", "DESCENDING", "WHERE", "RETURN", "WITH", "MATCH", "OPTIONAL", "UNWIND", "ORDER",
                 "SKIP", "LIMIT", "OFFSET", "UNION", "CALL", "YIELD", "THEN", "ELSE", "END", "WHEN", "FINISH"}

ALLOWED_PROCEDURES = {
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization",
    "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
}
# Namespaces of Neo4j's built-in functions; anything else namespaced is a plugin (APOC, GDS) or admin.
FUNCTION_NAMESPACES = {"point", "date", "datetime", "localdatetime", "localtime", "time", "duration", "vector",
                       "vector.similarity"}
ALLOWED_FUNCTIONS: set[str] = set()  # e.g. db.nameFromElementId exists only in Enterprise
DENIED_FUNCTIONS = {"file", "linenumber"}

_ALLOWED_PROCEDURES_FOLDED = {p.casefold(): p for p in ALLOWED_PROCEDURES}
_ALLOWED_FUNCTIONS_FOLDED = {f.casefold() for f in ALLOWED_FUNCTIONS}
_ASCII_SPACE = " \t\n\r\f\v"


At = Callable[["Token"], tuple[int, int]]  # where a token stands, for the message


class Refused(BadQuery):
    """The console will not run this query; the message says what was refused and why."""

    def __init__(self, message: str, position: tuple[int, int] | None = None) -> None:
        where = f" at line {position[0]}, column {position[1]}" if position else ""
        super().__init__(f"refused: {message}{where}", code="Peergraph.Console.Refused", position=position)
        self.reason = message


@dataclass(frozen=True)
class Token:
    kind: str  # word, name (backticked), param, string, number, punct, space, comment
    text: str  # the source text of the token
    start: int  # offset in the query
    value: str = ""  # words: upper-case; names: unescaped; others: the text

    @property
    def significant(self) -> bool:
        return self.kind not in ("space", "comment")


@dataclass(frozen=True)
class Checked:
    """A query that passed the guard: the text to send and the mode a leading EXPLAIN/PROFILE asked for."""

    text: str
    mode: str | None = None
    procedures: list[str] = field(default_factory=list)


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _is_space(ch: str) -> bool:
    return ch in _ASCII_SPACE or unicodedata.category(ch) in ("Zs", "Zl", "Zp") or ch == "\x85"


def _word_char(ch: str) -> bool:
    """Letters, digits, '_' and the invisible or combining marks that could hide inside a word."""
    return ch.isalnum() or ch == "_" or (not ch.isascii() and unicodedata.category(ch) in ("Cf", "Mn", "Mc"))


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def tokens(text: str) -> list[Token]:
    """Lex ``text`` as Neo4j does; Refused on an unterminated string, name or comment, or a stray character."""
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        start = i
        if _is_space(ch):
            while i < n and _is_space(text[i]):
                i += 1
            out.append(Token("space", text[start:i], start))
        elif text.startswith("//", i):
            end = n
            for stop in ("\n", "\r"):
                found = text.find(stop, i)
                if found != -1:
                    end = min(end, found)
            i = end
            out.append(Token("comment", text[start:i], start))
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end == -1:
                raise Refused("the comment is not closed", position(text, start))
            i = end + 2
            out.append(Token("comment", text[start:i], start))
        elif ch in "'\"":
            i += 1
            while i < n and text[i] != ch:
                i += 2 if text[i] == "\\" else 1
            if i >= n:
                raise Refused("the string is not closed", position(text, start))
            i += 1
            out.append(Token("string", text[start:i], start, text[start:i]))
        elif ch == "`":
            i = _name_end(text, i)
            raw = text[start:i]
            out.append(Token("name", raw, start, raw[1:-1].replace("``", "`")))
        elif ch == "$":
            i += 1
            if i < n and text[i] == "`":
                i = _name_end(text, i)
            else:
                while i < n and (text[i].isalnum() or text[i] == "_"):
                    i += 1
            out.append(Token("param", text[start:i], start, text[start:i]))
        elif ch.isdigit() and ch.isascii():
            while i < n and (text[i].isalnum() or text[i] == "_"):
                i += 1
            if text.startswith(".", i) and i + 1 < n and text[i + 1].isdigit():
                i += 1
                while i < n and (text[i].isalnum() or text[i] == "_"):
                    i += 1
            out.append(Token("number", text[start:i], start, text[start:i]))
        elif _word_char(ch) and not ch.isdigit():
            while i < n and _word_char(text[i]):
                i += 1
            word = text[start:i]
            out.append(Token("word", word, start, _word_value(text, word, start)))
        elif ch.isascii() and ch.isprintable():
            i += 1
            out.append(Token("punct", ch, start, ch))
        else:
            raise Refused(f"the character {_describe(ch)} is not allowed outside strings and comments",
                          position(text, start))
    return out


def _name_end(text: str, i: int) -> int:
    """The offset after the backtick name starting at ``i`` (doubled backticks escape one)."""
    j = i + 1
    while True:
        end = text.find("`", j)
        if end == -1:
            raise Refused("the `name` is not closed", position(text, i))
        if text.startswith("``", end):
            j = end + 2
            continue
        return end + 1


def _word_value(text: str, word: str, start: int) -> str:
    """The upper-case word; Refused when it holds anything but ASCII (look-alikes, invisible characters)."""
    if word.isascii():
        return word.upper()
    plain = "".join(c for c in unicodedata.normalize("NFKC", word) if unicodedata.category(c) not in ("Cf", "Mn"))
    upper = plain.upper()
    if upper in WRITE_KEYWORDS | FILE_KEYWORDS | ADMIN_KEYWORDS | BATCH_KEYWORDS | {"CALL", "CYPHER"}:
        raise Refused(f"{upper} written with look-alike or invisible characters", position(text, start))
    odd = next(c for c in word if not c.isascii())
    raise Refused(f"the character {_describe(odd)} is not allowed outside strings and comments "
                  "(write names in ASCII or quote them with backticks)", position(text, start))


def _folded(token: Token) -> str:
    """A word or backtick name as compared with the allowlists: unescaped, NFKC, case-folded."""
    return unicodedata.normalize("NFKC", token.value if token.kind == "name" else token.text).casefold()


def check(text: str) -> Checked:
    """The query to send when ``text`` passes every lexical rule; Refused (a BadQuery) otherwise."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise Refused("the query is empty")
    if len(text) > MAX_QUERY_LENGTH:
        raise Refused(f"the query is longer than {MAX_QUERY_LENGTH:,} characters")
    toks = [t for t in tokens(text) if t.significant]
    if not toks:
        raise Refused("the query holds only comments")
    def at(t: Token) -> tuple[int, int]:
        return position(text, t.start)

    # One statement: a ';' may only end the query.
    for k, tok in enumerate(toks):
        if tok.kind == "punct" and tok.text == ";" and k != len(toks) - 1:
            raise Refused("several statements in one request; send one query at a time", at(toks[k + 1]))
    send = list(text)
    if toks[-1].text == ";":
        send[toks[-1].start] = " "
        toks = toks[:-1]
        if not toks:
            raise Refused("the query is empty")

    # A leading EXPLAIN or PROFILE picks the mode; the console adds it back itself.
    mode = None
    if toks[0].kind == "word" and toks[0].value in ("EXPLAIN", "PROFILE"):
        mode = toks[0].value.lower()
        for j in range(toks[0].start, toks[0].start + len(toks[0].text)):
            send[j] = " "
        toks = toks[1:]
        if not toks:
            raise Refused(f"{mode.upper()} of nothing")
    first = toks[0]
    if first.kind == "word" and first.value == "CYPHER":
        raise Refused("query options (CYPHER ...) are not supported in the console", at(first))
    if first.kind == "word" and first.value in ADMIN_KEYWORDS:
        raise Refused(f"administration commands are not allowed in the console ({first.value})", at(first))

    procedures: list[str] = []
    k = 0
    while k < len(toks):
        tok = toks[k]
        prev = toks[k - 1] if k else None
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if tok.kind == "word" and not _is_property_or_key(prev, nxt):
            _check_word(tok, nxt, at)
            if tok.value == "CALL":
                name_end = _check_call(toks, k, at)
                if name_end:
                    procedures.append(".".join(t.value if t.kind == "name" else t.text
                                               for t in toks[k + 1:name_end] if t.text != "."))
                    k = name_end
                    continue
        if tok.kind in ("word", "name") and not (prev and prev.text == "."):
            _check_function(toks, k, at)
        k += 1
    return Checked(text="".join(send), mode=mode, procedures=procedures)


def _is_property_or_key(prev: Token | None, nxt: Token | None) -> bool:
    """A word after '.' is a property key; a word between '{' or ',' and ':' is a map key."""
    if prev is not None and prev.text == ".":
        return True
    return prev is not None and prev.text in "{," and nxt is not None and nxt.text == ":"


def _check_word(tok: Token, nxt: Token | None, at: At) -> None:
    word = tok.value
    if word in WRITE_KEYWORDS:
        raise Refused(f"writes are not allowed in the console ({word})", at(tok))
    if word == "LOAD":
        raise Refused("reading files or URLs (LOAD CSV) is not allowed in the console", at(tok))
    if word in BATCH_KEYWORDS:
        raise Refused(f"batched transactions ({word}) are not allowed in the console", at(tok))
    if word == "CYPHER":
        raise Refused("query options (CYPHER ...) are not supported in the console", at(tok))
    if word in ADMIN_KEYWORDS and nxt is not None and (
            nxt.kind == "name" or (nxt.kind == "word" and nxt.value not in CONTINUATIONS)):
        raise Refused(f"administration commands are not allowed in the console ({word} {nxt.text})", at(tok))


def _check_call(toks: list[Token], k: int, at: At) -> int:
    """Check ``CALL`` at ``toks[k]``: a subquery passes (0); a procedure must be allowed (returns its end)."""
    if k + 1 >= len(toks):
        raise Refused("CALL of nothing", at(toks[k]))
    follow = toks[k + 1]
    if follow.text in ("{", "("):
        return 0
    parts, j = _dotted(toks, k + 1)
    if not parts:
        raise Refused("CALL must name a procedure or open a subquery", at(follow))
    name = ".".join(parts)
    if name.casefold() not in _ALLOWED_PROCEDURES_FOLDED:
        allowed = ", ".join(sorted(ALLOWED_PROCEDURES))
        raise Refused(f"the procedure {name} is not allowed in the console (allowed: {allowed})", at(follow))
    return j


def _dotted(toks: list[Token], k: int) -> tuple[list[str], int]:
    """The parts of a dotted name starting at ``toks[k]`` (words or backtick names) and the index after it."""
    parts: list[str] = []
    j = k
    while j < len(toks) and toks[j].kind in ("word", "name"):
        value = toks[j].value if toks[j].kind == "name" else toks[j].text
        parts.extend(unicodedata.normalize("NFKC", value).split("."))
        if j + 2 < len(toks) and toks[j + 1].text == "." and toks[j + 2].kind in ("word", "name"):
            j += 2
            continue
        j += 1
        break
    return parts, j


def _check_function(toks: list[Token], k: int, at: At) -> None:
    """A function call at ``toks[k]``: namespaced ones must be built in; file() and linenumber() never."""
    parts, j = _dotted(toks, k)
    if j >= len(toks) or toks[j].text != "(":
        return
    name = ".".join(parts)
    folded = name.casefold()
    if len(parts) == 1:
        if folded in DENIED_FUNCTIONS:
            raise Refused(f"the function {name}() reads files and is not allowed in the console", at(toks[k]))
        return
    if folded in _ALLOWED_FUNCTIONS_FOLDED:
        return
    namespace = ".".join(parts[:-1]).casefold()
    if namespace not in FUNCTION_NAMESPACES:
        raise Refused(f"the function {name}() is not allowed in the console (only Neo4j's built-in functions)",
                      at(toks[k]))
