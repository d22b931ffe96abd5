"""The library's exceptions. Only the CLI turns them into messages and exit codes."""

from __future__ import annotations


class IduitError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = 2


class ContentError(IduitError):
    """Content files are missing, unreadable or invalid.

    ``problems`` holds every ``file:line:col: message`` found, so callers can
    report them all at once.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        first = problems[0] if problems else "invalid content"
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(first + more)


class NotFound(IduitError):
    """Nothing matches what was asked for (unknown id, term, no search hit)."""

    exit_code = 1

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        self.suggestions = suggestions or []
        super().__init__(message)


class UsageError(IduitError):
    """The request itself is malformed (bad id syntax, bad option value)."""


class ExportError(IduitError):
    """An export could not be written (exists, unwritable, outside target)."""


class IndexUnavailable(IduitError):
    """The search index could not be built or opened anywhere."""
