"""The rejects file: one JSON line per skipped record with its file, line number and reason."""

from __future__ import annotations

import contextlib
import json
import stat
from pathlib import Path
from typing import IO

MAX_RECORD_CHARS = 2000


def default_path(source_file: Path, folder: Path | None = None) -> Path:
    """``<folder>/FILE.rejects.jsonl``, ``folder`` by default ``<data dir>/rejects`` (``PEERGRAPH_DATA_DIR``).

    Never next to the input: the input's folder may be read-only or shared (a dump, a mounted data set),
    and the data dir is where ``make run`` keeps its own rejects, so both find them in one place.
    """
    if folder is None:
        from graph.server import data_dir

        folder = data_dir() / "rejects"
    return folder / (source_file.name + ".rejects.jsonl")


class RejectLog:
    """Appends rejects to ``path``; the file is emptied when the log opens and created at the first reject."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._out: IO[str] | None = None
        # A previous run's rejects would mislead: start over (the file only exists again if this run rejects).
        # In a read-only folder the unlink fails; writing there fails at the first reject, with a message.
        # Only a regular file goes: --rejects /dev/null (or /dev/full) must not unlink the device.
        with contextlib.suppress(OSError):
            if stat.S_ISREG(self.path.lstat().st_mode):
                self.path.unlink()

    def write(self, file: Path, line: int, reason: str, record: str | None = None) -> None:
        text = None if record is None else record.rstrip("\r\n")
        if text is not None and len(text) > MAX_RECORD_CHARS:
            text = text[:MAX_RECORD_CHARS] + " …"
        entry = {"file": str(file), "line": line, "reason": reason, "record": text}
        try:
            if self._out is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._out = self.path.open("a", encoding="utf-8")
            self._out.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._out.flush()  # a full disk shows here, at this reject, not later
        except OSError as exc:
            from loaders.reader import FileError

            raise FileError(f"cannot write the rejects file {self.path}: {exc.strerror or exc} "
                            "(choose another with --rejects PATH)") from exc
        self.count += 1

    def close(self) -> None:
        if self._out is not None:
            out, self._out = self._out, None
            # A write that failed already said so (FileError); flushing its leftovers again must not hide that.
            with contextlib.suppress(OSError):
                out.close()
