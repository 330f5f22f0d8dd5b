"""The verify page for partner units: scan a certificate's QR code, see a clear verdict.

A USB scanner types the code like a keyboard and ends with Return, so the code field
verifies on Return and selects its text, and the next scan replaces it. The field turns
the input method off, because a Chinese input method would catch the typed letters.

The flow at a busy counter is: scan, type the ID number, press Enter, read the verdict.
Each result empties the ID number field, and the first character of a new scan clears
the previous verdict, so no applicant is compared with the previous one's ID number.
A scan that lands in the ID number field, because the clerk skipped the optional ID
number, moves to the code field: an ID number never starts with a letter.
"""

from __future__ import annotations

import html
import unicodedata

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QMainWindow, QPushButton, QTabWidget, QWidget

from fpcert_desktop.gui.errors import error_text
from fpcert_desktop.gui.forms import child, load_form
from fpcert_desktop.gui.tasks import TaskRunner
from fpcert_desktop.services.context import ServiceContext, UserSession
from fpcert_desktop.services.sync_service import SyncService
from fpcert_desktop.services.verification import (
    Outcome,
    RegistryUpdate,
    SigningKeyRegistry,
    Verification,
    VerificationService,
)

# Background and text colours of the verdict: green only for an accepted certificate.
_ACCEPTED = ("#1b5e20", "#ffffff")
_REFUSED = ("#b71c1c", "#ffffff")
_UNCERTAIN = ("#f9a825", "#000000")


class VerifyPage(QObject):
    """The verify tab; ``verified`` carries each :class:`Verification` shown."""

    verified = Signal(object)
    keys_updated = Signal()

    @classmethod
    def attach(
        cls,
        window: QMainWindow,
        tabs: QTabWidget,
        session: UserSession,
        tasks: TaskRunner,
        context: ServiceContext,
        sync: SyncService,
    ) -> VerifyPage:
        """Add the verify tab in front of the others."""
        page = cls(window, session, tasks, context, sync)
        tabs.insertTab(
            0, page.widget, QCoreApplication.translate("VerifyPage", "&Verify certificate")
        )
        return page

    def __init__(
        self,
        window: QMainWindow,
        session: UserSession,
        tasks: TaskRunner,
        context: ServiceContext,
        sync: SyncService,
    ) -> None:
        super().__init__(window)
        self._session = session
        self._tasks = tasks.bound(window)
        self._context = context
        self._sync = sync
        status_lookup = (
            (lambda number: sync.server_client().verify_number(number)) if sync.configured else None
        )
        self._service = VerificationService(context, status_lookup)
        self._registry = SigningKeyRegistry(context.database)
        self._busy = False
        # Counts the scans started. A result that arrives after a newer scan began is dropped.
        self._scan_generation = 0
        # Set when Return comes while a check runs, so the fields are checked once it ends.
        self._verify_again = False

        self.widget: QWidget = load_form("verify_page.ui", window)
        self.scan_edit = child(self.widget, QLineEdit, "scanEdit")
        self.id_edit = child(self.widget, QLineEdit, "idNumberEdit")
        self.verdict_label = child(self.widget, QLabel, "verdictLabel")
        self.details_label = child(self.widget, QLabel, "detailsLabel")
        self.keys_label = child(self.widget, QLabel, "keysStatusLabel")
        self.update_keys_button = child(self.widget, QPushButton, "updateKeysButton")

        for edit in (self.scan_edit, self.id_edit):
            edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
            edit.setInputMethodHints(
                Qt.InputMethodHint.ImhLatinOnly | Qt.InputMethodHint.ImhNoPredictiveText
            )
        font = self.verdict_label.font()
        font.setPointSize(max(font.pointSize(), 10) * 2)
        font.setBold(True)
        self.verdict_label.setFont(font)

        self.scan_edit.returnPressed.connect(self.verify)
        self.scan_edit.textEdited.connect(self._scan_edited)
        self.id_edit.returnPressed.connect(self.verify)
        self.id_edit.textEdited.connect(self._id_edited)
        child(self.widget, QPushButton, "verifyButton").clicked.connect(self.verify)
        child(self.widget, QPushButton, "clearButton").clicked.connect(self.clear)
        self.update_keys_button.clicked.connect(self.update_keys)
        self.update_keys_button.setEnabled(sync.configured)
        self.clear()

    def focus(self) -> None:
        self.scan_edit.setFocus()
        self.scan_edit.selectAll()

    def clear(self) -> None:
        self.scan_edit.clear()
        self.id_edit.clear()
        self._clear_verdict()
        self.scan_edit.setFocus()

    def verify(self) -> None:
        scanned = self.scan_edit.text()
        id_number = self.id_edit.text()
        if self._busy:
            self._verify_again = True
            return
        if not scanned.strip():
            self._clear_verdict()
            self.scan_edit.setFocus()
            return
        self._busy = True
        generation = self._scan_generation
        self._show_verdict(self.tr("Checking…"), _UNCERTAIN)
        self.details_label.clear()
        self._tasks.run(
            lambda: self._service.verify(self._session, scanned, id_number),
            lambda result: self._show_result(result, generation, id_number),
            lambda error: self._failed(error, generation, id_number),
        )

    def update_keys(self) -> None:
        """Fetch the signing keys from the central server in the background."""

        def work() -> RegistryUpdate:
            return self._registry.store(self._sync.server_client().signing_keys())

        self.update_keys_button.setEnabled(False)
        self.keys_label.setText(self.tr("Updating the signing keys…"))
        self._tasks.run(work, self._keys_stored, self._keys_failed)

    def refresh_keys(self) -> None:
        """Fetch the signing keys when a server is configured, else show how many are known."""
        if self._sync.configured:
            self.update_keys()
        else:
            self._tasks.run(self._registry.key_count, self._show_key_count, lambda _error: None)

    # -- a new scan -------------------------------------------------------------------

    def _scan_edited(self, _text: str) -> None:
        """Start a new scan: forget the previous verdict and the ID number typed for it."""
        self._scan_generation += 1
        self.id_edit.clear()
        self._clear_verdict()

    def _id_edited(self, text: str) -> None:
        """Move a scan typed into the ID number field to the code field."""
        if not unicodedata.normalize("NFKC", text).lstrip()[:1].isalpha():
            return
        self.scan_edit.setText(text.lstrip())
        self._scan_edited(text)
        # The scanner's remaining keystrokes go to the widget with the focus.
        self.scan_edit.setFocus()
        self.scan_edit.end(False)

    def _clear_verdict(self) -> None:
        self.verdict_label.clear()
        self.verdict_label.setStyleSheet("")
        self.details_label.clear()

    # -- results ----------------------------------------------------------------------

    def _check_finished(self, generation: int) -> bool:
        """Return True when the finished check's result should be shown.

        The result is dropped when a new scan began while it ran, and also when Return
        was pressed again meanwhile, because then the fields are checked once more.
        """
        self._busy = False
        if self._verify_again:
            self._verify_again = False
            self.verify()
            return False
        return generation == self._scan_generation

    def _clear_id_number(self, checked_id_number: str) -> None:
        """Empty the ID number field unless it was changed after the check started."""
        if self.id_edit.text() == checked_id_number:
            self.id_edit.clear()

    def _show_result(self, result: Verification, generation: int, id_number: str) -> None:
        if not self._check_finished(generation):
            return
        if result.accepted:
            colours = _ACCEPTED
        elif result.outcome in (Outcome.NOT_CHECKED, Outcome.SERVER_ONLY, Outcome.UNREADABLE):
            colours = _UNCERTAIN
        else:
            colours = _REFUSED
        headline = str(result.headline)
        if result.id_matches is False:
            # The certificate's own verdict moves to the details: the person outranks it.
            headline = self.tr("ID number does NOT match: do not accept it")
        self._show_verdict(headline, colours)
        self.details_label.setText(self._details_html(result))
        # The ID number belongs to this result only. The details show it masked.
        self._clear_id_number(id_number)
        self.scan_edit.selectAll()
        if result.payload_checked and not id_number.strip():
            self.id_edit.setFocus()
        else:
            self.scan_edit.setFocus()
        self.verified.emit(result)

    def _failed(self, error: BaseException, generation: int, id_number: str) -> None:
        if not self._check_finished(generation):
            return
        self._show_verdict(self.tr("Not verified"), _UNCERTAIN)
        self.details_label.setText(html.escape(error_text(error)))
        if getattr(error, "code", None) == "invalid_id":
            # A mistyped ID number stays for correction. It was not compared with anything.
            self.id_edit.setFocus()
            self.id_edit.selectAll()
        else:
            self._clear_id_number(id_number)
            self.scan_edit.setFocus()
            self.scan_edit.selectAll()
        self.verified.emit(error)

    def _show_verdict(self, text: str, colours: tuple[str, str]) -> None:
        background, foreground = colours
        self.verdict_label.setStyleSheet(
            f"QLabel {{ background: {background}; color: {foreground}; padding: 12px; }}"
        )
        self.verdict_label.setText(html.escape(text))

    def _details_html(self, result: Verification) -> str:
        mismatch_verdict = str(result.headline) if result.id_matches is False else None
        rows = [
            (self.tr("Certificate check"), mismatch_verdict),
            (self.tr("ID number checked"), result.id_number_masked),
            (self.tr("Certificate number"), result.number),
            (self.tr("Purpose"), result.purpose_name),
            (self.tr("Issued on"), _date(result.issued_on)),
            (self.tr("Valid until"), self._valid_until(result)),
            (self.tr("Issuing office"), result.office_name),
            (self.tr("Signed by clerk"), result.signer_name),
        ]
        table = "".join(
            f"<tr><td><b>{html.escape(label)}</b>&nbsp;&nbsp;</td>"
            f"<td>{html.escape(value)}</td></tr>"
            for label, value in rows
            if value
        )
        notes = "".join(f"<li>{html.escape(str(note))}</li>" for note in result.notes)
        return f"<table>{table}</table><ul>{notes}</ul>"

    def _valid_until(self, result: Verification) -> str | None:
        if result.valid_until is not None:
            return str(result.valid_until)
        # Without an end date a certificate read in full is valid for good.
        return self.tr("no end date") if result.issued_on is not None else None

    def _keys_stored(self, update: RegistryUpdate) -> None:
        self.update_keys_button.setEnabled(True)
        text = self.tr("{stored} signing keys updated; {rejected} rejected (not from the city CA).")
        self.keys_label.setText(text.format(stored=update.stored, rejected=update.rejected))
        self.keys_updated.emit()

    def _keys_failed(self, error: BaseException) -> None:
        self.update_keys_button.setEnabled(True)
        self.keys_label.setText(
            self.tr("The signing keys could not be updated: {error}").format(
                error=error_text(error)
            )
        )

    def _show_key_count(self, count: int) -> None:
        if count:
            self.keys_label.setText(self.tr("{count} signing keys known.").format(count=count))
        else:
            self.keys_label.setText(
                self.tr(
                    "No signing keys are known yet, so every code shows as not genuine. "
                    "Press Update signing keys."
                )
            )


def _date(value: object) -> str | None:
    return None if value is None else str(value)
