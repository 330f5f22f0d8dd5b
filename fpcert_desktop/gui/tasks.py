"""One way to run service calls off the GUI thread.

All service work runs on one background thread, so SQLite writes have a single owner and
the GUI thread never waits on the database, the printer or the e-key. Results and errors
come back on the GUI thread through a queued signal. A busy dialog appears only when a
task takes longer than ``PROGRESS_DELAY_MS``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 600

SuccessCallback = Callable[[Any], None]
FailureCallback = Callable[[BaseException], None]


class TaskRunner(QObject):
    """Run callables on the service thread; ``busy_changed`` lets views block input."""

    busy_changed = Signal(bool)
    _done = Signal(object, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="services")
        self._running = 0
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._running > 0

    def run(
        self,
        work: Callable[[], Any],
        on_success: SuccessCallback,
        on_failure: FailureCallback,
        *,
        progress_text: str | None = None,
        parent: QWidget | None = None,
        context: QObject | None = None,
    ) -> Future[Any]:
        """Queue ``work``; exactly one of the callbacks runs later on the GUI thread.

        When ``context`` (the window that asked) is deleted before the work ends, for
        example by a logout, neither callback runs.
        """
        dialog = self._delayed_dialog(progress_text, parent) if progress_text else None
        self._set_running(+1)
        future = self._executor.submit(work)
        future.add_done_callback(
            lambda finished: self._done.emit(finished, (on_success, on_failure, context), dialog)
        )
        return future

    def bound(self, context: QObject) -> BoundTaskRunner:
        """Return a runner whose callbacks are dropped once ``context`` is deleted."""
        return BoundTaskRunner(self, context)

    def follow(
        self, future: Future[Any], on_success: SuccessCallback, on_failure: FailureCallback
    ) -> None:
        """Deliver a future made elsewhere (the e-key worker's) to callbacks on the GUI thread."""
        self._set_running(+1)
        future.add_done_callback(
            lambda finished: self._done.emit(finished, (on_success, on_failure, None), None)
        )

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _deliver(
        self,
        future: Future[Any],
        callbacks: tuple[SuccessCallback, FailureCallback, QObject | None],
        dialog: _DelayedProgress | None,
    ) -> None:
        on_success, on_failure, context = callbacks
        if dialog is not None:
            dialog.finish()
        self._set_running(-1)
        if context is not None and not shiboken6.isValid(context):
            log.debug("window closed before its task ended; result dropped")
            return
        if future.cancelled():
            # shutdown(cancel_futures=True) cancels queued tasks while the app quits.
            log.debug("task cancelled at shutdown; result dropped")
            return
        error = future.exception()
        if error is not None:
            log.debug("task failed: %r", error)
            on_failure(error)
        else:
            on_success(future.result())

    def _set_running(self, delta: int) -> None:
        was_busy = self.busy
        self._running += delta
        if was_busy != self.busy:
            self.busy_changed.emit(self.busy)

    def _delayed_dialog(self, text: str, parent: QWidget | None) -> _DelayedProgress:
        return _DelayedProgress(text, parent)


class BoundTaskRunner:
    """A :class:`TaskRunner` that passes one window as the context of every task."""

    def __init__(self, runner: TaskRunner, context: QObject) -> None:
        self._runner = runner
        self._context = context

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def run(
        self,
        work: Callable[[], Any],
        on_success: SuccessCallback,
        on_failure: FailureCallback,
        *,
        progress_text: str | None = None,
        parent: QWidget | None = None,
    ) -> Future[Any]:
        return self._runner.run(
            work,
            on_success,
            on_failure,
            progress_text=progress_text,
            parent=parent,
            context=self._context,
        )


class _DelayedProgress:
    """A busy indicator that appears only if the task is still running after a delay."""

    def __init__(self, text: str, parent: QWidget | None) -> None:
        self._text = text
        self._parent = parent
        self._dialog: QProgressDialog | None = None
        self._finished = False
        QTimer.singleShot(PROGRESS_DELAY_MS, self._show)

    def _show(self) -> None:
        if self._finished:
            return
        dialog = QProgressDialog(self._text, "", 0, 0, self._parent)
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        self._dialog = dialog

    def finish(self) -> None:
        self._finished = True
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
            # Give the keyboard back to the window, so its shortcuts work again at once.
            if self._parent is not None:
                self._parent.activateWindow()
