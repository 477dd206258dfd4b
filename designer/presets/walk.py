"""A structural walk over raw preset data, before pydantic sees it.

It exists for the messages: an unknown key, kind or option is named with its
full key path and the nearest known word, which pydantic's union errors cannot do.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..errors import PresetError, did_you_mean
from ..model import KIND_MODELS, Design, DesignInfo, Entity, ParentLink, Variant
from ..model.counts import COUNT_TAGS, FieldCount
from ..model.design import name_problem
from ..model.dirt import Dirt, EntityDirt


def _keys(model) -> list[str]:
    """A model's keys as a preset spells them (`Design.info` is `[design]`)."""
    return [info.alias or name for name, info in model.model_fields.items()]


def _check_keys(raw: dict, allowed: list[str], path: str, what: str = "key", owner: str = "") -> None:
    for key in raw:
        if key not in allowed:
            where = f"{path}.{key}" if path else key
            raise PresetError(f'unknown {what} "{key}"{owner}{did_you_mean(key, allowed)}', path=where)


def _table(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        raise PresetError(f"must be a table, not {type(value).__name__} {value!r}", path=path)
    return value


def _check_names(names, path: str, *, entity: bool = False) -> None:
    """Before the names go into key paths: a newline in one would split the message."""
    for name in names:
        if problem := name_problem(name, entity=entity):
            raise PresetError(problem, path=path)


def walk(raw: dict) -> None:
    _check_keys(raw, _keys(Design), "")
    if "design" in raw:
        _check_keys(_table(raw["design"], "design"), _keys(DesignInfo), "design")
        if "name" in raw["design"]:
            _check_names([raw["design"]["name"]], "design.name")
    entities = _table(raw.get("entities", {}), "entities")
    _check_names(entities, "entities", entity=True)
    for name, entity in entities.items():
        path = f"entities.{name}"
        entity = _table(entity, path)
        _check_keys(entity, _keys(Entity), path)
        if isinstance(dirt := entity.get("dirty"), dict):
            _check_keys(dirt, _keys(EntityDirt), f"{path}.dirty", what="kind of dirt")
        if "parent" in entity:
            parent = _table(entity["parent"], f"{path}.parent")
            _check_keys(parent, _keys(ParentLink), f"{path}.parent")
            if "count" in parent:
                walk_count(parent["count"], f"{path}.parent.count")
        fields = _table(entity.get("fields", {}), f"{path}.fields")
        _check_names(fields, f"{path}.fields")
        for fname, spec in fields.items():
            walk_field(spec, f"{path}.fields.{fname}")
        variants = _table(entity.get("variants", {}), f"{path}.variants")
        _check_names(variants, f"{path}.variants")
        for vname, variant in variants.items():
            vpath = f"{path}.variants.{vname}"
            variant = _table(variant, vpath)
            _check_keys(variant, _keys(Variant), vpath)
            for child, count in _table(variant.get("children", {}), f"{vpath}.children").items():
                walk_count(count, f"{vpath}.children.{child}")
            vfields = _table(variant.get("fields", {}), f"{vpath}.fields")
            _check_names(vfields, f"{vpath}.fields")
            for fname, spec in vfields.items():
                walk_field(spec, f"{vpath}.fields.{fname}")


def walk_count(spec: Any, path: str) -> None:
    """A count of children: a distribution (a field spec), or `{ field = "seats" }`."""
    spec = _table(spec, path)
    if "kind" in spec or "field" not in spec:
        walk_field(spec, path)
        return
    _check_keys(spec, _keys(FieldCount), path, what="option", owner=" for a count that reads a field")
    if not isinstance(spec["field"], str):
        raise PresetError(f"must be the name of a field of the parent entity, not {spec['field']!r}", path=f"{path}.field")


def walk_field(spec: Any, path: str) -> None:
    spec = _table(spec, path)
    kind = spec.get("kind")
    if kind is None:
        raise PresetError(f"a field needs a kind ({', '.join(KIND_MODELS)})", path=path)
    if not isinstance(kind, str) or kind not in KIND_MODELS:
        raise PresetError(f'unknown kind "{kind}"{did_you_mean(str(kind), KIND_MODELS)}', path=f"{path}.kind")
    _check_keys(spec, _keys(KIND_MODELS[kind]), path, what="option", owner=f" for {kind}")
    if isinstance(dirt := spec.get("dirty"), dict):
        _check_keys(dirt, _keys(Dirt), f"{path}.dirty", what="kind of dirt")


def describe_validation_error(error: ValidationError) -> tuple[str, str]:
    """(key path, message) for the first pydantic error, with kind tags taken out of the path."""
    errors = error.errors(include_url=False)
    first = errors[0]
    # A value no member of a union takes (const's value) fails once per member; our own reason
    # (beyond 64 bits, not finite) says more than "input should be a valid boolean".
    first = next((e for e in errors if e["type"] == "value_error" and e["loc"][:-1] == first["loc"][:-1]), first)
    loc = [str(p) for p in first["loc"]]
    path: list[str] = []
    for i, part in enumerate(loc):
        # pydantic puts the union tag ("normal") after a field's name; the user never wrote it.
        # It follows a field's name, which follows "fields", or it follows a parent's "count".
        if (
            part in KIND_MODELS
            and i > 0
            and (loc[i - 1] in COUNT_TAGS or loc[i - 1] == "count" or (i > 1 and loc[i - 2] == "fields"))
        ):
            continue
        if part in COUNT_TAGS and i > 0 and (loc[i - 1] == "count" or (i > 1 and loc[i - 2] == "children")):
            continue  # a count's union tag: a distribution, or a field of the parent
        if part.startswith("function-") or part in ("str", "int", "float", "list[str]", "dict[str,union[int,float]]"):
            continue
        path.append(part)
    if first["type"] == "value_error":
        message = str(first["ctx"]["error"])
    else:
        message = first["msg"][0].lower() + first["msg"][1:]
        value = first.get("input")
        if not isinstance(value, (dict, list)) and first["type"] != "missing":
            message += f", not {value!r}"
    return ".".join(path), message
