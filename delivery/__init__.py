"""Delivering notices from the outbox: channel choice, senders, calendar invites, receipts."""
