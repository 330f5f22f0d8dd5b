"""Proof that the logged-in key has the private key of its certificate.

A certificate alone can be copied to any token. Signing a fresh random challenge and
verifying the signature with the certificate shows that this key has the matching
private key.
"""

from __future__ import annotations

import secrets
from concurrent.futures import Future

from fpcert_desktop.ekey.certificates import verify_signature
from fpcert_desktop.ekey.token import EKeySession
from fpcert_desktop.ekey.worker import EKeyWorker

CHALLENGE_BYTES = 32


def prove_possession(session: EKeySession) -> None:
    """Sign a fresh 32-byte challenge and verify it with the session's certificate.

    Raises :class:`fpcert_desktop.ekey.errors.SignatureInvalid` when it does not verify,
    or the session's errors when signing fails. Runs on the session's thread.
    """
    challenge = secrets.token_bytes(CHALLENGE_BYTES)
    signature = session.sign(challenge)
    verify_signature(session.certificate_der, challenge, signature)


def prove_possession_async(worker: EKeyWorker) -> Future[None]:
    """Run :func:`prove_possession` on the worker's logged-in session."""
    return worker.run_in_session(prove_possession)
