"""Language rules: how words are folded, stemmed and left out for search, and, per language, the
words iduit itself uses. Used by the content checks, the index, queries and the website alike."""
