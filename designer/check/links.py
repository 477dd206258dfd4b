"""Rules for fields that point at rows: parent and reference fields resolve."""

from __future__ import annotations

from ..model.deps import all_fields
from ..model.kinds import Parent
from .base import SHOWN, Base


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
