"""CSV, TSV, NDJSON and JSON: one text file per table, written block by block, byte-deterministic.

Dates are ISO (2025-01-31), times ISO without a zone (2025-01-31T08:00:00).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import polars as pl

from ..errors import ExportError
from .atomic import ensure_dir, remove_quietly, temp_path
from .base import TableSpec, Target, Written

DATETIME = "%Y-%m-%dT%H:%M:%S"


def _texty(frame: pl.DataFrame) -> pl.DataFrame:
    """Times as ISO text, so every JSON reader sees the same thing."""
    return frame.with_columns(
        [pl.col(n).dt.strftime(DATETIME) for n, t in frame.schema.items() if isinstance(t, pl.Datetime)]
        + [pl.col(n).dt.strftime("%Y-%m-%d") for n, t in frame.schema.items() if t == pl.Date]
    )


def encode(fmt: str, frame: pl.DataFrame, first: bool, options: dict) -> bytes:
    buffer = io.BytesIO()
    if fmt in ("csv", "tsv"):
        frame.write_csv(buffer, include_header=first, separator=options.get("separator", ","),
                        datetime_format=DATETIME, date_format="%Y-%m-%d", null_value="")
        return buffer.getvalue()
    if frame.height == 0:
        return b""
    _texty(frame).write_ndjson(buffer)
    lines = buffer.getvalue()
    if fmt == "json":  # one array per file: "[\n", rows joined by ",\n", "\n]\n"
        body = b",\n".join(lines.rstrip(b"\n").split(b"\n"))
        return body if first else b",\n" + body
    return lines


class TextWriter:
    def __init__(self, target: Target, tables: list[TableSpec], fmt: str, options: dict):
        self.fmt, self.options, self.target = fmt, options, target
        self.tables = {t.name: t for t in tables}
        self.rows = dict.fromkeys(self.tables, 0)
        self.started = dict.fromkeys(self.tables, False)
        self.handles: dict[str, object] = {}
        self.temps: dict[str, Path] = {}
        self.finals: dict[str, Path] = {}
        self.created_dir = False
        self.stdout = target.location == "-"
        if self.stdout:
            return
        path = target.path
        if target.options.get("single_file"):
            (name,) = self.tables
            self.finals[name] = path
            directory = path.parent if str(path.parent) else Path(".")
        else:
            directory = path
            ext = options["extension"]
            self.finals = {name: path / f"{name}{ext}" for name in self.tables}
        existing = [p for p in self.finals.values() if p.exists()]
        if existing and target.if_exists == "fail":
            raise ExportError(f"{existing[0]}: exists; pass --if-exists replace to overwrite it")
        if target.if_exists == "append":
            raise ExportError(f"{target.location}: --if-exists append works for databases only; use replace or another target")
        self.created_dir = ensure_dir(directory, target.location)
        try:
            for name, final in self.finals.items():
                self.temps[name] = temp_path(final)
                self.handles[name] = open(self.temps[name], "wb")
        except OSError as error:
            self.abort()
            raise ExportError(f"{target.location}: cannot write: {error.strerror}") from None

    def _out(self, table: str):
        return sys.stdout.buffer if self.stdout else self.handles[table]

    def write(self, table: str, frame: pl.DataFrame) -> None:
        out = self._out(table)
        if self.fmt == "json" and not self.started[table]:
            out.write(b"[\n")
        first = self.rows[table] == 0 if self.fmt == "json" else not self.started[table]
        data = encode(self.fmt, frame, first, self.options)
        try:
            out.write(data)
        except OSError as error:
            raise ExportError(f"{self.target.location}: write failed: {error.strerror}") from None
        self.started[table] = True
        self.rows[table] += frame.height

    def commit(self) -> list[Written]:
        for table in self.tables:
            if not self.started[table]:
                self.write(table, pl.DataFrame(schema={c.name: c.dtype for c in self.tables[table].columns}))
            if self.fmt == "json":
                self._out(table).write(b"\n]\n" if self.rows[table] else b"]\n")
        if self.stdout:
            sys.stdout.buffer.flush()
            return [Written(t, self.rows[t], "<stdout>") for t in self.tables]
        written = []
        for table, handle in self.handles.items():
            handle.close()
            os.replace(self.temps[table], self.finals[table])
            written.append(Written(table, self.rows[table], str(self.finals[table]), self.finals[table].stat().st_size))
        return written

    def abort(self) -> None:
        for handle in self.handles.values():
            try:
                handle.close()
            except OSError:
                pass
        for temp in self.temps.values():
            remove_quietly(temp)
        if self.created_dir and not self.target.options.get("single_file"):
            try:
                self.target.path.rmdir()
            except OSError:
                pass
