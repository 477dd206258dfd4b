"""Read and write presets.

Reading: tomllib -> a structural walk that names unknown keys and kinds with a
suggestion -> pydantic -> whole-design checks. Every refusal is one PresetError
whose str() is `file: key.path: what is wrong`.

Writing: tomlkit, merged into the file that is on disk, so a hand-written
preset keeps its comments, key order and layout and `git diff` shows only what
changed. Writes go to a temporary file that is renamed over the target.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import PresetError
from ..model import FORMAT_VERSION, Design, check_design
from ..model.base import FieldBase
from ..model.counts import FieldCount
from ..model.limits import MAX_DEPTH
from .tomledit import merge_into, new_document
from .walk import describe_validation_error, walk


def loads(text: str, *, file: str = "<preset>") -> Design:
    """A design from preset text; raises PresetError naming `file` and the key path."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PresetError(f"not valid TOML: {_toml_reason(error)}", file=file) from None
    except RecursionError:  # tomllib parses nested arrays and tables by recursion
        raise PresetError(_TOO_DEEP, file=file) from None
    if _depth(raw) > MAX_DEPTH:  # shallower than tomllib's limit, deeper than pydantic and the walk want
        raise PresetError(_TOO_DEEP, file=file)
    if not raw:
        raise PresetError("the preset is empty: it needs at least one [entities.NAME] table", file=file)
    return from_dict(raw, file=file)


_TOO_DEEP = f"tables and arrays are nested more than {MAX_DEPTH} levels deep; a preset needs a handful"


def _depth(raw: Any) -> int:
    """How deep tables and arrays nest, without recursion."""
    deepest, stack = 0, [(raw, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack += [(v, depth + 1) for v in (value.values() if isinstance(value, dict) else value)]
    return deepest


def from_dict(raw: dict[str, Any], *, file: str = "<preset>") -> Design:
    version = raw.get("format")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        # before anything else: a newer file may use keys this version does not know
        raise PresetError(
            f"format {version} is newer than this designer understands ({FORMAT_VERSION}); upgrade designer",
            path="format",
            file=file,
        )
    try:
        walk(raw)
        design = Design.model_validate(raw)
        if not design.entities:
            raise PresetError("the preset defines no entities: add an [entities.NAME] table", path="entities")
        check_design(design)
    except PresetError as error:
        raise error.located(file=file) from None
    except ValidationError as error:
        path, message = describe_validation_error(error)
        raise PresetError(message, path=path, file=file) from None
    return design


def load(path: str | os.PathLike) -> Design:
    """Read a preset file."""
    return loads(read_text(path), file=str(path))


def read_text(path: str | os.PathLike) -> str:
    p = Path(path)
    if not p.exists():
        raise PresetError("no such file", file=str(path))
    if p.is_dir():
        raise PresetError("is a directory, not a preset file", file=str(path))
    try:
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PresetError("not a text file (it is not UTF-8): a preset is TOML text", file=str(path)) from None
    except OSError as error:
        raise PresetError(f"cannot read: {error.strerror}", file=str(path)) from None


def _toml_reason(error: tomllib.TOMLDecodeError) -> str:
    # tomllib says "Invalid value (at line 3, column 7)"; put the place first.
    message = str(error)
    if "(at line" in message:
        reason, _, where = message.rpartition(" (at ")
        return f"{where.rstrip(')')}: {reason[0].lower()}{reason[1:]}"
    return message


def dumps(design: Design, original: str | None = None) -> str:
    """Preset text for a design: merged into `original` text when given, keeping its layout."""
    if original:
        return merge_into(original, to_dict(design))
    return new_document(to_dict(design))


def save(
    design: Design, path: str | os.PathLike, *, file_label: str | None = None, layout_from: str | os.PathLike | None = None
) -> None:
    """Write a design to a preset file atomically, keeping the existing file's comments and layout
    (or those of `layout_from`, the file the design was read from, for a Save as).

    A design that does not pass the loader's checks is refused: a broken design never
    replaces a good file.
    """
    label = file_label or str(path)
    try:
        check_design(design)
    except PresetError as error:
        raise error.located(file=label) from None
    target = Path(path)
    source = Path(layout_from) if layout_from is not None and Path(layout_from).is_file() else target
    original = source.read_text(encoding="utf-8") if source.is_file() else None
    text = dumps(design, original)
    loads(text, file=label)  # what we write must read back: never write a file we cannot load
    atomic_write_text(target, text)


def atomic_write_text(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        # mkstemp makes 0600; a replaced file keeps its mode, a new one gets what open() would give
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o22)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


def to_dict(design: Design) -> dict[str, Any]:
    """Plain data for a design: only the keys the user set, kind first in every field."""
    out: dict[str, Any] = {"format": design.format}
    out["design"] = design.info.model_dump(exclude_unset=True)
    entities: dict[str, Any] = {}
    for name, entity in design.entities.items():
        ent: dict[str, Any] = {}
        for key in entity.model_fields_set - {"fields", "variants", "parent"}:
            ent[key] = getattr(entity, key)
        ent = {k: ent[k] for k in ("description", "rows", "table", "primary_key", "unique") if k in ent}
        if entity.parent is not None:
            ent["parent"] = {"entity": entity.parent.entity, "count": field_dict(entity.parent.count)}
        ent["fields"] = {n: field_dict(f) for n, f in entity.fields.items()}
        if entity.dirty is not None:
            ent["dirty"] = entity.dirty.model_dump(exclude_unset=True)
        if entity.variants:
            ent["variants"] = {
                vname: {
                    **variant.model_dump(exclude_unset=True, exclude={"fields", "children"}),
                    **({"children": {c: field_dict(k) for c, k in variant.children.items()}} if variant.children else {}),
                    "fields": {n: field_dict(f) for n, f in variant.fields.items()},
                }
                for vname, variant in entity.variants.items()
            }
        entities[name] = ent
    out["entities"] = entities
    return out


def field_dict(spec) -> dict[str, Any]:
    """A field as the format page writes it: kind, its own options, then the common ones (a count
    that reads a parent field is just `{ field = ... }`)."""
    if isinstance(spec, FieldCount):
        return spec.model_dump()
    data = spec.model_dump(exclude_unset=True)
    data.pop("kind", None)
    common = FieldBase.model_fields
    own = {k: v for k, v in data.items() if k not in common}
    return {"kind": spec.kind, **own, **{k: v for k, v in data.items() if k in common}}
