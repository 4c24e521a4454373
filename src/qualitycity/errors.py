"""Errors that services raise and pages, the API and the CLI turn into messages."""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    """A refused change. `messages` are complete sentences in the user's language."""

    def __init__(self, messages: str | Iterable[str]) -> None:
        self.messages = [messages] if isinstance(messages, str) else [str(m) for m in messages]
        super().__init__("; ".join(str(m) for m in self.messages))


class ValidationFailed(DomainError):
    pass


class NotAllowed(DomainError):
    pass


class InvalidTransition(DomainError):
    pass


class StaleVersion(DomainError):
    """Someone else saved this object since it was read (HTTP 409)."""
