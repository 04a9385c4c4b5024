"""Every setting the deployment files pass to Waymark is one that `Settings` has: a misspelt
variable would otherwise be ignored without a word, and the default used."""

from __future__ import annotations

import re

from tests.deploy.files import DEPLOY, DOCKERFILE, compose, containers, manifests
from waymark.settings import Settings

# Read by get_settings() itself, to find the secret files.
NOT_A_FIELD = {"WAYMARK_SECRETS_DIR"}


def _known(variable: str) -> bool:
    field = variable.removeprefix("WAYMARK_").lower()
    return variable in NOT_A_FIELD or field in Settings.model_fields


def passed() -> dict[str, set[str]]:
    """Every WAYMARK_* name (variables, and secret files as the variable they stand for),
    with where it is passed."""
    found: dict[str, set[str]] = {}

    def add(name: str, where: str) -> None:
        if name.upper().startswith("WAYMARK_"):
            found.setdefault(name.upper(), set()).add(where)

    for service, spec in compose()["services"].items():
        for name in spec.get("environment", {}):
            add(name, f"compose {service}")
        for secret in spec.get("secrets", []):
            add(secret, f"compose secret for {service}")
    for file, doc in manifests():
        if doc["kind"] == "ConfigMap" and doc["metadata"]["namespace"] == "waymark":
            for name in doc["data"]:
                add(name, file)
    for container in containers():
        for env in container.get("env", []):
            add(env["name"], f"container {container['name']}")
    for name in re.findall(r"\b(WAYMARK_[A-Z_]+)=", DOCKERFILE.read_text()):
        add(name, "Dockerfile")
    secret_files = re.findall(
        r"--from-file=(waymark_[a-z_]+)", (DEPLOY / "kubernetes" / "10-settings.yaml").read_text()
    )
    for name in secret_files:
        add(name, "Kubernetes secret")
    for line in (DEPLOY / "waymark.env.example").read_text().splitlines():
        if "=" in line:
            add(line.lstrip("# ").split("=", 1)[0], "waymark.env.example")
    return found


def test_every_setting_passed_exists_in_settings() -> None:
    found = passed()
    assert len(found) >= 20  # the files were read: they pass a good many settings
    unknown = {name: sorted(where) for name, where in found.items() if not _known(name)}
    assert unknown == {}


def test_the_secrets_production_needs_are_passed() -> None:
    found = passed()
    for name in (
        "WAYMARK_CODEC_KEYS",
        "WAYMARK_SECRET_KEY",
        "WAYMARK_DATABASE_URL",
        "WAYMARK_METRICS_TOKEN",
    ):
        assert any("secret" in where.lower() for where in found.get(name, ())), name
