"""Story clusters: near-duplicate detection across agencies and re-sends.

Pure MinHash/LSH functions in :mod:`streams.cluster.minhash`; the windowed,
store-backed index that assigns ``cluster_id`` in :mod:`streams.cluster.index`.
"""

from streams.cluster.index import Assignment, ClusterIndex, Entry, cluster_id_for
from streams.cluster.minhash import Fingerprint, fingerprint

__all__ = ["Assignment", "ClusterIndex", "Entry", "Fingerprint", "cluster_id_for", "fingerprint"]
