"""Watching Waymark: JSON logs, Prometheus metrics and OpenTelemetry traces, none personal."""
