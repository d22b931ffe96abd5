"""The iduit command line: parse arguments, call the library, show the result.

``common`` holds the app, its error boundary, settings and the shared
options; each other module adds the commands for one thing a user does, by
defining them on ``common.commands`` (never importing this package). Importing the package imports
them all, in the order ``iduit --help`` lists them.
"""

from iduit.cli import reading, publishing, programme, content  # noqa: I001 - the order is the help's order
from iduit.cli.common import app, main

__all__ = ["app", "content", "main", "programme", "publishing", "reading"]
