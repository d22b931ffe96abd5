"""The iduit command line: parse arguments, call the library, show the result.

``common`` holds the app, its error boundary, settings and the shared
options; each other module adds the commands for one thing a user does, by
importing ``common.app`` (never this package). Importing the package imports
them all, so every command is registered before the app runs.
"""

from iduit.cli import content, programme, publishing, reading
from iduit.cli.common import app, main

__all__ = ["app", "content", "main", "programme", "publishing", "reading"]
