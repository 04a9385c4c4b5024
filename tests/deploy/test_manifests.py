"""The Kubernetes manifests and the compose file are valid against their published schemas
(offline: the schemas ship inside kubernetes-validate and check-jsonschema) and say what the
deployment needs: probes, budgets, autoscaling, network policies, secrets from files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest

from tests.deploy.files import COMPOSE, compose, containers, manifests, resource

KUBERNETES_VERSION = "1.31.0"


@pytest.mark.parametrize(
    ("name", "doc"), manifests(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_each_kubernetes_resource_matches_the_schema(name: str, doc: dict) -> None:
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_compose_file_matches_the_compose_specification() -> None:
    checker = shutil.which("check-jsonschema") or str(
        Path(sys.executable).parent / "check-jsonschema"
    )
    done = subprocess.run(
        [checker, "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_web_and_worker_are_probed_on_health_and_sized() -> None:
    for name in ("waymark-web", "waymark-codec", "waymark-worker"):
        pod = resource("Deployment", name)["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        for probe in ("readinessProbe", "livenessProbe"):
            assert container[probe]["httpGet"]["path"] == "/health", (name, probe)
        assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert resource("Deployment", "waymark-web")["spec"]["replicas"] >= 2
    assert resource("Deployment", "waymark-worker")["spec"]["replicas"] >= 2


def test_a_job_migrates_and_budgets_and_autoscaling_are_in_place() -> None:
    job = resource("Job", "waymark-migrate")["spec"]["template"]["spec"]["containers"][0]
    assert job["command"] == ["waymark", "migrate"]
    for name in ("waymark-web", "waymark-worker"):
        assert resource("PodDisruptionBudget", name)["spec"]["minAvailable"] == 1
    scaler = resource("HorizontalPodAutoscaler", "waymark-worker")["spec"]
    assert scaler["scaleTargetRef"]["name"] == "waymark-worker"
    (metric,) = scaler["metrics"]
    assert metric["external"]["metric"]["name"] == "temporal_approximate_backlog_count"


def test_codec_and_database_are_reachable_only_from_inside() -> None:
    deny = resource("NetworkPolicy", "default-deny")["spec"]
    assert deny["podSelector"] == {}
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"}
    web_env = {e["name"]: e["value"] for e in _container("waymark-web")["env"]}
    assert web_env["WAYMARK_SERVE_CODEC"] == "false"  # the public replicas never decrypt
    codec = resource("NetworkPolicy", "codec-from-the-internal-network-only")["spec"]
    sources = [s["namespaceSelector"]["matchLabels"] for s in codec["ingress"][0]["from"]]
    assert {"kubernetes.io/metadata.name": "ingress-nginx"} not in sources
    database = resource("NetworkPolicy", "database-from-waymark-only")["spec"]
    (rule,) = database["ingress"]
    assert rule["from"] == [
        {"podSelector": {"matchLabels": {"app.kubernetes.io/part-of": "waymark"}}}
    ]
    ingress = resource("Ingress", "waymark")["spec"]["rules"][0]["http"]["paths"]
    assert [p["backend"]["service"]["name"] for p in ingress] == ["waymark-web"]


def _container(name: str) -> dict:
    (container,) = resource("Deployment", name)["spec"]["template"]["spec"]["containers"]
    return container


def test_every_container_reads_its_secrets_from_files() -> None:
    for container in containers():
        mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
        assert mounts["/run/secrets"]["readOnly"] is True
        assert all("valueFrom" not in e for e in container.get("env", []))


def test_the_compose_installation_has_every_part() -> None:
    services = compose()["services"]
    for part in (
        "temporal",
        "temporal-db",
        "temporal-ui",
        "waymark-db",
        "migrate",
        "proxy",
        "mailpit",
    ):
        assert part in services, part
    webs = [name for name, s in services.items() if s.get("command") == ["waymark", "web"]]
    assert len(webs) == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    for name in [*webs, "worker"]:
        assert (
            services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )
    assert services["temporal"]["environment"]["DB"] == "postgres12"


SECRET_WORDS = ("_KEY", "_KEYS", "TOKEN", "PASSWORD", "DATABASE_URL")


def test_no_secret_is_written_in_the_compose_file() -> None:
    for name, service in compose()["services"].items():
        for variable, value in service.get("environment", {}).items():
            if any(word in variable for word in SECRET_WORDS):
                assert variable.endswith(("_FILE", "_KEY_ID")), f"{name}: {variable}={value}"
    for name, secret in compose()["secrets"].items():
        assert set(secret) == {"file"}, name
        assert secret["file"].startswith("./secrets/"), name
