"""Ingest, the worker and tail through a SASL_SSL listener with SCRAM users (a real broker)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from schemas import EnrichedArticle
from streams.errors import WirestreamError
from streams.kafka import LocalBroker, SaslSslListener
from streams.settings import Settings
from tests.conftest import EXAMPLES
from tests.integration.conftest import stop_worker, worker_env

pytestmark = pytest.mark.integration

USER = "wirestream"
PASSWORD = "scram-pass-5d1c"
MECHANISM = "SCRAM-SHA-512"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_keystore(directory: Path, *, password: str) -> tuple[Path, Path]:
    """A PKCS12 keystore for 127.0.0.1 and its certificate as PEM (the client's CA file)."""
    keytool = shutil.which("keytool")
    if keytool is None:
        raise WirestreamError("keytool (from a JDK) is needed to make the test certificates")
    keystore, cert = directory / "broker.p12", directory / "broker-cert.pem"
    common = ["-keystore", str(keystore), "-storepass", password, "-noprompt"]
    subprocess.run(
        [
            keytool,
            "-genkeypair",
            "-alias",
            "broker",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-validity",
            "2",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=IP:127.0.0.1,DNS:localhost",
            "-storetype",
            "PKCS12",
            "-keypass",
            password,
            *common,
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [keytool, "-exportcert", "-rfc", "-alias", "broker", "-file", str(cert), *common],
        check=True,
        capture_output=True,
    )
    return keystore, cert


@dataclass(frozen=True)
class SecuredCluster:
    settings: Settings
    """Client settings: the SASL_SSL listener, SCRAM user and password, the CA file."""

    def env(self, *, password: str = PASSWORD) -> dict[str, str]:
        cfg = self.settings
        return {
            **worker_env(cfg),
            "WIRESTREAM_SECURITY_PROTOCOL": "SASL_SSL",
            "WIRESTREAM_SASL_MECHANISM": MECHANISM,
            "WIRESTREAM_SASL_USERNAME": USER,
            "WIRESTREAM_SASL_PASSWORD": password,
            "WIRESTREAM_SSL_CAFILE": str(cfg.ssl_cafile),
            # Faust binds its web port even with the web server off; keep clear of others'.
            "WIRESTREAM_WEB_PORT": str(_free_port()),
        }


@pytest.fixture(scope="module")
def secured_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecuredCluster]:
    """A broker of its own with a SASL_SSL listener and one SCRAM user."""
    base = Settings(_env_file=None)
    work = tmp_path_factory.mktemp("sasl")
    keystore, cert = make_keystore(work, password="keystore-pass")
    plain = base.model_copy(
        update={
            "broker_port": _free_port(),
            "controller_port": _free_port(),
            "broker_dir": work / "kafka",
            "cache_dir": base.cache_dir,
        }
    )
    listener = SaslSslListener(
        port=_free_port(),
        keystore=keystore,
        keystore_password="keystore-pass",
        users=((USER, PASSWORD),),
        mechanism=MECHANISM,
    )
    broker = LocalBroker(plain, sasl_ssl=listener)
    try:
        broker.start(timeout=120)
    except WirestreamError as exc:
        if base.ci:
            pytest.fail(f"CI: the SASL_SSL broker did not start: {exc}", pytrace=False)
        pytest.skip(f"no SASL_SSL broker: {exc}")
    secured = base.model_copy(
        update={
            "kafka_bootstrap": f"127.0.0.1:{listener.port}",
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": MECHANISM,
            "sasl_username": USER,
            "sasl_password": PASSWORD,
            "ssl_cafile": cert,
            "topic_prefix": "secured.",
            "app_id": "wirestream-secured",
            "data_dir": work / "worker",
        }
    )
    try:
        yield SecuredCluster(secured)
    finally:
        broker.stop()


def _wirestream(
    *args: str, env: dict[str, str], timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_ingest_worker_and_tail_run_through_sasl_ssl(
    secured_cluster: SecuredCluster, tmp_path: Path
) -> None:
    env = secured_cluster.env()
    wire = EXAMPLES / "plain-20260220-central-bank.txt"
    ingest = _wirestream("ingest", str(wire), env=env)
    assert ingest.returncode == 0, ingest.stderr
    assert "1 sent" in ingest.stdout + ingest.stderr

    log = tmp_path / "worker.log"
    with log.open("ab") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "streams.cli.main", "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        tail = subprocess.Popen(
            [sys.executable, "-m", "streams.cli.main", "tail", "enriched", "--max", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 180
        while tail.poll() is None and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        if tail.poll() is None:
            tail.kill()
        out, err = tail.communicate()
    finally:
        stop_worker(worker)
    assert tail.returncode == 0, f"tail: {err}\nworker:\n{log.read_text()[-3000:]}"
    assert EnrichedArticle.model_validate_json(out).article.headline == (
        "Central bank holds rates steady as inflation cools"
    )
    assert PASSWORD not in log.read_text()


@pytest.mark.parametrize(
    "command",
    [["ingest", str(EXAMPLES / "plain-20260220-central-bank.txt")], ["worker"], ["status"]],
)
def test_a_wrong_password_fails_fast_with_a_clear_error(
    secured_cluster: SecuredCluster, command: list[str]
) -> None:
    env = secured_cluster.env(password="not-the-password")

    # A command that retried instead of failing would hang here and time out.
    result = _wirestream(*command, env=env, timeout=90)

    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: [W407] Kafka at {secured_cluster.settings.kafka_bootstrap} "), (
        result.stderr
    )
    assert f"refused the login of user '{USER}' ({MECHANISM})" in last
    assert "WIRESTREAM_SASL_PASSWORD" in last
    assert "not-the-password" not in result.stdout + result.stderr


def test_a_broker_certificate_the_ca_file_does_not_vouch_for_is_a_clear_tls_error(
    secured_cluster: SecuredCluster, tmp_path: Path
) -> None:
    _, stranger = make_keystore(tmp_path, password="other-pass")
    env = {**secured_cluster.env(), "WIRESTREAM_SSL_CAFILE": str(stranger)}

    result = _wirestream("status", env=env, timeout=90)

    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: [W407] the TLS handshake with Kafka at "), result.stderr
    assert "WIRESTREAM_SSL_CAFILE" in last
