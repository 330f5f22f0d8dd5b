"""The applicant's history that the eligibility rules read from the local database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fpcert_desktop.domain.history import ApplicantHistory
from fpcert_desktop.storage.repositories.issuances import IssuanceRepository
from fpcert_desktop.storage.repositories.problem_list import ProblemListRepository
from fpcert_desktop.storage.repositories.referrals import ReferralRepository


def history_for(session: Session, person_id: int) -> ApplicantHistory:
    """Load the person's active problem-list entries, last issue date and open referrals."""
    return ApplicantHistory(
        problem_entries=tuple(ProblemListRepository(session).for_person(person_id)),
        last_issued_on=IssuanceRepository(session).last_issued_on(person_id),
        open_referrals=tuple(ReferralRepository(session).open_for_person(person_id)),
    )
