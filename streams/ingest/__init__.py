"""Getting wires into Kafka: inputs to RawWire records, and the producer."""

from streams.ingest.errors import (
    DeliveryError,
    EmptyInputError,
    IngestError,
    InputNotFoundError,
    InputTooLargeError,
    InputUnreadableError,
)
from streams.ingest.sources import WireInput, count_inputs, iter_inputs, to_raw, wire_id

__all__ = [
    "DeliveryError",
    "EmptyInputError",
    "IngestError",
    "InputNotFoundError",
    "InputTooLargeError",
    "InputUnreadableError",
    "WireInput",
    "count_inputs",
    "iter_inputs",
    "to_raw",
    "wire_id",
]
