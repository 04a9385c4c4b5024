"""The development payload key is made once: the worker and the web app start together and
must both use the key the first of them wrote."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from waymark.temporal.codec import new_key_file


def test_the_first_key_written_is_the_one_kept(tmp_path: Path) -> None:
    path = tmp_path / "state" / "codec-keys.json"
    new_key_file(path)
    first = json.loads(path.read_text())
    new_key_file(path)
    assert json.loads(path.read_text()) == first
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["codec-keys.json"]  # no drafts left


def test_racing_starts_agree_on_one_key(tmp_path: Path) -> None:
    path = tmp_path / "codec-keys.json"
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: new_key_file(path), range(16)))
    stored = json.loads(path.read_text())
    assert list(stored["keys"]) == [stored["current"]]
