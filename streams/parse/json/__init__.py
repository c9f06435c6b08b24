"""JSON wire formats: IPTC ninjs and the AP Media API, over one bounded JSON reader.

:mod:`.jsonwire` is the base (size-checked loading, field helpers, body
renditions); every format module builds on it and the formats registry loads
each on first use.
"""
