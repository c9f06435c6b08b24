"""Whether a worker is ready for traffic: a pure decision over what the worker reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Readiness:
    """The three conditions of /readyz, each as the worker last saw it."""

    assigned: bool
    """The consumer group gave this worker its partitions (and is not rebalancing)."""
    tables_recovered: bool
    """Every table this worker owns was restored from its changelog."""
    pool_warm: bool
    """The NLP process pool has started and loaded its model."""

    @property
    def ready(self) -> bool:
        return self.assigned and self.tables_recovered and self.pool_warm

    def waiting_for(self) -> list[str]:
        """What is still missing, in words an operator can act on."""
        missing: list[str] = []
        if not self.assigned:
            missing.append("partition assignment")
        if not self.tables_recovered:
            missing.append("table recovery")
        if not self.pool_warm:
            missing.append("NLP pool start-up (model loading)")
        return missing

    def as_json(self) -> dict[str, object]:
        return {
            "ready": self.ready,
            "assigned": self.assigned,
            "tables_recovered": self.tables_recovered,
            "pool_warm": self.pool_warm,
            "waiting_for": self.waiting_for(),
        }
