"""TaskRunner: results come back on the GUI thread, and a quit drops queued work quietly."""

from __future__ import annotations

import threading

from fpcert_desktop.gui.tasks import TaskRunner


def test_runner_delivers_result(qtbot) -> None:  # noqa: ANN001
    runner = TaskRunner()
    results: list[object] = []

    runner.run(lambda: 6 * 7, results.append, results.append)
    qtbot.waitUntil(lambda: results == [42])

    assert not runner.busy
    runner.shutdown()


def test_runner_delivers_failure(qtbot) -> None:  # noqa: ANN001
    runner = TaskRunner()
    failures: list[BaseException] = []

    def fail() -> None:
        raise ValueError("invalid value")

    runner.run(fail, lambda _result: None, failures.append)
    qtbot.waitUntil(lambda: len(failures) == 1)

    assert isinstance(failures[0], ValueError)
    runner.shutdown()


def test_shutdown_drops_queued_task(qtbot) -> None:  # noqa: ANN001
    runner = TaskRunner()
    release = threading.Event()
    first: list[object] = []
    queued: list[object] = []

    runner.run(lambda: release.wait(5) and "first", first.append, first.append)
    cancelled = runner.run(lambda: "queued", queued.append, queued.append)
    threading.Timer(0.2, release.set).start()
    runner.shutdown()
    qtbot.waitUntil(lambda: first == ["first"])
    qtbot.wait(50)

    assert cancelled.cancelled()
    assert queued == []
    assert not runner.busy
