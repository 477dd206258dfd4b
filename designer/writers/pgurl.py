"""PostgreSQL URLs as shown to people (never with a password) and connections that give up.

A password can sit in the URL twice over (`user:secret@host`, `?password=secret`) and come back
inside the driver's own messages (a malformed URL is quoted in them): `shown` hides the first,
`said` the second. Every message, summary line and progress label goes through them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from ..errors import ExportError

if TYPE_CHECKING:
    import psycopg  # optional (designer[postgres]): imported when a connection is made

CONNECT_TIMEOUT = 10  # seconds: an unreachable host, or one that accepts and never answers
STATEMENT_TIMEOUT = 300  # seconds per statement (a COPY block, a key built); 0 waits forever
HIDDEN = "***"
_USERINFO = re.compile(r"(?P<scheme>^[a-z]+://)(?P<user>[^:/@?#]*):(?P<password>[^@/?#]*)@", re.I)
_QUERY_SECRET = re.compile(r"(?P<key>(?:^|[?&;])(?:ssl)?password=)(?P<value>[^&#]*)", re.I)


def shown(url: str) -> str:
    """The URL without its passwords, for messages."""
    url = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{HIDDEN}@", url, count=1)
    return _QUERY_SECRET.sub(lambda m: f"{m['key']}{HIDDEN}", url)


def secrets(url: str) -> list[str]:
    """The passwords a URL holds, as written and decoded."""
    found = [m["password"] for m in _USERINFO.finditer(url)] + [m["value"] for m in _QUERY_SECRET.finditer(url)]
    try:
        query = urlsplit(url).query
        found += [v for k, v in parse_qsl(query, keep_blank_values=True) if k.lower() in ("password", "sslpassword")]
    except ValueError:
        pass
    return sorted({s for p in found for s in (p, unquote(p)) if s}, key=len, reverse=True)


def said(message: object, url: str) -> str:
    """A driver's message (an exception or its text) on one line, with the URL's passwords taken out."""
    text = " ".join(str(message).split())
    for secret in secrets(url):
        text = text.replace(secret, HIDDEN)
    return text


def has_param(url: str, name: str) -> bool:
    try:
        return any(k == name for k, _ in parse_qsl(urlsplit(url).query))
    except ValueError:
        return False


SCHEMA = "schema"  # ?schema=NAME: the tables go in that schema (libpq knows no such parameter: taken out)


def schema_of(url: str) -> str | None:
    """The schema `?schema=NAME` names (None: the server's search_path, `public` as a rule)."""
    try:
        given = [v for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True) if k == SCHEMA]
    except ValueError:
        return None  # libpq reports the malformed URL when it connects
    if not given:
        return None
    if len(given) > 1 or not given[0] or "\0" in given[0]:
        raise ExportError(f"{shown(url)}: ?schema= takes one schema name")
    return given[0]


def _without_schema(url: str) -> str:
    parts = urlsplit(url)
    kept = [p for p in parts.query.split("&") if p and unquote(p.split("=", 1)[0]) != SCHEMA]
    return urlunsplit(parts._replace(query="&".join(kept)))


def connect(url: str, connect_timeout: int | None = None) -> psycopg.Connection:
    """A connection, or one line saying why not. Without `connect_timeout`, the URL's own
    `connect_timeout` holds where it has one, else CONNECT_TIMEOUT. With `?schema=NAME`, the
    search path is that schema alone, so every unqualified name (and current_schema()) is its own;
    it need not exist yet (the writer creates it)."""
    try:
        import psycopg
    except ImportError:
        raise ExportError(f"{shown(url)}: PostgreSQL needs the psycopg driver: pip install 'designer[postgres]'") from None
    from .sqltypes import quote

    schema = schema_of(url)
    if connect_timeout is None and not has_param(url, "connect_timeout"):
        connect_timeout = CONNECT_TIMEOUT
    extra: dict[str, Any] = {} if connect_timeout is None else {"connect_timeout": connect_timeout}
    try:
        conn = psycopg.connect(_without_schema(url) if schema is not None else url, autocommit=False, **extra)
    except psycopg.Error as error:
        raise ExportError(f"{shown(url)}: cannot connect: {said(error, url)}") from None
    if schema is not None:
        try:
            conn.execute(f"SET search_path TO {quote(schema)}")
            conn.commit()  # for the session: a rolled-back transaction would take a SET back with it
        except psycopg.Error as error:
            conn.close()
            raise ExportError(f"{shown(url)}: {said(error, url)}") from None
    return conn
