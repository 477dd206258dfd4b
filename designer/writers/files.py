"""CSV, TSV, NDJSON and JSON: one text file per table, written block by block, byte-deterministic.

Dates are ISO (2025-01-31), times ISO without a zone (2025-01-31T08:00:00, 2025-01-31T08:00:00.25).
"""

from __future__ import annotations

import io
import sys
from typing import BinaryIO

import polars as pl

from ..errors import ReaderGone
from .atomic import Staging, abort_fully, staging_for, write_error, written_files
from .base import DATE, DATETIME, TableSpec, Target, Written


def times_as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Times as ISO text, so every JSON reader sees the same thing."""
    return frame.with_columns(
        [pl.col(n).dt.strftime(DATETIME) for n, t in frame.schema.items() if isinstance(t, pl.Datetime)]
        + [pl.col(n).dt.strftime(DATE) for n, t in frame.schema.items() if t == pl.Date]
    )


# What a spreadsheet reads as the start of a formula (OWASP's list): `=`, `+`, `-`, `@`, tab, CR
FORMULA_START = r"^[=+\-@\t\r]"


def formula_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells a spreadsheet would run as a formula, prefixed with `'` so it shows them as text
    (`--csv-safe`). Numbers stay numbers: a spreadsheet reads -5 as minus five, not as a formula."""
    return frame.with_columns(
        pl.when(pl.col(n).str.contains(FORMULA_START)).then(pl.lit("'") + pl.col(n)).otherwise(pl.col(n)).alias(n)
        for n, t in frame.schema.items()
        if t == pl.String
    )


def encode(fmt: str, frame: pl.DataFrame, first: bool, options: dict) -> bytes:
    buffer = io.BytesIO()
    if fmt in ("csv", "tsv"):
        frame.write_csv(
            buffer,
            include_header=first,
            separator=options.get("separator", ","),
            datetime_format=DATETIME,
            date_format=DATE,
            null_value="",
        )
        return buffer.getvalue()
    if frame.height == 0:
        return b""
    times_as_text(frame).write_ndjson(buffer)
    lines = buffer.getvalue()
    if fmt == "json":  # one array per file: "[\n", rows joined by ",\n", "\n]\n"
        body = b",\n".join(lines.rstrip(b"\n").split(b"\n"))
        return body if first else b",\n" + body
    return lines


class TextWriter:
    def __init__(self, target: Target, tables: list[TableSpec], fmt: str, options: dict):
        self.fmt, self.options, self.target = fmt, options, target
        self.formula_safe = bool(target.options.get("csv_safe"))
        self.tables = {t.name: t for t in tables}
        self.rows = dict.fromkeys(self.tables, 0)
        self.started = dict.fromkeys(self.tables, False)
        self.handles: dict[str, BinaryIO] = {}
        self.staging: Staging | None = None
        self.stdout = target.location == "-"
        self.label = "stdout" if self.stdout else target.location  # for messages
        if self.stdout:
            return
        self.staging = staging_for(target, list(self.tables), options["extension"])
        try:
            for name, temp in self.staging.temps.items():
                self.handles[name] = open(temp, "wb")  # noqa: SIM115 (open for the run; close_all ends it)
        except BaseException as error:  # Ctrl-C included: no temporary file may stay behind
            abort_fully(self)
            if isinstance(error, OSError):
                raise write_error(target.location, error) from None
            raise

    def _out(self, table: str) -> BinaryIO:
        return sys.stdout.buffer if self.stdout else self.handles[table]

    def write(self, table: str, frame: pl.DataFrame) -> None:
        out = self._out(table)
        opening = b"[\n" if self.fmt == "json" and not self.started[table] else b""
        first = self.rows[table] == 0 if self.fmt == "json" else not self.started[table]
        data = encode(self.fmt, formula_safe(frame) if self.formula_safe else frame, first, self.options)
        try:
            out.write(opening + data)
        except BrokenPipeError:
            if self.stdout:  # the reader of stdout went away (`| head`)
                raise ReaderGone("stdout: closed by its reader") from None
            raise
        except OSError as error:  # a full disk, a file size limit
            raise write_error(self.label, error) from None
        self.started[table] = True
        self.rows[table] += frame.height

    def commit(self) -> list[Written]:
        try:
            for table in self.tables:
                if not self.started[table]:
                    self.write(table, pl.DataFrame(schema={c.name: c.dtype for c in self.tables[table].columns}))
                if self.fmt == "json":
                    self._out(table).write(b"\n]\n" if self.rows[table] else b"]\n")
            if self.stdout:
                sys.stdout.buffer.flush()
                return [Written(t, self.rows[t], "<stdout>") for t in self.tables]
            for handle in self.handles.values():
                handle.close()  # the last buffered bytes are written here, and may not fit
            assert self.staging is not None  # every target but stdout is staged
            self.staging.commit()
        except OSError as error:
            raise write_error(self.label, error) from None
        return written_files(self.staging, self.rows)

    def abort(self) -> None:
        for handle in self.handles.values():
            try:
                handle.close()
            except OSError:
                pass
        if self.staging is not None:
            self.staging.abort()
