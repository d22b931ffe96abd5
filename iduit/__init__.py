"""iduit: search, read and export a digest of the IDUIT guidance, offline."""

__version__ = "0.1.0"
