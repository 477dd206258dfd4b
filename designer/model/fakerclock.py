"""Faker's clock, held at the design's reference time while designer calls Faker.

Faker's date providers (and those built on them: credit_card_expire, year, iso8601, ...) and a
few locales' own (fi_FI's ssn) read the clock through `datetime.now()` and `date.today()`, and the
machine's time zone: a preset would mean another dataset every day, and on every machine. Faker
has no setting for either, so the names Faker's provider modules read them through are swapped,
once per module, for classes that answer with the reference time while `stopped_at` is in force
in the calling thread (a context variable), and with the real clock otherwise. Instances of the
stdlib classes still pass isinstance checks against them. A date a signature computed when Faker
was imported (`passport_dates(birthday=date.today())`) is given the reference day by the caller.
"""

from __future__ import annotations

import datetime as dt
import inspect
import sys
import threading
import types
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
        # the reference time is a wall-clock time read as UTC; in another zone, the same instant
        return stopped if tz is None else stopped.replace(tzinfo=dt.UTC).astimezone(tz)

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


def _stdlib_module_with_the_clock_held() -> types.ModuleType:
    """`datetime` the module, but for its date and datetime classes: for `import datetime` users."""
    module = types.ModuleType("datetime")
    module.__dict__.update(vars(dt), date=_Date, datetime=_Datetime)
    return module


_DATETIME_MODULE = _stdlib_module_with_the_clock_held()
_patched: set[str] = set()  # Faker modules already reading the clock through the classes above
_modules_seen = 0  # len(sys.modules) at the last look: no new module, nothing new to patch


def _install() -> None:
    """Every Faker provider module imported so far reads the clock through the classes above:
    the date_time module, and the locales that read it themselves (fi_FI's and sv_SE's ssn, ru_RU's
    company numbers). Faker imports a locale's modules when the locale is first used, so this
    looks again whenever modules have been imported since; a module is patched once."""
    global _modules_seen
    if len(sys.modules) == _modules_seen:  # every block of a per-row field: nothing new
        return
    with _installing:
        _modules_seen = len(sys.modules)
        for name, module in list(sys.modules.items()):
            if name in _patched or not name.startswith("faker.providers") or module is None:
                continue
            _patched.add(name)
            names = vars(module)
            for attr, stdlib, held in (
                ("datetime", dt.datetime, _Datetime),
                ("datetime", dt, _DATETIME_MODULE),
                ("date", dt.date, _Date),
                ("dtdate", dt.date, _Date),
            ):
                if names.get(attr) is stdlib:
                    setattr(module, attr, held)
            if "_get_local_timezone" in names:  # naive values are read as UTC, not as the machine's zone
                machine_zone = names["_get_local_timezone"]
                names["_get_local_timezone"] = lambda zone=machine_zone: dt.UTC if _STOPPED.get() is not None else zone()


@contextmanager
def stopped_at(now: dt.datetime) -> Iterator[None]:
    """Faker's "now" is `now` (its wall-clock time) in this thread until the block ends."""
    _install()
    token = _STOPPED.set(now.replace(tzinfo=None))
    try:
        yield
    finally:
        _STOPPED.reset(token)


def with_reference_day(method, given: dict, now: dt.datetime) -> dict:
    """`given`, and the reference day (or time) for each parameter whose default is a date Faker
    computed when it was imported: that default is the day of the import, not of the design."""
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return given
    held = {
        name: now.replace(tzinfo=None) if isinstance(p.default, dt.datetime) else now.date()
        for name, p in parameters.items()
        if name not in given and isinstance(p.default, dt.date)
    }
    return {**given, **held} if held else given
