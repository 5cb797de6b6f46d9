"""Errors the domain layer raises; views and commands turn them into Vietnamese messages."""
from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the operation; ``message`` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Input refused; ``errors`` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class StaleEditError(DomainError):
    """Someone saved the record after this person opened it."""
