"""Where generation meets writing: preview() and export(), shared by the CLI, the TUI and the Python API.

Blocks come from the engine family by family in load order; each block's
frames go to the writer parents first. Progress is reported through a callback
and cancellation is checked between blocks: a cancelled or failed export
aborts the writer, which removes everything it wrote.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

import polars as pl

from .engine import Run, make_plan
from .engine.plan import Plan
from .errors import Cancelled, DesignerError
from .model import Design
from .schema import column_renames, table_specs, written_names
from .writers.base import TableSpec, Target, Written


@dataclass(frozen=True)
class Progress:
    """Rows written so far for one entity (total known up front, from the block structure); or,
    once every row is handed to the writer, `finishing`: the last writes, a database's keys and
    indexes, the renames (seconds at 10M rows)."""

    entity: str
    done: int
    total: int
    finishing: bool = False


@dataclass
class ExportResult:
    target: Target
    rows: dict[str, int]
    written: list[Written] = field(default_factory=list)
    seconds: float = 0.0


def plan_for(design: Design, *, rows: dict[str, int] | None = None, scale: float | None = None, seed: int | None = None) -> Plan:
    if seed is not None:
        design = design.model_copy(update={"info": design.info.model_copy(update={"seed": seed})})
    return make_plan(design, rows=rows, scale=scale)


def entity_blocks(
    run: Run, entities: list[str] | None = None, workers: int = 1, labels: Callable[[str, pl.DataFrame], None] | None = None
) -> Generator[tuple[str, pl.DataFrame], None, None]:
    """(entity, frame) for every block of every family in load order, parents before children;
    `labels` is given each block's dirt labels (engine/dirt.py) before its frame."""
    from .engine.dirt import LABELS
    from .engine.parallel import blocks_in_order

    plan = run.plan
    wanted = set(entities or plan.design.entities)
    for root in dict.fromkeys(plan.root_of(e) for e in plan.load_order):
        members = [e for e in plan.family(root) if e in wanted]
        if not members:
            continue
        for block in blocks_in_order(run, root, workers):
            frames = run.frames(block)
            for entity in members:
                if labels and (entity, LABELS) in block.extras:
                    labels(entity, block.extras[(entity, LABELS)]["labels"])
                yield entity, frames[entity]


def preview(design: Design, entity: str | None = None, rows: int = 10, seed: int | None = None) -> dict[str, pl.DataFrame]:
    """The first `rows` rows of each entity (or one): exactly the first rows an export writes."""
    run = Run(plan_for(design, seed=seed))
    names = [entity] if entity else list(design.entities)
    for name in names:
        if name not in design.entities:
            from .errors import did_you_mean

            raise DesignerError(f'unknown entity "{name}"{did_you_mean(name, design.entities)}')
    out: dict[str, list[pl.DataFrame]] = {n: [] for n in names}
    have = dict.fromkeys(names, 0)
    for root in dict.fromkeys(run.plan.root_of(n) for n in names):
        members = [n for n in names if run.plan.root_of(n) == root]
        for index in range(run.blocks(root)):
            frames = run.frames(run.family_block(root, index))
            for n in members:
                if have[n] < rows:
                    out[n].append(frames[n].head(rows - have[n]))
                    have[n] += min(rows - have[n], frames[n].height)
            if all(have[n] >= rows for n in members):
                break
    return {n: pl.concat(parts) if parts else pl.DataFrame() for n, parts in out.items()}


def generate(design: Design, entity: str, *, rows: dict[str, int] | None = None, seed: int | None = None) -> pl.DataFrame:
    """A whole entity as one frame (for tests and notebooks: it is held in memory)."""
    run = Run(plan_for(design, rows=rows, seed=seed))
    parts = [frame for name, frame in entity_blocks(run, [entity]) if name == entity]
    return pl.concat(parts)


def tables(
    design: Design,
    *,
    rows: dict[str, int] | None = None,
    scale: float | None = None,
    seed: int | None = None,
    entities: list[str] | None = None,
) -> list[TableSpec]:
    """The tables an export writes, in load order: columns, types, keys and constraints, under the
    names written (an entity's `table`, a field's `column`)."""
    plan = plan_for(design, rows=rows, scale=scale, seed=seed)
    return written_names(plan.design, table_specs(plan, column_shapes(plan), chosen_entities(plan, entities)))


def export(
    design: Design,
    target: Target,
    *,
    rows: dict[str, int] | None = None,
    scale: float | None = None,
    seed: int | None = None,
    entities: list[str] | None = None,
    workers: int = 1,
    on_progress: Callable[[Progress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    constraints: bool = True,
    dirt_report: str | None = None,
) -> ExportResult:
    """Generate and write the dataset; all or nothing. Without `constraints` the tables declare no
    keys, UNIQUE or foreign keys; `dirt_report` names a CSV or Parquet file for the dirt's labels."""
    from .writers import open_writer
    from .writers.atomic import abort_fully, write_error
    from .writers.background import InBackground
    from .writers.dirt import DirtReport, refuse_broken_constraints, without_constraints

    started = time.perf_counter()
    plan = plan_for(design, rows=rows, scale=scale, seed=seed)
    chosen = chosen_entities(plan, entities)
    specs = table_specs(plan, column_shapes(plan), chosen)
    if target.if_exists == "append":
        plan = continued(plan, target, specs)  # the types stay: only where sequences start moves
    if constraints:
        refuse_broken_constraints(plan.design, specs, target)
    else:
        specs = without_constraints(specs)
    report = DirtReport(dirt_report, replace=target.if_exists != "fail") if dirt_report else None
    names = {e: plan.design.table_of(e) for e in chosen}
    renames = {e: column_renames(plan.design, e) for e in chosen}
    run = Run(plan)
    totals = {e: run.total_rows(e) for e in chosen}
    done = dict.fromkeys(chosen, 0)
    labels = None
    if report is not None:
        columns = {e: {f: plan.design.column_of(e, f) for f in plan.design.entities[e].fields} for e in chosen}

        def labels(entity: str, found: pl.DataFrame) -> None:
            report.add(names[entity], done[entity], found, columns[entity])

    blocks = entity_blocks(run, chosen, workers, labels)  # a generator: nothing runs before the first block is asked for
    # before any progress: a target that cannot be written is the first and only thing reported
    writer = InBackground(open_writer(target, written_names(plan.design, specs)))  # cleans up after itself if it fails
    try:
        if on_progress:
            for e in chosen:
                on_progress(Progress(e, 0, totals[e]))
        for entity, frame in blocks:
            if cancelled and cancelled():
                raise Cancelled()
            writer.write(names[entity], frame.rename(renames[entity]) if renames[entity] else frame)
            done[entity] += frame.height
            if on_progress:
                on_progress(Progress(entity, done[entity], max(totals[entity], done[entity])))  # duplicates on purpose add rows
        if cancelled and cancelled():  # a stop during the last block: still nothing written
            raise Cancelled()
        if on_progress:
            on_progress(Progress("", 0, 0, finishing=True))
        if report is not None:
            report.stage()
        written = writer.commit(cancelled)
        if report is not None:
            report.commit()
    except OSError as error:  # writers name their own I/O errors; this catches what slips past them
        abort_fully(writer)
        if report is not None:
            report.abort()
        raise write_error(target.shown, error) from None
    except BaseException:
        abort_fully(writer)
        if report is not None:
            report.abort()
        raise
    finally:
        blocks.close()
    return ExportResult(target, done, written, time.perf_counter() - started)


def continued(plan: Plan, target: Target, specs: list[TableSpec]) -> Plan:
    """The plan of an append: the target's tables are checked against the design (refused in one
    line where a column is missing or of another type), and each exported field that `continues`
    (a sequence) starts past the values its column holds, so keys do not clash with the rows there
    and references to them (which take the keys' values) point at the new rows."""
    from .model import check_design
    from .writers.existing import existing_extents

    design = plan.design
    written = written_names(design, specs)
    wanted = {
        design.table_of(s.name): [
            design.column_of(s.name, f) for f, spec in design.entities[s.name].fields.items() if spec.continues and spec.export
        ]
        for s in specs
    }
    extents = existing_extents(target, written, wanted)
    if not extents:
        return plan
    entities = dict(design.entities)
    for spec in specs:
        entity, ent = spec.name, design.entities[spec.name]

        def moved(name: str, field, entity=entity):
            found = extents.get((design.table_of(entity), design.column_of(entity, name)))
            return field.continued(*found) if found is not None and field.continues and field.export else field

        fields = {n: moved(n, f) for n, f in ent.fields.items()}
        variants = {
            v: var.model_copy(update={"fields": {n: moved(n, f) for n, f in var.fields.items()}})
            for v, var in ent.variants.items()
        }
        entities[entity] = ent.model_copy(update={"fields": fields, "variants": variants})
    design = design.model_copy(update={"entities": entities})
    check_design(design)  # a start moved near the end of 64-bit integers is refused, with its field
    return Plan(design)


def column_shapes(plan: Plan) -> dict[str, pl.DataFrame]:
    """Empty frames with each entity's column types, from a few generated rows. An entity that a
    unique reference (or one distinct per parent row) points into keeps all its rows: its few rows
    could not serve the referrer's."""
    from .model.deps import all_fields

    design = plan.design
    pointed = {
        design.root_of(target)
        for e in design.entities
        for spec in all_fields(design, e).values()
        if (target := spec.uses_up() or spec.shares_out()) is not None
    }
    small = make_plan(
        design,
        rows={r: design.entities[r].rows or 0 if r in pointed else min(design.entities[r].rows or 0, 8) for r in plan.roots},
    )
    run = Run(small)
    shapes: dict[str, pl.DataFrame] = {}
    for root in small.roots:
        shapes.update({e: f.head(0) for e, f in run.frames(run.family_block(root, 0)).items()})
    return shapes


def chosen_entities(plan: Plan, entities: list[str] | None) -> list[str]:
    from .errors import did_you_mean

    names = list(plan.design.entities)
    for name in entities or []:
        if name not in names:
            raise DesignerError(f'--entity names unknown entity "{name}"{did_you_mean(name, names)}')
    return [e for e in plan.load_order if not entities or e in entities]


@dataclass
class Sample:
    """The first block's rows of an entity, for the TUI: a preview and a statistics sample at once."""

    frame: pl.DataFrame
    errors: dict[str, str] = field(default_factory=dict)  # field -> why it could not be generated
    per_parent: pl.Series | None = None  # a child entity: its rows under each parent row of the block
    dirty: set[tuple[int, str]] = field(default_factory=set)  # (row, field) of each cell dirty on purpose
    copies: dict[int, str] = field(default_factory=dict)  # row -> "duplicate" or "near_duplicate", a whole row's dirt


def sample(design: Design, entity: str, seed: int | None = None, max_retries: int = 8) -> Sample:
    """Generate the first block of an entity; a field that fails is left out with its reason,
    together with the fields computed from it, so the other columns still show."""
    from .engine.dirt import LABELS
    from .errors import GenerationError
    from .model import edit
    from .model.deps import graph

    errors: dict[str, str] = {}
    current = design
    for _ in range(max_retries):
        run = Run(plan_for(current, seed=seed))
        root = run.plan.root_of(entity)
        try:
            block = run.family_block(root, 0)
            parent = current.entities[entity].parent
            per_parent = None
            if parent is not None and entity in block.parent_index:
                index = pl.Series(block.parent_index[entity], dtype=pl.Int64)
                per_parent = (
                    index.value_counts().get_column("count").extend_constant(0, block.rows[parent.entity] - index.n_unique())
                )
            frame = run.frames(block)[entity]
            labels = block.extras.get((entity, LABELS), {}).get("labels")
            dirty = (
                set() if labels is None else set(labels.filter(pl.col("field").is_not_null()).select("row", "field").iter_rows())
            )
            copies = (
                {}
                if labels is None
                else dict(labels.filter(pl.col("copy_of").is_not_null()).select("row", "kind").unique("row").iter_rows())
            )
            per_parent = per_parent.rename("children per parent") if per_parent is not None else None
            return Sample(frame, errors, per_parent, dirty, copies)
        except GenerationError as error:
            parts = (error.path or "").split(".")
            if len(parts) != 4 or parts[0] != "entities":
                raise
            failed = (parts[1], parts[3])
            edges = graph(current)
            doomed = {failed}
            changed = True
            while changed:
                changed = False
                for node, inputs in edges.items():
                    if node not in doomed and any(i in doomed for i in inputs):
                        doomed.add(node)
                        changed = True
            for ent, name in doomed:
                if ent == entity:
                    errors[name] = error.message if (ent, name) == failed else f"needs {failed[1]}, which failed"
                if name in current.entities[ent].fields:
                    current = edit.remove_field(current, ent, name)
    raise DesignerError(f"{entity}: too many fields failed to generate")
