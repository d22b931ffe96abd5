"""Stop words of English and Russian from stopwords-iso (MIT, LICENSE.txt), as libzim ships them, unchanged.

libzim (``static/stopwords/en`` and ``ru``) would give these lists to Xapian for a ZIM's index if
it found them, but looks them up by the three-letter language code the ZIM metadata needs
("eng", "rus") and its files are named by two letters: it never finds them, and Kiwix wants
every word of a query, these too, on a page. ``iduit.formats.zim_search`` puts them on every
page it indexes (``words()``).
"""

from __future__ import annotations

import functools
from importlib import resources


@functools.lru_cache(maxsize=4)
def words(lang: str) -> frozenset[str]:
    """The words of ``lang``'s list (its few two-word entries as their words); none for another language."""
    if lang not in ("en", "ru"):
        return frozenset()
    return frozenset(resources.files(__package__).joinpath(f"{lang}.txt").read_text(encoding="utf-8").split())
