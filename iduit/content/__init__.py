"""The content: the model (sections, job aids, glossary, sources, indicators), reading and checking YAML into it,
and the small text rules every output shares. Nothing here renders or prints."""
