"""Snowball's Russian stemmer, from snowballstemmer 3.1.1 (PyPI; BSD-3-Clause, LICENSE.txt), unchanged.

Only the three modules the Russian stemmer needs are kept, so iduit does not import the package's
thirty other languages on every start; the site's search.js uses the same algorithm
(iduit/site/static/snowball-russian.js), and a browser test checks that the two agree word by word.
"""
