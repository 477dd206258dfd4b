"""How `designer validate` and `designer export --dry-run` show an estimate (designer/estimate.py)."""

from __future__ import annotations

from ..estimate import Estimate
from ..summary import human_size


def expected_rows(estimate: Estimate) -> dict[str, str]:
    """Each entity's rows as the export will write them: "200,071 (2 per users)" for a child, the
    mean of its rows per parent row."""
    out = {}
    for e in estimate.entities:
        out[e.name] = f"{e.rows:,}" + (f" ({e.per_parent:.3g} per {e.parent})" if e.per_parent is not None else "")
    return out


def measured_line(estimate: Estimate) -> str | None:
    """One line under the table: the format's size and time, and what they were measured on."""
    if estimate.fmt is None:
        return None
    if estimate.seconds is None:
        return f"{estimate.fmt}: {estimate.rows:,} rows; size and time are not measured for a database server"
    size = estimate.total_bytes if estimate.total_bytes is not None else sum(e.bytes or 0 for e in estimate.entities)
    measured = (
        "measured writing all of them to a temporary place"
        if estimate.sample_rows == estimate.rows
        else f"measured writing {estimate.sample_rows:,} rows, the first block of each root"
    )
    about = f"about {human_size(size)} and {duration(estimate.seconds)}"
    return f"{estimate.fmt}: {about} for {estimate.rows:,} rows on this machine ({measured})"


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
