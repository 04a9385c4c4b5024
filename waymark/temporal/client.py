"""Connecting to Temporal with Waymark's encrypted data converter."""

from __future__ import annotations

import json
from collections.abc import Sequence

from temporalio.client import Client, Interceptor
from temporalio.converter import DataConverter
from temporalio.runtime import Runtime

from waymark.settings import Settings
from waymark.temporal.codec import EncryptionCodec, decode_keys, make_data_converter, new_key_file


def codec_from_settings(settings: Settings) -> EncryptionCodec:
    """Keys from WAYMARK_CODEC_KEYS, else the state folder's key file (made once in development)."""
    if settings.codec_keys:
        current = settings.codec_current_key_id or next(iter(settings.codec_keys))
        return EncryptionCodec(decode_keys(settings.codec_keys), current)
    path = settings.codec_keys_file
    if not path.exists():
        if settings.environment == "production":
            raise RuntimeError("WAYMARK_CODEC_KEYS must be set in production")
        new_key_file(path)
    stored = json.loads(path.read_text())
    return EncryptionCodec(decode_keys(stored["keys"]), stored["current"])


def data_converter(settings: Settings) -> DataConverter:
    return make_data_converter(codec_from_settings(settings))


async def connect(
    settings: Settings,
    *,
    lazy: bool = False,
    interceptors: Sequence[Interceptor] = (),
    runtime: Runtime | None = None,
) -> Client:
    """A client for the configured cluster; lazy clients connect on first use. Interceptors
    (tracing) apply to the client's calls and to workers built on it; a runtime carries the
    SDK's own metrics."""
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings),
        tls=settings.temporal_tls,
        api_key=settings.temporal_api_key,
        lazy=lazy,
        interceptors=interceptors,
        runtime=runtime,
    )
