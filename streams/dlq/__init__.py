"""Dead letters: list, show and redrive (send back to the stage that failed, after a fix).

Pure rules in :mod:`~streams.dlq.letters`; Kafka I/O in :mod:`~streams.dlq.service`.
"""

from streams.dlq.errors import DeadLetterError, RedriveError, UnknownDeadLetterError
from streams.dlq.letters import (
    ATTEMPT_HEADER,
    REDRIVE_HEADER,
    LetterFilter,
    Redrive,
    attempts,
    hexdump,
    is_binary,
    letter_id,
    original_wire,
    parse_letter_id,
    receipt_key,
    redrive_of,
    row,
    show_bytes,
    table,
)
from streams.dlq.service import Letter, RedriveOutcome, fetch_letter, list_letters, redrive

__all__ = [
    "ATTEMPT_HEADER",
    "REDRIVE_HEADER",
    "DeadLetterError",
    "Letter",
    "LetterFilter",
    "Redrive",
    "RedriveError",
    "RedriveOutcome",
    "UnknownDeadLetterError",
    "attempts",
    "fetch_letter",
    "hexdump",
    "is_binary",
    "letter_id",
    "list_letters",
    "original_wire",
    "parse_letter_id",
    "receipt_key",
    "redrive",
    "redrive_of",
    "row",
    "show_bytes",
    "table",
]
