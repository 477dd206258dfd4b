"""Whether each field's dirt suits the type of its values, decided when a design is loaded.

The model cannot say what type a field gives: a Faker provider's values are whatever Faker
returns, an expression's or a lookup's what its inputs make. So a few rows of the fields with
dirt (and only what they are computed from) are drawn at a few rows per root entity, and their
types are checked as the export checks them (engine/dirt.py's check_fits): `designer validate` and
the TUI refuse `typo` on a number field as export does, before any value is written.
"""

from __future__ import annotations

from ..errors import GenerationError
from ..model import Design
from .dirt import check_fits
from .plan import make_plan
from .run import Run

SAMPLE_ROWS = 4  # rows per root entity: enough to give every column its type, cheap at every edit


def check_dirt_types(design: Design) -> None:
    """Raise PresetError, naming the key path, for dirt that does not fit its field's values."""
    dirty = [  # in file order: the first problem is the one reported
        (entity, name)
        for entity, ent in design.entities.items()
        for name, spec in ent.fields.items()
        if spec.dirty is not None and spec.dirty.rates()
    ]
    if not dirty:
        return
    rows = {name: min(ent.rows, SAMPLE_ROWS) for name, ent in design.entities.items() if ent.parent is None and ent.rows}
    run = Run(make_plan(design, rows=rows))
    for root in run.plan.roots:
        wanted = [node for node in dirty if run.plan.root_of(node[0]) == root]
        if not wanted:
            continue
        try:
            block = run.family_block(root, 0, frozenset(wanted))
        except GenerationError:
            continue  # a field that cannot be drawn is no dirt's fault: the preview and the export say why
        for entity, name in wanted:
            column = block.columns.get(entity, {}).get(name)
            if column is None or not len(column):  # no rows under these parents: no type to judge
                continue
            check_fits(column.dtype, design.entities[entity].fields[name].dirty, f"entities.{entity}.fields.{name}.dirty")
