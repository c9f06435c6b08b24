"""XML wire formats: NewsML-G2, NewsML 1.2, NITF and Atom feeds, over one hardened XML reader.

:mod:`.xmlsafe` is the base (safe parsing, element helpers); every format
module builds on it and the formats registry loads each on first use.
"""
