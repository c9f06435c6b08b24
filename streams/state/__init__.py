"""Table state: local stores (memory or RocksDB) behind tables restored from changelogs."""

from streams.state.errors import StateError, StoreUnavailable
from streams.state.store import MemoryStore, RocksStore, Store
from streams.state.table import StoreKind, Table, decode, encode

__all__ = [
    "MemoryStore",
    "RocksStore",
    "StateError",
    "Store",
    "StoreKind",
    "StoreUnavailable",
    "Table",
    "decode",
    "encode",
]
