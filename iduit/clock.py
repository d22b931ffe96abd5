"""The one place iduit reads the time for what it writes into a file or report.

``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) wins when set, so
the same content and answers give the same bytes, in tests and in packaging.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone


def now() -> datetime:
    """Now in UTC, or the moment SOURCE_DATE_EPOCH names."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else int(time.time())
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def today() -> str:
    """The date as 2026-12-05: one form every reader and language reads the same way."""
    return now().strftime("%Y-%m-%d")


def moment() -> str:
    """Now to the second, in UTC, as ISO 8601 (2026-12-05T09:30:00Z): when an answer was given."""
    return now().strftime("%Y-%m-%dT%H:%M:%SZ")
