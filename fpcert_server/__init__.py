"""Reference central server of the family-planning certificate system (sync API v1)."""
