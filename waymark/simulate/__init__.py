"""`waymark simulate`: replay dated scenarios, and generated populations, on the real workflows
and activities (time-skipping Temporal server, temporary SQLite database, one worker)."""
