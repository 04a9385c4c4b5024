"""AES-GCM payload encryption with key ids, so keys can rotate without losing old histories."""

from __future__ import annotations

import base64
import dataclasses
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    PayloadCodec,
)

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
NONCE_BYTES = 12


class EncryptionCodec(PayloadCodec):
    """Encrypts every payload with the current key; decrypts with whichever key wrote it."""

    def __init__(self, keys: Mapping[str, bytes], current_key_id: str) -> None:
        if current_key_id not in keys:
            raise ValueError(f"the current key id {current_key_id!r} is not among the keys")
        for key_id, key in keys.items():
            if len(key) != 32:
                raise ValueError(f"key {key_id!r} must be 32 bytes (AES-256)")
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self._current = current_key_id

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._encrypt(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._decrypt(p) for p in payloads]

    def _encrypt(self, payload: Payload) -> Payload:
        nonce = os.urandom(NONCE_BYTES)
        # The key id is bound as associated data, so a payload cannot be relabelled.
        sealed = self._ciphers[self._current].encrypt(
            nonce, payload.SerializeToString(), self._current.encode()
        )
        return Payload(
            metadata={"encoding": ENCODING, KEY_ID: self._current.encode()},
            data=nonce + sealed,
        )

    def _decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        key_id = payload.metadata[KEY_ID].decode()
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise ValueError(f"no key configured with id {key_id!r}")
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        return Payload.FromString(cipher.decrypt(nonce, sealed, key_id.encode()))


def make_data_converter(codec: PayloadCodec) -> DataConverter:
    """The pydantic converter with encrypted payloads and encrypted failure messages."""
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=codec,
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


def decode_keys(encoded: Mapping[str, str]) -> dict[str, bytes]:
    return {key_id: base64.b64decode(value) for key_id, value in encoded.items()}


def new_key_file(path: Path) -> None:
    """Write a fresh random key for local development (never used in production), unless one
    exists: the worker and the web app may both start at once, and must share one key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key_id = "dev-" + base64.b32encode(os.urandom(5)).decode().lower()
    keys = {key_id: base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()}
    draft = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
    draft.write_text(json.dumps({"current": key_id, "keys": keys}))
    draft.chmod(0o600)
    try:
        os.link(draft, path)  # atomic, and fails if another process made the file first
    except FileExistsError:
        pass
    finally:
        draft.unlink()
