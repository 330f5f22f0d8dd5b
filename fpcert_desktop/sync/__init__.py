"""Sync with the central server: pull reference and population data, push issuances.

The wire format is ``docs/sync-api.md``. Nothing here imports Qt.
"""
