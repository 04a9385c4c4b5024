"""Which sender serves each channel, built from the settings when first needed."""

from __future__ import annotations

from delivery.outgoing import Sender
from forms.referral import Channel
from waymark.settings import Settings


class Senders:
    """The sender for each channel, built from the settings when first needed."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._built: dict[str, Sender] = {}

    def name_for(self, channel: Channel) -> str:
        """Which sender serves this channel under the configured delivery mode."""
        mode = self._settings.delivery
        if mode == "file":
            return "file"
        if channel is Channel.EMAIL:
            return mode
        return "notify" if self._settings.notify_api_key else "file"

    def for_channel(self, channel: Channel) -> Sender:
        return self.named(self.name_for(channel))

    def named(self, name: str) -> Sender:
        if name not in self._built:
            self._built[name] = self._build(name)
        return self._built[name]

    def _build(self, name: str) -> Sender:
        settings = self._settings
        if name == "notify":
            from delivery.notify import NotifySender

            if not settings.notify_api_key:
                raise RuntimeError("WAYMARK_NOTIFY_API_KEY must be set to send through Notify")
            return NotifySender(
                settings.notify_api_key, settings.notify_base_url, settings.notify_templates
            )
        if name == "smtp":
            from delivery.smtp import SmtpSender

            return SmtpSender(settings)
        from delivery.file_outbox import FileOutbox

        return FileOutbox(settings.state_dir / "outbox")
