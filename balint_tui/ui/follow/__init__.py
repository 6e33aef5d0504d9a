"""The follow view: a read-only glance of the session another process records."""
