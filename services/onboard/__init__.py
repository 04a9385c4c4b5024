"""Bringing an area's existing cases into Waymark (`waymark onboard`, docs/onboarding.md)."""
