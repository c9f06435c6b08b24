"""The subscriptions a worker holds: records, parsed queries and the percolator, kept in step."""

from __future__ import annotations

from collections.abc import Mapping

from schemas import Subscription
from streams.alerts.errors import QueryError
from streams.alerts.percolator import Percolator
from streams.alerts.query import Query, parse
from streams.alerts.vocabulary import Vocabulary


class Registry:
    """Every subscription in force, as read from ``alerts.subscriptions``."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.percolator = Percolator()
        self._records: dict[str, Subscription] = {}
        self._updates: dict[str, bool] = {}

    def __len__(self) -> int:
        return len(self._records)

    def put(self, subscription: Subscription) -> QueryError | None:
        """Add or replace a subscription; a query that no longer parses (the vocabulary
        changed) leaves it out, and the error says why."""
        try:
            query = parse(subscription.query, self.vocabulary)
        except QueryError as exc:
            self.delete(subscription.id)
            return exc
        self.percolator.add(subscription.id, query)
        self._records[subscription.id] = subscription
        self._updates[subscription.id] = subscription.updates
        return None

    def delete(self, subscription_id: str) -> bool:
        self.percolator.remove(subscription_id)
        self._updates.pop(subscription_id, None)
        return self._records.pop(subscription_id, None) is not None

    def get(self, subscription_id: str) -> Subscription | None:
        return self._records.get(subscription_id)

    def query(self, subscription_id: str) -> Query | None:
        return self.percolator.get(subscription_id)

    @property
    def wants_updates(self) -> Mapping[str, bool]:
        """Subscription id -> asked for updates, for every subscription in force."""
        return self._updates

    def page(self, *, after: str | None, limit: int) -> list[Subscription]:
        """Up to ``limit`` subscriptions in id order, those after ``after`` (a page cursor)."""
        ids = sorted(self._records)
        if after is not None:
            ids = [i for i in ids if i > after]
        return [self._records[i] for i in ids[:limit]]
