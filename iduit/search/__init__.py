"""Search: the store (``store``), the index (``index``), ranked queries (``query``) and their weights (``ranking``).

Words are analysed by the rules of ``iduit.language.analysis``, the same for the index and for queries.

The website's browser search takes its field weights and word rules from here when the site is built.
"""
