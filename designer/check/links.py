"""Rules for fields that point at rows: parent and reference fields resolve, and a reference keeps
what its options promise (never the not_equal row, distinct within a parent row, a tree of
earlier rows, rows drawn evenly or by their weight)."""

from __future__ import annotations

import numpy as np
import polars as pl

from ..model.deps import all_fields, specs_of
from ..model.kinds import Parent, Reference, Sequence
from . import fit
from .base import MIN_SAMPLE, SHOWN, Base


class Links(Base):
    def links(self, entity: str) -> None:
        """Every parent and reference field's value is a row of the entity it points at."""
        for name in self.exported(entity):
            spec = all_fields(self.design, entity)[name]
            pointed = spec.foreign_key(self.design, entity)
            if pointed is None:
                continue
            target, key = pointed
            rule = "parent" if isinstance(spec, Parent) else "reference"
            where = f"{entity}.{name}"
            if not (self.has(entity, name) and self.has(target, key)):
                self.add(rule, where, f"values of {target}.{key}", f"{target}.{key} not in the data", None)
                continue
            values = self.frames[entity][name].drop_nulls()
            orphans = values.filter(~values.is_in(self.frames[target][key].drop_nulls().implode()))
            shown = ", ".join(str(v) for v in orphans.unique(maintain_order=True).head(SHOWN).to_list())
            observed = (
                f"{orphans.len():,} of {values.len():,} point nowhere ({shown})"
                if orphans.len()
                else f"all {values.len():,} resolve"
            )
            self.add(rule, where, f"values of {target}.{key}", observed, orphans.len() == 0)
            specs = specs_of(self.design, entity, name)
            if isinstance(spec, Reference) and len(specs) == 1 and not spec.edge_rate:
                self.reference_rules(entity, name, spec, key)

    def reference_rules(self, entity: str, name: str, spec: Reference, key: str) -> None:
        where = f"{entity}.{name}"
        frame = self.frames[entity]
        if spec.not_equal is not None:
            if self.has(entity, spec.not_equal):
                same = frame.filter(pl.col(name).is_not_null() & (pl.col(name) == pl.col(spec.not_equal))).height
                self.add("not equal", where, f"never {spec.not_equal}", f"{same:,} rows equal it" if same else "never", same == 0)
            else:
                self.add("not equal", where, f"never {spec.not_equal}", self.absent(entity, [spec.not_equal]), None)
        if spec.distinct_per_parent():
            link = self.parent_link(entity)
            if link is None:
                self.add("distinct per parent", where, "distinct within each parent row", "no parent field in the data", None)
            else:
                pairs = frame.select(link[0], name).drop_nulls()
                repeats = pairs.filter(pairs.is_duplicated()).height
                shown = f"{repeats:,} rows repeat a row of their parent's" if repeats else "distinct"
                self.add("distinct per parent", where, "distinct within each parent row", shown, repeats == 0)
        if spec.tree:
            self.tree(entity, name, key)
        self.reference_law(entity, name, spec, key)

    def tree(self, entity: str, name: str, key: str) -> None:
        """Each row points at an earlier row of its own entity (in its sequence key's order, else in
        the order the rows were read); the first row is a root."""
        frame = self.frames[entity]
        ent = self.design.entities[entity]
        made = ent.fields.get(key)
        if isinstance(made, Sequence) and made.step > 0:
            frame = frame.sort(key)  # the order rows were made in, whatever order a database returns them in
        frame = frame.with_row_index("__at")
        where = f"{entity}.{name}"
        positions = frame.select(pl.col(key).alias(name), pl.col("__at").alias("__target")).unique(name, keep="first")
        joined = frame.select("__at", name).join(positions, on=name, how="left")
        later = joined.filter(pl.col(name).is_not_null() & (pl.col("__target") >= pl.col("__at"))).height
        first_root = frame.height == 0 or frame[name][0] is None
        observed = f"{later:,} rows point at themselves or later rows" if later else "earlier rows only"
        if not first_root:
            observed += "; the first row is not a root"
        self.add("tree", where, "an earlier row, the first row a root", observed, later == 0 and first_root)

    def reference_law(self, entity: str, name: str, spec: Reference, key: str) -> None:
        """Rows drawn evenly, or in proportion to their weight field: chi-square over the rows
        pointed at. Zipf draws rank rows through a seeded permutation the data does not show, and
        unique, tree, distinct and not_equal draws are not independent: those are left out."""
        if spec.unique or spec.tree or spec.distinct_per_parent() or spec.not_equal is not None:
            return
        if spec.distribution == "zipf" and spec.weight is None:
            return
        target = spec.entity
        values = self.frames[entity][name].drop_nulls()
        if values.len() < MIN_SAMPLE:
            return
        where = f"{entity}.{name}"
        if spec.weight is not None:
            if not self.has(target, spec.weight):
                self.add("law", where, f"rows by {target}.{spec.weight}", self.absent(target, [spec.weight]), None)
                return
            weights = self.frames[target][spec.weight].cast(pl.Float64).fill_null(0.0).to_numpy()
            expected = f"rows in proportion to {target}.{spec.weight}"
        else:
            weights = np.ones(self.frames[target].height)
            expected = f"each row of {target} alike"
        if weights.sum() <= 0:
            return
        keys = self.frames[target].select(pl.col(key).alias("__key"))
        counts = values.alias("__key").value_counts(name="__n")
        observed = keys.join(counts, on="__key", how="left", maintain_order="left")["__n"].fill_null(0).to_numpy()
        outside = values.len() - int(observed.sum())  # orphans: the reference rule fails them
        fitted = fit.chi_square_categories(np.append(observed, outside), np.append(weights / weights.sum(), 0.0))
        self.add("law", where, expected, fitted.detail, fitted.p_value >= self.alpha, fitted.test, fitted.p_value)
