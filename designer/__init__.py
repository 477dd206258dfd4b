"""designer: realistic, related, reproducible test data from a TOML preset.

`designer.load(path)` returns a Dataset with preview(), generate() and export();
the import is lazy so that `designer --version` stays instant.
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    if name in ("load", "loads", "Dataset"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'designer' has no attribute {name!r}")
