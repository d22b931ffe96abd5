"""Code by others, vendored unchanged: see each folder's LICENSE.txt."""
