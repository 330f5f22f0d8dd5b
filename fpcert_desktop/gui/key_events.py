"""Carry e-key presence events from the e-key worker thread to the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from fpcert_desktop.ekey.worker import EKeyWorker


class KeyEvents(QObject):
    """Signals emitted (queued) when the logged-in key disappears or is readable again."""

    key_removed = Signal(str)
    key_present = Signal(str)

    def __init__(self, worker: EKeyWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The worker calls these from its own thread; emitting a signal from there queues
        # the call to receivers living on the GUI thread.
        worker.add_key_removed_listener(self.key_removed.emit)
        worker.add_key_present_listener(self.key_present.emit)
