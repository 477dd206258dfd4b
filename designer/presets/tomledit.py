"""TOML text for a design: new files laid out like the format page, edits merged into old ones.

A merge touches only what changed: equal values keep their text (and comments),
changed tables are merged key by key, removed keys go, new keys are appended.
"""

from __future__ import annotations

from typing import Any

import tomlkit
from tomlkit.items import AoT, InlineTable, SingleKey, Table

_Container = (tomlkit.TOMLDocument, Table, InlineTable)


def _plain(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item


def _inline_text(data: dict) -> str:
    parts = [
        f"{key} = {_inline_text(value) if isinstance(value, dict) else tomlkit.item(value).as_string()}"
        for key, value in data.items()
    ]
    return "{ " + ", ".join(parts) + " }" if parts else "{}"


def _inline(data: dict) -> InlineTable:
    """An inline table written as the format page writes them: `{ kind = "uuid" }`."""
    return tomlkit.parse("x = " + _inline_text(data) + "\n")["x"]


def _in_users_order(old: InlineTable, new: dict) -> dict:
    """`new` in the order the user wrote `old`'s keys (nested tables too); new keys at the end."""
    order = [k for k in old if k in new] + [k for k in new if k not in old]
    return {
        k: _in_users_order(old[k], new[k]) if isinstance(old.get(k), InlineTable) and isinstance(new[k], dict) else new[k]
        for k in order
    }


def _rewritten_inline(old: InlineTable, new: dict) -> InlineTable:
    """A changed inline table written afresh with single spaces (tomlkit's key-by-key edits pad it
    with spaces), keeping the user's key order and the comment after it."""
    item = _inline(_in_users_order(old, new))
    item.trivia.comment_ws, item.trivia.comment = old.trivia.comment_ws, old.trivia.comment
    item.trivia.trail = old.trivia.trail
    return item


def _body(container) -> list:
    inner = container if isinstance(container, tomlkit.TOMLDocument) else container.value
    return [(k, v) for k, v in inner.body if k is not None]


def _add(container, key: str, item) -> None:
    """Append a key, padded like its siblings when they are aligned (`id         = ...`)."""
    widths = [len(k.as_string()) for k, v in _body(container) if not isinstance(v, (Table, AoT))]
    if widths and not isinstance(container, InlineTable) and max(widths) > len(key) and not isinstance(item, Table):
        container.append(SingleKey(key, sep="= ", original=key.ljust(max(widths))), item)
    else:
        container.append(key, item)


def _field_table(fields: dict) -> Table:
    table = tomlkit.table()
    for name, spec in fields.items():
        table[name] = _inline(spec)
    return table


def _entity_table(entity: dict) -> Table:
    table = tomlkit.table()
    for key, value in entity.items():
        if key == "parent":
            table[key] = _inline(value)
        elif key == "fields":
            table[key] = _field_table(value)
        elif key == "variants":
            variants = tomlkit.table(is_super_table=True)
            for vname, variant in value.items():
                vt = tomlkit.table()
                for vkey, vvalue in variant.items():
                    vt[vkey] = _field_table(vvalue) if vkey == "fields" else vvalue
                variants[vname] = vt
            table[key] = variants
        else:
            table[key] = value
    return table


def new_document(data: dict) -> str:
    doc = tomlkit.document()
    doc["format"] = data["format"]
    doc.add(tomlkit.nl())
    design = tomlkit.table()
    for key, value in data["design"].items():
        design[key] = value
    doc["design"] = design
    entities = tomlkit.table(is_super_table=True)
    for name, entity in data["entities"].items():
        entities[name] = _entity_table(entity)
    doc["entities"] = entities
    return tomlkit.dumps(doc)


def _item_for(key_path: tuple[str, ...], value: Any, like: Any = None) -> Any:
    """A new TOML item for `value`, shaped like the one it replaces or like the format page."""
    if not isinstance(value, dict):
        return value
    if isinstance(like, InlineTable):
        return _inline(value)
    depth = len(key_path)
    if depth == 2 and key_path[0] == "entities":
        return _entity_table(value)
    if key_path[-1] == "fields" or (depth >= 2 and key_path[-2] in ("fields",)):
        return _field_table(value) if key_path[-1] == "fields" else _inline(value)
    if key_path[-1] == "parent":
        return _inline(value)
    if depth == 4 and key_path[2] == "variants":  # a new variant: its own [entities.x.variants.name]
        return tomlkit.table()
    return _inline(value) if depth > 3 else tomlkit.table()


def _merge(container, new: dict, key_path: tuple[str, ...]) -> None:
    for key in [k for k in container if k not in new]:
        del container[key]
    for key, value in new.items():
        path = key_path + (key,)
        if key not in container:
            item = _item_for(path, value)
            _add(container, key, item)
            if isinstance(item, Table) and not item:  # a fresh [table]: fill it key by key
                _merge(container[key], value, path)
                container[key].add(tomlkit.nl())  # a blank line before whatever table follows
            continue
        old = container[key]
        if _plain(old) == value:
            continue  # unchanged: keep its text and comments
        if isinstance(old, InlineTable) and isinstance(value, dict):
            container[key] = _rewritten_inline(old, value)
        elif isinstance(value, dict) and isinstance(old, _Container) and not isinstance(old, AoT):
            _merge(old, value, path)
        else:
            container[key] = _item_for(path, value, like=old)
    _reorder(container, list(new))


def _reorder(container, order: list[str]) -> None:
    """Put keys in the design's order (fields are columns; their order is meaningful)."""
    if list(container.keys()) == order:
        return
    pairs = {k.key: (k, v) for k, v in _body(container)}
    for key in list(pairs):
        del container[key]
    for key in order:
        container.append(*pairs[key])  # the original Key keeps its padding


def merge_into(original: str, data: dict) -> str:
    doc = tomlkit.parse(original)
    _merge(doc, data, ())
    return tomlkit.dumps(doc)
