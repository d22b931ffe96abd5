"""The library's exceptions and the exit codes they stand for. Only the CLI turns them into messages and exits."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Every exit status iduit uses, named once."""

    OK = 0
    NOT_FOUND = 1  # nothing matched: no hit, an unknown id or term
    USAGE = 2  # bad input: a malformed request, invalid content or files, a file that may not be written
    INTERNAL = 70  # EX_SOFTWARE: a bug in iduit, not a problem with the input
    INTERRUPTED = 130  # Ctrl-C


class IduitError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = ExitCode.USAGE


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

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        self.suggestions = suggestions or []
        super().__init__(message)


class UsageError(IduitError):
    """The request itself is malformed (bad id syntax, bad option value)."""


class ExportError(IduitError):
    """An export could not be written (exists, unwritable, outside target)."""


class IndexUnavailable(IduitError):
    """The search index could not be built or opened anywhere."""
