"""Search: how words are analysed (``analysis``), the index (``index``) and ranked queries (``query``).

The website's browser search takes its field weights and word rules from here when the site is built.
"""
