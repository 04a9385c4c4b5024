"""The container image's Dockerfile, checked as hadolint would check it, and its lock file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from tests.deploy.files import DOCKERFILE, LOCK, dockerfile_stages

COMPILERS = ("gcc", "g++", "build-essential", "clang", "make")


def test_multi_stage_from_pinned_images() -> None:
    stages = dockerfile_stages()
    assert len(stages) >= 2
    image = re.search(r"^ARG PYTHON_IMAGE=(\S+)", DOCKERFILE.read_text(), re.M)
    assert image is not None
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+", image.group(1)), image.group(1)
    for stage in stages:
        assert stage[0].startswith("FROM ${PYTHON_IMAGE}"), stage[0]  # never an unpinned image


LETTER_RUNTIME = {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"}


def test_the_final_stage_runs_as_a_numeric_non_root_user_without_compilers() -> None:
    final = dockerfile_stages()[-1]
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users, "no USER in the final stage"
    uid = users[-1].split(":")[0]
    assert uid.isdigit()
    assert int(uid) != 0
    text = " ".join(final).lower()
    # The only system packages the final stage adds are what letters as PDF need at run time.
    for install in re.findall(r"apt-get install([^&]*)", text):
        packages = {word for word in install.split() if not word.startswith("-")}
        assert packages <= LETTER_RUNTIME, packages - LETTER_RUNTIME
    assert "apk add" not in text
    assert not any(re.search(rf"\b{re.escape(tool)}\b", text) for tool in COMPILERS)
    assert any(line.startswith("COPY --from=build") for line in final)


def test_no_hadolint_findings() -> None:
    """DL3020 (COPY not ADD), DL3004 (no sudo), DL3002 (last USER not root), DL3042 (pip
    without a cache), DL3013 (pip installs pinned: here, by hash), DL3025 (CMD as JSON)."""
    lines = [line for stage in dockerfile_stages() for line in stage]
    assert not any(line.startswith("ADD ") for line in lines)
    assert not any("sudo " in line for line in lines)
    assert any("PIP_NO_CACHE_DIR=1" in line for line in lines)
    installs = [line for line in lines if "pip install" in line]
    assert any("--require-hashes -r deploy/requirements.lock" in line for line in installs)
    assert all("--no-deps" in line for line in installs)  # nothing unpinned comes in with them
    cmds = [line for line in lines if line.startswith("CMD ")]
    assert cmds
    assert all(line.startswith("CMD [") for line in cmds)


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_lock_pins_every_dependency_with_hashes() -> None:
    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    wanted = {_name(r) for r in project["project"]["dependencies"]}
    wanted |= {_name(r) for r in project["project"]["optional-dependencies"]["otlp"]}
    text = LOCK.read_text()
    pinned = {
        m.group(1).lower(): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)
    }
    assert wanted <= set(pinned), wanted - set(pinned)
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text)
    assert all("--hash=sha256:" in block for block in blocks if "==" in block)
    assert "file://" not in text
    assert "--find-links" not in text


def test_the_image_copies_every_package_the_project_installs() -> None:
    project = tomllib.loads((DOCKERFILE.parents[1] / "pyproject.toml").read_text())
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    lines = [line for stage in dockerfile_stages() for line in stage]
    copies = [line for line in lines if line.startswith("COPY ") and "--from" not in line]
    copied = {line.split()[1] for line in copies}
    compiled = next(line for line in lines if "compileall" in line).split()
    assert packages - copied == set()
    assert packages - set(compiled) == set()
