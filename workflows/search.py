"""Search attributes: plain text in Temporal, so only opaque, non-personal values."""

from temporalio.common import SearchAttributeKey

STAGE = SearchAttributeKey.for_keyword("WaymarkStage")
AREA = SearchAttributeKey.for_keyword("WaymarkArea")

ALL = [STAGE, AREA]
