"""Faker's clock, held at the design's reference time while designer calls Faker.

Faker's date providers (and those built on them: credit_card_expire, year, iso8601, ...) read
the clock through `datetime.now()` and `date.today()`, and the machine's time zone: a preset
would mean another dataset every day, and on every machine. Faker has no setting for either, so
the names its date_time module reads them through are swapped, once, for classes that answer
with the reference time while `stopped_at` is in force in the calling thread (a context
variable), and with the real clock otherwise. Instances of the stdlib classes still pass the
module's isinstance checks.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_STOPPED: ContextVar[dt.datetime | None] = ContextVar("designer_faker_now", default=None)
_installing = threading.Lock()


class _AcceptsTheStdlibClass(type):
    """isinstance(x, _Datetime) is isinstance(x, datetime): Faker checks the values it is given."""

    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, cls.__mro__[1])

    def __subclasscheck__(cls, sub) -> bool:
        return issubclass(sub, cls.__mro__[1])


class _Datetime(dt.datetime, metaclass=_AcceptsTheStdlibClass):
    # Faker's values are made through this class: in text (a pydict's repr) they read as the stdlib's
    def __repr__(self) -> str:
        return repr(dt.datetime.combine(self.date(), self.timetz(), self.tzinfo).replace(fold=self.fold))

    @classmethod
    def now(cls, tz=None):
        stopped = _STOPPED.get()
        if stopped is None:
            return dt.datetime.now(tz)
        return stopped if tz is None else stopped.replace(tzinfo=tz)

    @classmethod
    def today(cls):
        return cls.now()


class _Date(dt.date, metaclass=_AcceptsTheStdlibClass):
    def __repr__(self) -> str:
        return repr(dt.date(self.year, self.month, self.day))

    @classmethod
    def today(cls):
        stopped = _STOPPED.get()
        return dt.date.today() if stopped is None else stopped.date()


def _install() -> None:
    from faker.providers import date_time as module

    with _installing:
        if module.datetime is _Datetime:
            return
        machine_zone = module._get_local_timezone
        module.datetime, module.dtdate = _Datetime, _Date
        # naive values are read as UTC, not as the machine's zone
        module._get_local_timezone = lambda: dt.timezone.utc if _STOPPED.get() is not None else machine_zone()


@contextmanager
def stopped_at(now: dt.datetime) -> Iterator[None]:
    """Faker's "now" is `now` (its wall-clock time) in this thread until the block ends."""
    _install()
    token = _STOPPED.set(now.replace(tzinfo=None))
    try:
        yield
    finally:
        _STOPPED.reset(token)
