"""Outline documents: what every output contains, as blocks, before any format styles it."""

from iduit.outline.blocks import *  # noqa: F403 - the block types are the package's face
from iduit.outline.blocks import __all__ as _blocks
from iduit.outline.content import *  # noqa: F403
from iduit.outline.content import __all__ as _content

__all__ = [*_blocks, *_content]
