"""A new field's first spec, guessed from its name: what a user naming a column `email` means.

Faker names its providers after the data (first_name, email, city), so a name that is a provider
is that provider; a few common column names are mapped to one, and times and keys to their kinds.
"""

from __future__ import annotations

from typing import Any

from .catalog import ALLOWED

# Column names people write that are not a provider's name, and the provider that fills them.
ALIASES = {
    "phone": "phone_number",
    "mobile": "phone_number",
    "telephone": "phone_number",
    "surname": "last_name",
    "firstname": "first_name",
    "lastname": "last_name",
    "username": "user_name",
    "login": "user_name",
    "zip": "postcode",
    "zip_code": "postcode",
    "postal_code": "postcode",
    "street": "street_address",
    "website": "url",
    "homepage": "url",
    "ip": "ipv4",
    "ip_address": "ipv4",
    "title": "sentence",
    "body": "paragraph",
    "bio": "paragraph",
    "comment": "sentence",
    "description": "paragraph",
    "full_name": "name",
    "fullname": "name",
    "organisation": "company",
    "organization": "company",
}
# Providers too generic to be meant by a suffix (`order_id` is no `id`, `file_name` no `name`).
_NOT_BY_SUFFIX = frozenset({"name", "word", "text", "number", "code", "time", "date", "year", "uuid4"})


def _provider(name: str) -> str | None:
    lowered = name.lower()
    if lowered in ALLOWED:
        return lowered
    if lowered in ALIASES:
        return ALIASES[lowered]
    parts = lowered.split("_")
    for i in range(1, len(parts)):  # billing_address -> address, contact_email -> email
        tail = "_".join(parts[i:])
        hit = tail if tail in ALLOWED else ALIASES.get(tail)
        if hit and tail not in _NOT_BY_SUFFIX:
            return hit
    return None


def guess_field(name: str) -> dict[str, Any]:
    """The spec (plain data) a new field named `name` starts with."""
    lowered = name.lower()
    if lowered == "id":
        return {"kind": "sequence"}
    if lowered.endswith("_at") or lowered in ("timestamp", "created", "updated"):
        return {"kind": "datetime"}
    if lowered.endswith("_date") or lowered in ("date", "birthday", "birth_date", "date_of_birth"):
        return {"kind": "date"}
    if lowered.startswith(("is_", "has_")):
        return {"kind": "bool"}
    return {"kind": "faker", "provider": _provider(name) or "word"}
