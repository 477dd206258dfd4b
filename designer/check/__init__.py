"""`designer check`: does DATA follow the design? Every rule a preset states, checked on data read
back from SQLite, PostgreSQL or files (headless: the CLI prints the report).

    from designer.check import check
    report = check(design, "shop.sqlite")
    assert report.ok, [r for r in report.results if r.verdict == "fail"]
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Design
from .fit import ALPHA
from .read import BadData, read_tables, shown_location
from .rules import FAIL, PASS, SKIP, Checker, Result


@dataclass(frozen=True)
class Report:
    data: str  # DATA as shown (a URL without its password)
    alpha: float
    results: list[Result]

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if r.verdict == FAIL]

    def as_dict(self) -> dict:
        return {
            "data": self.data,
            "alpha": self.alpha,
            "ok": self.ok,
            "counts": {v: sum(r.verdict == v for r in self.results) for v in (PASS, FAIL, SKIP)},
            "results": [r.as_dict() for r in self.results],
        }


def check(
    design: Design,
    data: str,
    *,
    rows: dict[str, int] | None = None,
    scale: float | None = None,
    entities: list[str] | None = None,
    alpha: float = ALPHA,
) -> Report:
    """Check DATA against the design. `rows`, `scale` and `entities` are the export's, so the root
    entities' row counts are the ones it was asked for, and only the tables it wrote are looked for
    (a rule that reads another entity is skipped)."""
    from ..pipeline import plan_for, tables

    plan = plan_for(design, rows=rows, scale=scale)
    specs = tables(design, rows=rows, scale=scale, entities=entities)
    frames = read_tables(data, specs)
    expected = {name: ent.rows for name, ent in plan.design.entities.items()}
    results = Checker(design, specs, frames, alpha).run(expected)
    return Report(shown_location(data), alpha, results)


__all__ = ["ALPHA", "BadData", "Report", "Result", "check"]
