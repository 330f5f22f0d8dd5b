"""What every use case needs: the database, the policy, this workstation and the clock."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fpcert_desktop.domain.clock import utc_now
from fpcert_desktop.domain.history import Institution
from fpcert_desktop.domain.offices import Office
from fpcert_desktop.domain.policy import Policy
from fpcert_desktop.domain.users import User
from fpcert_desktop.i18n import Message
from fpcert_desktop.printing.printer import Printer
from fpcert_desktop.storage.db import Database


class ServiceError(Exception):
    """A use case that cannot go on; ``message`` gives the clerk the reason and what to do."""

    def __init__(self, message: Message, *, code: str) -> None:
        super().__init__(message.english)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Workstation:
    """This counter window: its code, the office it is configured for (may be empty)."""

    code: str
    office_code: str = ""
    hostname: str = field(default_factory=socket.gethostname)


@dataclass(frozen=True)
class UserSession:
    """A logged-in clerk at this workstation, bound to the e-key that logged in."""

    user: User
    office: Office
    workstation: Workstation
    token_serial: str
    fingerprint: str
    logged_in_at: datetime
    # The e-key's DER certificate, sent to the central server to open a clerk session.
    certificate_der: bytes = field(default=b"", repr=False)


@dataclass
class ServiceContext:
    database: Database
    policy: Policy
    workstation: Workstation
    printer_factory: Callable[[], Printer]
    clock: Callable[[], datetime] = utc_now
    institutions: tuple[Institution, ...] = ()
    # True when a central server is configured: printing then needs recent sync data.
    sync_required: bool = False
