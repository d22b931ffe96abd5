"""The offline website (``iduit site``): pages from Jinja2 templates, in-browser search with MiniSearch.

``iduit.site.build`` writes it (``build_site``, ``build_zip``), ``iduit.site.pages``
renders the pages, ``iduit.site.search_data`` builds the search index.
Nothing here is imported on the way to ``iduit search``.
"""
