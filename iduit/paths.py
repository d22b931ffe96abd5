"""Where content and the search index live (one override for each)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The content directory: an explicit choice, IDUIT_DATA_DIR, or the packaged one."""
    chosen = override or os.environ.get("IDUIT_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser().resolve()
    # An installed wheel carries the content inside the package; a source
    # checkout (editable install) keeps it at the top level beside the package.
    packaged = PACKAGE_DIR / "data"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "data"


def cache_root() -> Path:
    """IDUIT_CACHE_DIR, or the user cache directory for iduit."""
    chosen = os.environ.get("IDUIT_CACHE_DIR")
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("iduit", appauthor=False))


def store_home(content_dir: Path, lang: str = "en") -> Path:
    """One cache folder per content directory and language, so --data-dir never clobbers the default.

    The key is a cryptographic hash of the path: two folders never share a cache.
    """
    key = hashlib.sha256(os.fsencode(content_dir)).hexdigest()[:24]
    return cache_root() / (f"content-{key}" if lang == "en" else f"content-{key}-{lang}")


CONTENT_FILES = ("toolkit.yaml", "sources.yaml", "glossary.yaml", "synonyms.yaml", "indicators.yaml")


CONTENT_FOLDERS = ("chapters", "tools")


def content_files(content_dir: Path, lang: str = "en") -> list[Path]:
    """Every file that makes up a content directory (and its translation into ``lang``), in a stable order."""
    roots = [content_dir] if lang == "en" else [content_dir, content_dir / "locales" / lang]
    files: list[Path] = []
    for root in roots:
        found: list[Path] = []
        for name in CONTENT_FOLDERS:
            folder = root / name
            try:
                found += sorted(p for p in folder.iterdir() if p.suffix == ".yaml") if folder.is_dir() else []
            except OSError:
                continue
        files += [root / name for name in CONTENT_FILES] + found
    return files
