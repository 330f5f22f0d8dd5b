"""The push items that the issuing service writes to the outbox, per docs/sync-api.md."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from fpcert_desktop.domain.issuance import Issuance
from fpcert_desktop.sync.protocol import format_time

# NOTE: a fixed, public salt only keeps the hash from matching a plain SHA-256 of the
# number. ID numbers are guessable, so this is no protection against a dictionary
# attack; a secret salt shared with the server would be.
ID_NUMBER_HASH_SALT = "fpcert-v1:"


def id_number_hash(id_number: str) -> str:
    """Return the hex SHA-256 of the salt followed by the normalized ID number."""
    return hashlib.sha256((ID_NUMBER_HASH_SALT + id_number).encode("ascii")).hexdigest()


def issuance_item(issuance: Issuance, id_number: str) -> dict[str, Any]:
    return {
        "number": str(issuance.number),
        "office_code": issuance.office_code,
        "workstation": issuance.workstation,
        "person_id": issuance.person_id,
        "id_number_hash": id_number_hash(id_number),
        "purpose_code": issuance.purpose_code,
        "issued_at": format_time(issuance.issued_at),
        "valid_until": None if issuance.valid_until is None else issuance.valid_until.isoformat(),
        "status": issuance.status.value,
        "policy_version": issuance.policy_version,
        "user_id": issuance.user_id,
    }


def void_item(number: str, reason: str, voided_at: datetime, user_id: int) -> dict[str, Any]:
    return {
        "number": number,
        "reason": reason,
        "voided_at": format_time(voided_at),
        "user_id": user_id,
    }


def reprint_item(number: str, reason: str, reprinted_at: datetime, user_id: int) -> dict[str, Any]:
    return {
        "number": number,
        "reason": reason,
        "reprinted_at": format_time(reprinted_at),
        "user_id": user_id,
    }
