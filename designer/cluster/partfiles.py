"""The files of a partitioned export: `DIR/<entity>/part-00042.<ext>`, `_parts/`, `_pending.json`, `_manifest.json`.

Runs where the storage is (on a worker), so the machine that starts an export need not see it.
A local path is written through the ordinary writers: a hidden temporary name, renamed when
complete. An object-store URL is written by polars directly: an object becomes visible only
when its upload completes, so there is no temporary name, and nothing there is ever deleted.

`_pending.json` names the run (a fingerprint of design, rows, seed, format and partitioning)
so that a re-run resumes only its own parts; `_manifest.json`, written last, says complete.
Once a part's files are in place, the worker that wrote them records their SHA-256 in
`_parts/<root>-00042.json`: a re-run keeps a part only when its files still have those bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import polars as pl

from ..errors import ExportError
from ..writers import FORMATS
from ..writers.atomic import remove_quietly, temp_path
from ..writers.base import TableSpec, Target

MANIFEST = "_manifest.json"
PENDING = "_pending.json"
RECORDS = "_parts"  # one JSON document per part: its files' rows, bytes and SHA-256


def is_url(location: str) -> bool:
    return "://" in location


def extension(fmt: str) -> str:
    return FORMATS[fmt].options["extension"]


def part_file(entity: str, number: int, fmt: str) -> str:
    return f"{entity}/part-{number:05d}{extension(fmt)}"


def _join(location: str, name: str) -> str:
    return f"{location.rstrip('/')}/{name}"


def record_name(root: str, number: int) -> str:
    return f"{RECORDS}/{root}-{number:05d}.json"


def sha256(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


# ---- writing one part -----------------------------------------------------------------------


def write_part(location: str, fmt: str, specs: list[TableSpec], root: str, number: int, blocks) -> list[dict]:
    """Write one part's files from an iterator of per-block frames; all of them or none. A local
    part's files are then hashed as they are on disk and recorded (`record_name`)."""
    files = {s.name: part_file(s.name, number, fmt) for s in specs}
    if is_url(location):
        chunks: dict[str, list[pl.DataFrame]] = {s.name: [] for s in specs}
        for frames in blocks:
            for spec in specs:
                chunks[spec.name].append(frames[spec.name])
        for spec in specs:
            _put(_join(location, files[spec.name]), fmt, spec, chunks[spec.name])
        return [
            {
                "entity": s.name,
                "file": files[s.name],
                "rows": sum(c.height for c in chunks[s.name]),
                "bytes": None,
                "sha256": None,
            }
            for s in specs
        ]
    from ..writers import open_writer

    writers = {
        s.name: open_writer(Target(fmt, str(Path(location) / files[s.name]), "replace", {"single_file": True}), [s])
        for s in specs
    }
    try:
        for frames in blocks:
            for name, writer in writers.items():
                writer.write(name, frames[name])
        written = [w for writer in writers.values() for w in writer.commit()]
    except BaseException as error:
        for writer in writers.values():
            writer.abort()
        if isinstance(error, OSError):
            raise _failed(location, error) from None
        raise
    items = [
        {
            "entity": w.table,
            "file": files[w.table],
            "rows": w.rows,
            "bytes": w.bytes,
            "sha256": sha256(_join(location, files[w.table])),
        }
        for w in written
    ]
    try:  # after the files: a part killed in between has no record, and is written again
        write_json(location, record_name(root, number), {"files": {i["file"]: _kept(i) for i in items}})
    except OSError as error:
        raise _failed(location, error) from None
    return items


def _kept(item: dict) -> dict:
    return {k: item[k] for k in ("rows", "bytes", "sha256")}


def _put(url: str, fmt: str, spec: TableSpec, chunks: list[pl.DataFrame]) -> None:
    """One object, encoded as the local writers encode it."""
    from ..writers.files import DATETIME, times_as_text

    schema = {c.name: (pl.String if c.dtype == pl.Null else c.dtype) for c in spec.columns}
    # polars types cast()'s mapping with a key union, and a Mapping's key type is invariant: no dict[str, ...] fits it
    frame = pl.concat(chunks).cast(schema) if chunks else pl.DataFrame(schema=schema)  # type: ignore[arg-type]
    name = FORMATS[fmt].name
    try:
        if name == "parquet":
            from ..writers.parquet import nested

            nested(spec, frame).write_parquet(url, compression="zstd")
        elif name in ("csv", "tsv"):
            frame.write_csv(
                url, separator=FORMATS[fmt].options["separator"], datetime_format=DATETIME, date_format="%Y-%m-%d", null_value=""
            )
        else:
            times_as_text(frame).write_ndjson(url)
    except (OSError, pl.exceptions.PolarsError) as error:  # no bucket, no credentials, no network
        raise _failed(url, error) from None


def _failed(where: str, error: Exception) -> ExportError:
    """One line for the user, whichever layer failed (the OS, polars' object store)."""
    reason = getattr(error, "strerror", None) or str(error).strip().splitlines()[0]
    return ExportError(f"{where}: cannot write: {reason}")


# ---- before a run: refuse, clear or resume ----------------------------------------------------


def count_rows(path: str, fmt: str) -> int | None:
    """Rows in a finished part file, or None when it is missing or unreadable."""
    name = FORMATS[fmt].name
    try:
        if name == "parquet":
            scan = pl.scan_parquet(path)
        elif name in ("csv", "tsv"):
            scan = pl.scan_csv(path, separator=FORMATS[fmt].options["separator"], infer_schema=False)
        else:
            if not is_url(path) and Path(path).stat().st_size == 0:
                return 0
            scan = pl.scan_ndjson(path)
        return scan.select(pl.len()).collect().item()
    except (OSError, pl.exceptions.PolarsError):
        return None


def prepare(location: str, fmt: str, identity: dict, if_exists: str, expected: dict[str, int]) -> dict:
    """Make `location` ready for this run; return the part files already complete (`done`, to
    skip) and those whose bytes changed since they were written (`changed`, written again)."""
    try:
        return _prepare(location, fmt, identity, if_exists, expected)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise _failed(location, error) from None


def _prepare(location: str, fmt: str, identity: dict, if_exists: str, expected: dict[str, int]) -> dict:
    entities = sorted({f.split("/")[0] for f in expected})
    pending = read_json(location, PENDING)
    what: str | None
    if read_json(location, MANIFEST) is not None:
        what = "a complete export"
    elif pending is not None:  # an unfinished run: resumed if it is this one
        what = (
            None
            if pending.get("fingerprint") == identity["fingerprint"]
            else "an unfinished export of another design, rows, seed, format or library versions"
        )
    else:
        what = "part files but no manifest" if _has_parts(location, entities, fmt) else None
    if what:
        if if_exists != "replace":
            raise ExportError(f"{location}: holds {what}; pass --if-exists replace to overwrite it")
        if is_url(location):
            raise ExportError(f"{location}: holds {what}; objects there are never deleted, so write to a new prefix")
        _clear(Path(location), entities, fmt)
    if not is_url(location):
        for entity in entities:
            (Path(location) / entity).mkdir(parents=True, exist_ok=True)
        remove_temps(location, fmt)  # left by a killed run
    write_json(location, PENDING, identity)
    if is_url(location):  # objects cannot be read back as bytes with polars alone: their rows are counted
        return {
            "done": {
                f: {"rows": n, "bytes": None, "sha256": None}
                for f, n in expected.items()
                if count_rows(_join(location, f), fmt) == n
            },
            "changed": [],
        }
    return _verified(Path(location), expected)


def _verified(root: Path, expected: dict[str, int]) -> dict:
    """The part files whose bytes are those their writer recorded; a file without a record (its
    run killed before it) is neither kept nor reported, one with other bytes is reported."""
    records: dict[str, dict] = {}
    for path in sorted((root / RECORDS).glob("*.json")):
        try:
            record = read_json(str(root), f"{RECORDS}/{path.name}")
            if record is None:  # gone since the glob
                continue
            records.update(record["files"])
        except (ExportError, KeyError, TypeError):  # a record edited by hand: its part is written again
            continue
    done, changed = {}, []
    for file, rows in expected.items():
        record, path = records.get(file), root / file
        if record is None or record["rows"] != rows or not path.is_file():
            continue
        if path.stat().st_size == record["bytes"] and sha256(str(path)) == record["sha256"]:
            done[file] = record
        else:
            changed.append(file)
    return {"done": done, "changed": changed}


def remove_temps(location: str, fmt: str) -> None:
    """Remove the temporary part files under a local target: only when no writer can be at work."""
    if not is_url(location):
        for pattern in (f"*/.part-*{extension(fmt)}.*.part", f"{RECORDS}/.*.part"):
            for temp in Path(location).glob(pattern):
                remove_quietly(temp)


def _has_parts(location: str, entities: list[str], fmt: str) -> bool:
    if is_url(location):
        return False  # cannot list objects with polars alone; the manifest and _pending.json decide
    return any(next((Path(location) / e).glob(f"part-*{extension(fmt)}"), None) for e in entities)


def _clear(root: Path, entities: list[str], fmt: str) -> None:
    remove_quietly(root / MANIFEST)  # first: from here on nobody takes the directory for complete
    remove_quietly(root / PENDING)
    for path in [*(root / RECORDS).glob("*.json"), *(root / RECORDS).glob(".*.part")]:
        remove_quietly(path)  # before the parts: a record never outlives its part's files
    for entity in entities:
        for pattern in (f"part-*{extension(fmt)}", f".part-*{extension(fmt)}.*.part"):
            for path in (root / entity).glob(pattern):
                remove_quietly(path)


# ---- the manifest ------------------------------------------------------------------------------


def read_json(location: str, name: str) -> dict | None:
    path = _join(location, name)
    if is_url(location):
        try:
            return pl.read_ndjson(path).row(0, named=True)
        except (OSError, pl.exceptions.PolarsError):
            return None
    try:
        return json.loads(Path(path).read_text())
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError) as error:
        raise ExportError(f"{path}: unreadable: {error}") from None


def write_json(location: str, name: str, content: dict) -> None:
    """Atomically: a temporary name renamed into place, or one object (a one-line JSON document)."""
    path = _join(location, name)
    if is_url(location):
        pl.DataFrame([content]).write_ndjson(path)
        return
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path(final)
    try:
        temp.write_text(json.dumps(content, indent=2) + "\n")
        os.replace(temp, final)
    except BaseException:
        remove_quietly(temp)
        raise


def finish(location: str, manifest: dict) -> None:
    """Write the manifest, the last thing a run writes; then the run is no longer pending."""
    try:
        write_json(location, MANIFEST, manifest)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise _failed(location, error) from None
    if not is_url(location):
        remove_quietly(Path(location) / PENDING)
