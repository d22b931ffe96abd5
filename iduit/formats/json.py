"""JSON: the content model of what was asked for, as stored (no outline, no styling)."""

from __future__ import annotations

import json

from iduit.outline import Document, Linker


def render(document: Document, linker: Linker) -> str:
    return json.dumps(document.data, ensure_ascii=False, indent=2) + "\n"
