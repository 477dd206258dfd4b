"""designer: realistic, related, reproducible test data from a TOML preset."""

__version__ = "0.1.0"
