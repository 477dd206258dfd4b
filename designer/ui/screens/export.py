"""Export from the TUI: target, format, rows and seed, then a cancellable progress line per entity.

The export runs through designer.pipeline in a thread worker, exactly as the CLI's; a target that
already holds data is offered replace / append / cancel, the CLI's --if-exists.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select
from textual.worker import get_current_worker

from ...errors import Cancelled, DesignerError
from ...model import Design
from ...stats import compact
from ...summary import human_size

if TYPE_CHECKING:
    from ...writers.base import IfExists
    from ..app import DesignerApp  # the app imports this dialog

FORMATS = ["sqlite", "csv", "tsv", "parquet", "ndjson", "json", "postgres", "duckdb", "mysql"]
CANCELLED = "Export cancelled; nothing was written."


def default_target(name: str, fmt: str) -> str:
    return {
        "sqlite": f"{name}.sqlite",
        "duckdb": f"{name}.duckdb",
        "postgres": "postgresql://localhost/designer",
        "mysql": "mysql://localhost/designer",
    }.get(fmt, f"{name}-{fmt}/")


def progress_line(done: int, total: int, seconds: float) -> str:
    """`1,200 / 5,000 rows · 3,400 rows/s · ETA 1s`: what a bar alone does not say."""
    rate = done / seconds if seconds > 0 else 0.0
    eta = f" · ETA {(total - done) / rate:.0f}s" if rate and done < total else ""
    return f"{done:,} / {total:,} rows · {compact(rate)} rows/s{eta}"


def expected_rows(estimate) -> str:
    """`users 1,000 · orders 2,031 (2.03 per users)`: the rows the export will write (designer/estimate.py)."""
    return " · ".join(
        f"{e.name} {e.rows:,}" + (f" ({e.per_parent:.3g} per {e.parent})" if e.per_parent is not None else "")
        for e in estimate.entities
    )


def measured(estimate) -> str:
    """The chosen format's expected size and time, measured writing a sample block on this machine."""
    if estimate.seconds is None:
        return f"{estimate.fmt}: size and time are not measured for a database server"
    size = estimate.total_bytes if estimate.total_bytes is not None else sum(e.bytes or 0 for e in estimate.entities)
    return f"{estimate.fmt}: about {human_size(size)} and {estimate.seconds:.1f} s on this machine"


MEASURING = "measuring size and time on a sample block…"


def written_size(result) -> str:
    """The bytes on disk: a database file once (its tables share it), else the files summed."""
    sizes = {w.location.split("#")[0]: w.bytes for w in result.written if w.bytes is not None}
    return human_size(sum(sizes.values())) if sizes else ""


class ExportDialog(ModalScreen[str | None]):
    """Returns a one-line summary of what was written, CANCELLED when a running export was
    stopped, or None when the dialog was closed before exporting."""

    BINDINGS = [("escape", "cancel", "Cancel")]

    class Finished(Message):
        """The export ended (summary), or was cancelled. Posted, not called: dismissing the
        dialog cancels its workers, and the worker that asked must have returned by then."""

        def __init__(self, summary: str):
            super().__init__()
            self.summary = summary

    def __init__(self, design: Design, last: tuple[str, str] | None = None):
        super().__init__()
        self.design = design
        self.last = last  # (target, format) of this session's previous export
        self.stop = threading.Event()
        self.running = False

    def compose(self) -> ComposeResult:
        name = self.design.info.name
        target, fmt = self.last or (default_target(name, "sqlite"), "sqlite")
        with Vertical(classes="dialog", id="export-dialog"):
            yield Label(f"Export {name}", id="export-title")
            yield Label("Target (file, directory, or postgresql:// or mysql:// URL)")
            yield Input(target, id="export-target")
            yield Label("Format")
            yield Select([(f, f) for f in FORMATS], value=fmt, allow_blank=False, id="export-format")
            yield Label("Rows per root entity · Seed (empty: as designed)")
            with Horizontal(classes="pair"):
                yield Input("", placeholder="rows", id="export-rows")
                yield Input("", placeholder=str(self.design.info.seed), id="export-seed")
            yield Label("", id="export-rows-expected", classes="export-rate")
            yield Label("", id="export-measured", classes="export-rate")
            yield Label("", id="export-error", classes="option-error")
            with Horizontal(classes="buttons", id="export-exists"):
                yield Button("Replace", variant="warning", id="export-replace")
                yield Button("Append", id="export-append")
                yield Button("Cancel", id="export-keep")
            yield Vertical(id="export-progress")
            with Horizontal(classes="buttons", id="export-buttons"):
                yield Button("Export", variant="primary", id="export-start")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-exists").display = False
        self.query_one("#export-target", Input).focus()
        self._estimate()

    def _estimate(self) -> None:
        """The rows at once (drawn as the export draws them, so the same every time); the size and
        time once measured, in a worker, since they take a sample block's export."""
        from ...estimate import estimate

        try:
            rows, seed = self._int("#export-rows"), self._int("#export-seed")
            roots = {n: rows for n, e in self.design.entities.items() if e.parent is None} if rows is not None else None
            expected = estimate(self.design, rows=roots, seed=seed)
        except DesignerError as problem:
            self.query_one("#export-rows-expected", Label).update(str(problem))
            self.query_one("#export-measured", Label).update("")
            return
        self.query_one("#export-rows-expected", Label).update(f"rows: {expected_rows(expected)}")
        self.query_one("#export-measured", Label).update(MEASURING)
        self.measure(str(self.query_one("#export-format", Select).value), roots, seed)

    @work(thread=True, exclusive=True, group="estimate", exit_on_error=False)
    def measure(self, fmt: str, roots: dict[str, int] | None, seed: int | None) -> None:
        from ...estimate import estimate

        worker = get_current_worker()
        try:
            line = measured(estimate(self.design, rows=roots, seed=seed, fmt=fmt))
        except DesignerError as problem:
            line = f"{fmt}: not measured: {problem}"
        if not worker.is_cancelled:  # a newer format or row count asked again, or the dialog closed
            self.app.call_from_thread(self.query_one("#export-measured", Label).update, line)

    @on(Input.Changed, "#export-rows")
    @on(Input.Changed, "#export-seed")
    def _rows_changed(self) -> None:
        self._estimate()

    @on(Select.Changed, "#export-format")
    def _format(self, event: Select.Changed) -> None:
        if self.is_mounted:
            self._estimate()  # the size and time are the format's
        if self.last is not None and event.value == self.last[1]:
            return  # the remembered target goes with its format
        # the select allows no blank: its value is always one of FORMATS
        self.query_one("#export-target", Input).value = default_target(self.design.info.name, str(event.value))

    def _int(self, widget_id: str) -> int | None:
        text = self.query_one(widget_id, Input).value.strip()
        if not text:
            return None
        if not text.isdigit():
            raise DesignerError(f"{widget_id[8:]}: give a whole number, not {text!r}")
        return int(text)

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-start")
    def _start(self, _event=None, if_exists: IfExists = "fail") -> None:
        if self.running:
            return
        error = self.query_one("#export-error", Label)
        try:
            rows, seed = self._int("#export-rows"), self._int("#export-seed")
        except DesignerError as problem:
            error.update(str(problem))
            return
        error.update("")
        self.query_one("#export-exists").display = False
        self.running = True
        self.query_one("#export-start", Button).disabled = True
        target, fmt = self.query_one("#export-target", Input).value.strip(), str(self.query_one("#export-format", Select).value)
        cast("DesignerApp", self.app).export_last = (target, fmt)  # the next dialog of this session starts here
        self.run_export(target, fmt, rows, seed, if_exists)

    @on(Button.Pressed, "#export-replace")
    def _replace(self) -> None:
        self._start(if_exists="replace")

    @on(Button.Pressed, "#export-append")
    def _append(self) -> None:
        self._start(if_exists="append")

    @on(Button.Pressed, "#export-keep")
    def _keep(self) -> None:
        self.query_one("#export-exists").display = False
        self.query_one("#export-error", Label).update("")

    @work(thread=True, exclusive=True, exit_on_error=False)
    def run_export(self, output: str, fmt: str, rows: int | None, seed: int | None, if_exists: IfExists) -> None:
        from ... import pipeline
        from ...writers import resolve_target

        started: dict[str, float] = {}

        def progress(p) -> None:
            now = time.monotonic()
            started.setdefault(p.entity, now)

            def update() -> None:
                box = self.query_one("#export-progress", Vertical)
                if p.finishing:  # the last writes, a database's keys and indexes, the renames
                    box.mount(Label("finishing: keys, indexes, files…", id="export-finishing"))
                    return
                if not box.query(f"#bar-{p.entity}"):
                    box.mount(Label(p.entity, classes="export-entity"))
                    box.mount(ProgressBar(total=max(p.total, 1), show_eta=False, id=f"bar-{p.entity}"))
                    box.mount(Label("", id=f"rate-{p.entity}", classes="export-rate"))
                box.query_one(f"#bar-{p.entity}", ProgressBar).update(progress=p.done)
                box.query_one(f"#rate-{p.entity}", Label).update(progress_line(p.done, p.total, now - started[p.entity]))

            self.app.call_from_thread(update)

        try:
            roots = {n: rows for n, e in self.design.entities.items() if e.parent is None} if rows is not None else None
            target = resolve_target(output or None, fmt, self.design.info.name, len(self.design.entities), if_exists)
            result = pipeline.export(self.design, target, rows=roots, seed=seed, on_progress=progress, cancelled=self.stop.is_set)
        except Cancelled:
            self.post_message(self.Finished(CANCELLED))
            return
        except DesignerError as problem:
            # the writers' refusal of an existing target names the CLI flag; here it is a choice
            exists = if_exists == "fail" and "--if-exists" in str(problem)
            self.app.call_from_thread(self._failed, str(problem).split("; pass --if-exists")[0], exists)
            return
        except Exception as problem:  # shown in the dialog rather than killing the app
            self.app.call_from_thread(self._failed, f"export failed: {problem}", False)
            return
        total = sum(result.rows.values())
        size = written_size(result)
        self.post_message(
            self.Finished(
                f"Exported {total:,} rows to {target.shown}" + (f" ({size})" if size else "") + f" in {result.seconds:.1f}s"
            )
        )

    def on_export_dialog_finished(self, message: ExportDialog.Finished) -> None:
        self.dismiss(message.summary)

    def _failed(self, message: str, exists: bool) -> None:
        self.running = False
        self.query_one("#export-start", Button).disabled = False
        self.query_one("#export-progress", Vertical).remove_children()
        if exists:
            message += ": replace it, append to it, or cancel?"
        self.query_one("#export-error", Label).update(message)
        self.query_one("#export-exists").display = exists
        if exists:
            self.query_one("#export-replace", Button).focus()

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        if self.running:
            self.stop.set()  # the worker aborts the writer, which removes what it wrote
        else:
            self.dismiss(None)
