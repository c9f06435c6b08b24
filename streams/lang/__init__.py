"""Language identification of article text: offline, deterministic, no network.

See :mod:`streams.lang.detect`.
"""

from streams.lang.detect import LanguageGuess, detect_language, resolve_language

__all__ = ["LanguageGuess", "detect_language", "resolve_language"]
