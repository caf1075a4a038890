"""Streaming input: plain or gzip files (by their magic bytes), line by line, memory flat.

Each line becomes an ``Item`` with its 1-based line number; a line that is not
UTF-8, not JSON or cut short by a truncated ``.gz`` becomes an Item with an
``error`` (a reject) and reading goes on where it can. A file that cannot be
opened or read at all raises ``FileError``.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

# OpenAlex API pages are small (<= 200 works); a whole-document file above this is refused.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024


class FileError(Exception):
    """A whole file cannot be read (missing, a directory, unreadable, not gzip though it says so ...)."""


@dataclass
class Item:
    line: int
    value: Any = None
    error: str | None = None
    raw: str | None = None


class Source:
    """An open input file: lines of text plus how far through the (compressed) file we are."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            if path.is_dir():
                raise FileError(f"cannot read {path}: it is a directory")
            self._raw = path.open("rb")
        except OSError as exc:
            raise FileError(f"cannot read {path}: {exc.strerror or exc}") from exc
        self.size = path.stat().st_size
        magic = self._raw.read(2)
        self._raw.seek(0)
        self.compressed = magic == b"\x1f\x8b"
        if path.suffix == ".gz" and not self.compressed:
            self._raw.close()
            raise FileError(f"cannot read {path}: not a gzip file")
        self._stream: IO[bytes] = (gzip.GzipFile(fileobj=self._raw, mode="rb")  # type: ignore[assignment]
                                   if self.compressed else self._raw)
        try:
            head = self._stream.peek(2)[:2]  # type: ignore[attr-defined]
        except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
            self.close()
            raise FileError(f"cannot read {path}: {exc}") from exc
        if head in (b"\xff\xfe", b"\xfe\xff"):
            self.close()
            raise FileError(f"cannot read {path}: UTF-16 text is not supported, convert the file to UTF-8")

    @property
    def position(self) -> int:
        """Bytes of the file on disk consumed so far (for the progress bar)."""
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return self.size

    def close(self) -> None:
        self._stream.close()
        self._raw.close()

    def lines(self) -> Iterator[tuple[int, bytes | None, str | None]]:
        """(line number, bytes, None) per line; (line number, None, reason) once if the stream breaks."""
        number = 0
        try:
            for number, data in enumerate(self._stream, start=1):
                yield number, data, None
        except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
            if number == 0 and not isinstance(exc, EOFError):
                raise FileError(f"cannot read {self.path}: {exc}") from exc
            yield number + 1, None, f"truncated or corrupt gzip stream after line {number}: {exc}"


def decode(data: bytes, number: int) -> str:
    """UTF-8 text of one line (BOM dropped on line 1); UnicodeDecodeError passes up."""
    if number == 1:
        data = data.removeprefix(b"\xef\xbb\xbf")
    return data.decode("utf-8")


def text_items(source: Source, *, comment: str | None = None) -> Iterator[Item]:
    """One Item per non-blank text line (``comment`` lines skipped); value = the line's text."""
    for number, data, broken in source.lines():
        if broken is not None or data is None:
            yield Item(number, error=broken)
            return
        try:
            text = decode(data, number)
        except UnicodeDecodeError as exc:
            yield Item(number, error=f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                       raw=data.decode("utf-8", "replace"))
            continue
        if not text.strip() or (comment and text.startswith(comment)):
            continue
        yield Item(number, value=text, raw=text)


def _decode(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        # orjson is stricter than the json module (NaN, lone surrogates, integers over 64 bits): the json module
        # has the last word, so a line loads, or is rejected with its message, exactly as before.
        return json.loads(text)


def json_items(source: Source) -> Iterator[Item]:
    """One Item per JSON line; value = the parsed JSON (an invalid line is an error Item)."""
    for item in text_items(source):
        if item.error is None:
            try:
                item.value = _decode(item.value)
            except json.JSONDecodeError as exc:
                item.error, item.value = f"invalid JSON: {exc.msg} (column {exc.colno})", None
        yield item


def openalex_items(source: Source) -> Iterator[Item]:
    """OpenAlex works: JSON lines, or one JSON document (an API page with ``results``, a list, one work).

    A line or document that holds a ``results`` list yields each of its works.
    """
    items = json_items(source)
    first = next(items, None)
    if first is None:
        return
    if first.error and first.error.startswith("invalid JSON") and (first.raw or "").lstrip()[:1] in "{[":
        document = _whole_document(source)
        if document is not None:
            yield from _expand(Item(1, document))
            return
    yield from _expand(first)
    for item in items:
        yield from _expand(item)


def _whole_document(source: Source) -> Any:
    """The file parsed as one JSON document, or None when it is not one (then it is read as lines)."""
    again = Source(source.path)
    try:
        data = again._stream.read(MAX_DOCUMENT_BYTES + 1)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError):
        return None
    finally:
        again.close()
    if len(data) > MAX_DOCUMENT_BYTES:
        return None
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return document


def _expand(item: Item) -> Iterator[Item]:
    value = item.value
    if item.error is None and isinstance(value, dict) and isinstance(value.get("results"), list):
        for work in value["results"]:
            yield Item(item.line, work)
        return
    if item.error is None and isinstance(value, list):
        for work in value:
            yield Item(item.line, work)
        return
    yield item
