"""Whether an office may issue a certificate for a purpose to an applicant, and why.

:func:`decide` runs a list of checks in order. The first check that rejects decides the
refusal. Each check is a function of a :class:`DecisionContext` that returns a
:class:`Refusal` or None. When none rejects, the office may issue the certificate, and
the requirement checks list what the clerk must still record at the counter before
printing (copies checked against their originals, a check certificate on re-issue).
Requirements never change whether the certificate is allowed.

Every reason is a :class:`Message` naming the rule, the date or count that decided it
and what the clerk does next.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from fpcert_desktop.domain.history import (
    ApplicantHistory,
    CheckCertificate,
    CheckOwner,
    CounterInput,
    Institution,
    ProblemCategory,
    ProblemListEntry,
    Referral,
)
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.people import Person
from fpcert_desktop.domain.policy import (
    CountBasis,
    IssuingRule,
    Policy,
    Purpose,
    last_blocked_day,
)
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message, MessageTemplate, current_language

# Child-count ranges, inserted as {children} into the messages below.
_EXACTLY = QT_TRANSLATE_NOOP("Eligibility", "exactly {min}")
_OR_MORE = QT_TRANSLATE_NOOP("Eligibility", "{min} or more")
_BETWEEN = QT_TRANSLATE_NOOP("Eligibility", "{min} to {max}")

_ALLOWED_ANY_COUNT = QT_TRANSLATE_NOOP(
    "Eligibility",
    "The {office_level} issues the {purpose} certificate, whatever the number of children.",
)
_ALLOWED = {
    CountBasis.BORN_AND_PREGNANCY: QT_TRANSLATE_NOOP(
        "Eligibility",
        "The {office_level} issues the {purpose} certificate when the applicant's number of "
        "children, a current pregnancy included, is {children}. This applicant has {count}.",
    ),
    CountBasis.BORN: QT_TRANSLATE_NOOP(
        "Eligibility",
        "The {office_level} issues the {purpose} certificate when the applicant's number of "
        "born children is {children}. This applicant has {count}.",
    ),
}

_WRONG_LEVEL_ANY_COUNT = QT_TRANSLATE_NOOP(
    "Eligibility",
    "Only the {required_level} issues the {purpose} certificate, so this {office_level} "
    "may not issue it. Send the applicant to the {required_level}.",
)
_WRONG_LEVEL = {
    CountBasis.BORN_AND_PREGNANCY: QT_TRANSLATE_NOOP(
        "Eligibility",
        "The {required_level} issues the {purpose} certificate when the applicant's number "
        "of children, a current pregnancy included, is {children}. This applicant has "
        "{count}, so this {office_level} may not issue it. Send the applicant to the "
        "{required_level}.",
    ),
    CountBasis.BORN: QT_TRANSLATE_NOOP(
        "Eligibility",
        "The {required_level} issues the {purpose} certificate when the applicant's number "
        "of born children is {children}. This applicant has {count}, so this "
        "{office_level} may not issue it. Send the applicant to the {required_level}.",
    ),
}

_NO_RULE = {
    CountBasis.BORN_AND_PREGNANCY: QT_TRANSLATE_NOOP(
        "Eligibility",
        "No office issues the {purpose} certificate for an applicant whose number of "
        "children, a current pregnancy included, is {count}. It is issued only when that "
        "number is {children}. If the children or the pregnancy on record are wrong, ask "
        "the community workstation to correct the provincial system, then query again.",
    ),
    CountBasis.BORN: QT_TRANSLATE_NOOP(
        "Eligibility",
        "No office issues the {purpose} certificate for an applicant whose number of born "
        "children is {count}. It is issued only when that number is {children}. If the "
        "children on record are wrong, ask the community workstation to correct the "
        "provincial system, then query again.",
    ),
}

_PREGNANCY_REQUIRED = QT_TRANSLATE_NOOP(
    "Eligibility",
    "The {purpose} certificate needs a current pregnancy registered in the provincial "
    "system, and none is on record. Ask the community workstation to register the "
    "pregnancy, then query again.",
)
_POLICY_NOT_IN_FORCE = QT_TRANSLATE_NOOP(
    "Eligibility",
    "Policy {version} takes effect on {effective_date}, after today ({today}), so no "
    "certificate may be issued under it. Ask IT to install the policy in force today.",
)
_UNKNOWN_PURPOSE = QT_TRANSLATE_NOOP(
    "Eligibility",
    "The purpose {purpose} is not in policy {version}. Choose the purpose again from the "
    "list. If it is missing there, ask IT to check the policy file.",
)

_PROBLEM_LIST_BLOCK = QT_TRANSLATE_NOOP(
    "Eligibility",
    "The applicant was entered on the problem list for false certificates or materials on "
    "{listed_on}. Under the {years}-year block from that date, no certificate for any "
    "purpose may be issued through {last_blocked_day}. The applicant may apply again from "
    "{first_issue_day}. If the entry is wrong, ask the administrator of the problem list "
    "to remove it, then query again.",
)
_PROBLEM_LIST_SEVERAL = QT_TRANSLATE_NOOP(
    "Eligibility",
    "The applicant has {count} false-materials entries that block today. The entry of "
    "{listed_on} blocks longest, so it decides.",
)
_REFERRAL_OPEN = QT_TRANSLATE_NOOP(
    "Eligibility",
    "On {referral_date} a correction referral went to office {office_code} because the "
    "applicant's materials differ from provincial record version {record_version}. The "
    "{purpose} certificate may be printed only after the corrected record arrives. When "
    "that office reports the correction, query the applicant again and print then.",
)

# Requirements: what the clerk records at the counter before printing.
_ORIGINALS_NOT_RECORDED = QT_TRANSLATE_NOOP(
    "Eligibility",
    "No copy is recorded as checked against its original yet. Compare each copy "
    "with its original, stamp it 与原件相符, have the applicant sign, then record which "
    "copies were checked.",
)
_ORIGINALS_UNSIGNED = QT_TRANSLATE_NOOP(
    "Eligibility",
    "{count} copies are recorded as checked against their originals, but not the "
    "applicant's signature. Have the applicant sign under each 与原件相符 stamp, then "
    "record the signature.",
)
_CHECK_MISSING = QT_TRANSLATE_NOOP(
    "Eligibility",
    "The applicant's last certificate was issued on {last_issued_on}. Up to {window_end}, "
    "{reissue_months} months later, a new certificate needs a ring and pregnancy check "
    "certificate (查环查孕证明) of the applicant or the spouse. It must be issued on or "
    "after {earliest}, at most {check_months} months ago, by a Shenzhen family-planning "
    "technical service institution. Record the check certificate, then print.",
)
_CHECK_NO_NUMBER = QT_TRANSLATE_NOOP(
    "Eligibility",
    "The check certificate dated {issued_on} has no number recorded. Type the number "
    "printed on it.",
)
_CHECK_NO_SPOUSE = QT_TRANSLATE_NOOP(
    "Eligibility",
    "The check certificate dated {issued_on} is recorded as the spouse's, but no spouse is "
    "on record for the applicant. Record it as the applicant's own if it is, or ask for "
    "the applicant's own check certificate.",
)
_CHECK_FUTURE = QT_TRANSLATE_NOOP(
    "Eligibility",
    "The check certificate is dated {issued_on}, after today ({today}). Check the date "
    "printed on it and record it again.",
)
_CHECK_TOO_OLD = QT_TRANSLATE_NOOP(
    "Eligibility",
    "The check certificate is dated {issued_on}, but only one issued on or after "
    "{earliest}, at most {check_months} months ago, is accepted. Ask the applicant for a "
    "new check at a Shenzhen family-planning technical service institution.",
)
_CHECK_INSTITUTION_NOT_LISTED = QT_TRANSLATE_NOOP(
    "Eligibility",
    "Institution {institution_code} is not on the list of {count} Shenzhen family-planning "
    "technical service institutions, and only their check certificates are accepted. "
    "Check the code on the certificate, or ask for a check certificate from a listed "
    "institution.",
)

# The problem-list banner the GUI shows above the decisions.
_BANNER = QT_TRANSLATE_NOOP("Eligibility", "Problem list: {entries}.")
_BANNER_JOIN = QT_TRANSLATE_NOOP("Eligibility", "{first}; {rest}")
_BANNER_ENTRY = QT_TRANSLATE_NOOP("Eligibility", "{category}, listed on {listed_on}")
_BANNER_BLOCKING = QT_TRANSLATE_NOOP(
    "Eligibility",
    "{category}, listed on {listed_on}, no certificate for any purpose through {last_blocked_day}",
)
_BANNER_BLOCK_ENDED = QT_TRANSLATE_NOOP(
    "Eligibility",
    "{category}, listed on {listed_on}, block ended on {last_blocked_day}",
)
_BANNER_NOT_BLOCKING = QT_TRANSLATE_NOOP(
    "Eligibility",
    "{category}, listed on {listed_on}, does not block certificates but check the "
    "materials with care",
)

# Defaults of decide() for callers that pass no history or counter input. Both types are
# frozen, so sharing one instance is safe.
NO_HISTORY = ApplicantHistory()
NO_COUNTER_INPUT = CounterInput()


@dataclass(frozen=True)
class Requirement:
    """Something the clerk must still record at the counter before printing.

    ``code`` is ``originals`` or ``check_certificate``. A check certificate with several
    problems gives one requirement per problem.
    """

    code: str
    message: Message


@dataclass(frozen=True)
class Decision:
    """The outcome of :func:`decide`.

    ``issuing_level`` is the office's own level when allowed. When refused, it is the
    level to send the applicant to, or None when no office can issue the certificate to
    this applicant with the current record. ``rule`` is the code of the deciding check:
    ``level`` (also for every allowed decision), ``child_count``, ``pregnancy_required``,
    ``unknown_purpose``, ``policy_not_in_force``, ``problem_list`` or ``referral_open``.
    ``requirements`` are computed only for an allowed decision.
    """

    purpose: Purpose
    allowed: bool
    issuing_level: OfficeLevel | None
    reasons: tuple[Message, ...]
    policy_version: str
    rule: str
    requirements: tuple[Requirement, ...] = ()

    @property
    def ready(self) -> bool:
        """True when the certificate is allowed and nothing remains to record before printing."""
        return self.allowed and not self.requirements

    @property
    def summary(self) -> str:
        """The reasons as one text in the installed language."""
        separator = "" if current_language().startswith("zh") else " "
        return separator.join(str(reason) for reason in self.reasons)


@dataclass(frozen=True)
class DecisionContext:
    """The facts every check reads."""

    policy: Policy
    office: Office
    person: Person
    purpose: Purpose
    today: date
    history: ApplicantHistory = NO_HISTORY
    counter: CounterInput = NO_COUNTER_INPUT
    institutions: tuple[Institution, ...] = ()

    @property
    def children(self) -> int:
        """The applicant's child count on the purpose's count basis."""
        return self.purpose.count_basis.count_children(self.person)

    @property
    def rule(self) -> IssuingRule | None:
        return self.purpose.rule_for(self.person)


@dataclass(frozen=True)
class Refusal:
    """A check's rejection, with ``issuing_level`` the level that does issue, if any."""

    rule: str
    reasons: tuple[Message, ...]
    issuing_level: OfficeLevel | None = None


Check = Callable[[DecisionContext], Refusal | None]
RequirementCheck = Callable[[DecisionContext], Sequence[Requirement]]


def check_policy_in_force(context: DecisionContext) -> Refusal | None:
    """Reject every purpose under a policy whose effective date is after today."""
    policy = context.policy
    if policy.effective_date <= context.today:
        return None
    message = _POLICY_NOT_IN_FORCE.format(
        version=policy.version,
        effective_date=policy.effective_date.isoformat(),
        today=context.today.isoformat(),
    )
    return Refusal("policy_not_in_force", (message,))


def check_purpose_in_policy(context: DecisionContext) -> Refusal | None:
    """Reject a purpose that is not, exactly as given, one of the policy's purposes."""
    if context.purpose in context.policy.purposes:
        return None
    message = _UNKNOWN_PURPOSE.format(
        purpose=context.purpose.display_name, version=context.policy.version
    )
    return Refusal("unknown_purpose", (message,))


def check_pregnancy(context: DecisionContext) -> Refusal | None:
    """Reject a purpose that needs a current pregnancy when none is on record."""
    if not context.purpose.requires_pregnancy or context.person.pregnancy is not None:
        return None
    message = _PREGNANCY_REQUIRED.format(purpose=context.purpose.display_name)
    return Refusal("pregnancy_required", (message,))


def check_child_count(context: DecisionContext) -> Refusal | None:
    """Reject an applicant whose child count no rule of the purpose covers."""
    if context.rule is not None:
        return None
    purpose = context.purpose
    message = _NO_RULE[purpose.count_basis].format(
        purpose=purpose.display_name,
        count=context.children,
        children=_count_range(purpose.min_children, purpose.max_children),
    )
    return Refusal("child_count", (message,))


def check_level(context: DecisionContext) -> Refusal | None:
    """Reject an office whose level differs from the level the matching rule names."""
    rule = context.rule
    if rule is None or rule.level is context.office.level:
        return None
    params = {
        "purpose": context.purpose.display_name,
        "required_level": rule.level.label,
        "office_level": context.office.level.label,
    }
    if rule.is_unconditional:
        message = _WRONG_LEVEL_ANY_COUNT.format(**params)
    else:
        message = _WRONG_LEVEL[rule.count].format(
            **params, count=context.children, children=_rule_range(rule)
        )
    return Refusal("level", (message,), issuing_level=rule.level)


def check_problem_list(context: DecisionContext) -> Refusal | None:
    """Reject every purpose while an active false-materials entry blocks the applicant.

    An entry blocks from its listing date through :func:`last_blocked_day` of the
    policy's ``problem_list_block_years``. With several blocking entries, the one whose
    block ends last decides. Entries for births outside the rules block nothing, because
    the regulation blocks certificates only for false materials.
    """
    years = context.policy.problem_list_block_years
    blocking = [
        (entry, last_blocked_day(entry.listed_on, years))
        for entry in context.history.problem_entries
        if entry.active and entry.category is ProblemCategory.FALSE_MATERIALS
    ]
    blocking = [
        (entry, last_day)
        for entry, last_day in blocking
        if entry.listed_on <= context.today <= last_day
    ]
    if not blocking:
        return None

    entry, last_day = max(blocking, key=lambda pair: (pair[1], pair[0].listed_on))
    reasons = [
        _PROBLEM_LIST_BLOCK.format(
            listed_on=entry.listed_on.isoformat(),
            years=years,
            last_blocked_day=last_day.isoformat(),
            first_issue_day=(last_day + timedelta(days=1)).isoformat(),
        )
    ]
    if len(blocking) > 1:
        reasons.append(
            _PROBLEM_LIST_SEVERAL.format(count=len(blocking), listed_on=entry.listed_on.isoformat())
        )
    return Refusal("problem_list", tuple(reasons))


def check_referral(context: DecisionContext) -> Refusal | None:
    """Reject the purpose while a correction referral for it waits for a newer record.

    A referral blocks while it is open and no record newer than the one it was made
    against has arrived, that is while its ``record_version`` is at least the record's.
    """
    waiting = [
        referral
        for referral in context.history.open_referrals
        if _referral_blocks(referral, context)
    ]
    if not waiting:
        return None

    referral = max(waiting, key=lambda item: (item.created_on, item.referral_id))
    message = _REFERRAL_OPEN.format(
        referral_date=referral.created_on.isoformat(),
        office_code=referral.responsible_office_code,
        record_version=referral.record_version,
        purpose=context.purpose.display_name,
    )
    return Refusal("referral_open", (message,))


def _referral_blocks(referral: Referral, context: DecisionContext) -> bool:
    return (
        referral.open
        and referral.purpose_code == context.purpose.code
        and referral.record_version >= context.person.record_version
    )


DEFAULT_CHECKS: tuple[Check, ...] = (
    check_policy_in_force,
    check_purpose_in_policy,
    check_pregnancy,
    check_child_count,
    check_level,
    check_problem_list,
    check_referral,
)


# ---------------------------------------------------------------------------
# Requirements: what the clerk records at the counter before printing


def require_originals(context: DecisionContext) -> tuple[Requirement, ...]:
    """Require the copies checked against their originals, stamped and signed."""
    originals = context.counter.originals
    if originals is None or not originals.documents:
        message = _ORIGINALS_NOT_RECORDED.format()
        return (Requirement("originals", message),)
    if not originals.applicant_signed:
        message = _ORIGINALS_UNSIGNED.format(count=len(originals.documents))
        return (Requirement("originals", message),)
    return ()


def require_check_certificate(context: DecisionContext) -> tuple[Requirement, ...]:
    """Require a valid check certificate when the applicant applies again within the window.

    The re-issue window runs from the applicant's last certificate through
    :meth:`Policy.reissue_window_end`. Inside it, a ring and pregnancy check certificate
    of the applicant or the spouse is needed, issued from
    :meth:`Policy.earliest_check_date` through today by a listed institution. Purposes and
    applicants that :meth:`Policy.is_check_exempt` names need none.
    """
    policy = context.policy
    last_issued_on = context.history.last_issued_on
    if last_issued_on is None:
        return ()
    window_end = policy.reissue_window_end(last_issued_on)
    if context.today > window_end or policy.is_check_exempt(context.purpose, context.person):
        return ()

    earliest = policy.earliest_check_date(context.today)
    certificate = context.counter.check_certificate
    if certificate is None:
        message = _CHECK_MISSING.format(
            last_issued_on=last_issued_on.isoformat(),
            window_end=window_end.isoformat(),
            reissue_months=policy.reissue_window_months,
            earliest=earliest.isoformat(),
            check_months=policy.check_window_months,
        )
        return (Requirement("check_certificate", message),)

    return tuple(
        Requirement("check_certificate", message)
        for message in _check_certificate_problems(context, certificate, earliest)
    )


def _check_certificate_problems(
    context: DecisionContext, certificate: CheckCertificate, earliest: date
) -> list[Message]:
    issued_on = certificate.issued_on.isoformat()
    problems: list[Message] = []
    if not certificate.number.strip():
        problems.append(_CHECK_NO_NUMBER.format(issued_on=issued_on))
    if certificate.owner is CheckOwner.SPOUSE and context.person.spouse is None:
        problems.append(_CHECK_NO_SPOUSE.format(issued_on=issued_on))

    if certificate.issued_on > context.today:
        problems.append(_CHECK_FUTURE.format(issued_on=issued_on, today=context.today.isoformat()))
    elif certificate.issued_on < earliest:
        problems.append(
            _CHECK_TOO_OLD.format(
                issued_on=issued_on,
                earliest=earliest.isoformat(),
                check_months=context.policy.check_window_months,
            )
        )

    listed_codes = {institution.code for institution in context.institutions}
    if certificate.institution_code not in listed_codes:
        problems.append(
            _CHECK_INSTITUTION_NOT_LISTED.format(
                institution_code=certificate.institution_code or "-",
                count=len(listed_codes),
            )
        )
    return problems


DEFAULT_REQUIREMENT_CHECKS: tuple[RequirementCheck, ...] = (
    require_originals,
    require_check_certificate,
)


def last_issue_date(dates: Iterable[date | None]) -> date | None:
    """Return the latest of the issue dates, ignoring None, or None when there is none.

    The re-issue window counts from the applicant's last certificate, however many there
    were before it.
    """
    known = [day for day in dates if day is not None]
    return max(known, default=None)


def problem_list_banner(
    history: ApplicantHistory, today: date, *, policy: Policy | None = None
) -> Message | None:
    """Describe the applicant's active problem-list entries, or return None when there are none.

    Entries listed after ``today`` and removed entries are left out. With ``policy``, a
    false-materials entry also states the last day of its block.
    """
    entries = [
        entry
        for entry in sorted(history.problem_entries, key=lambda item: item.listed_on)
        if entry.active and entry.listed_on <= today
    ]
    if not entries:
        return None

    descriptions = [_banner_entry(entry, today, policy) for entry in entries]
    joined = descriptions[-1]
    for description in reversed(descriptions[:-1]):
        joined = _BANNER_JOIN.format(first=description, rest=joined)
    return _BANNER.format(entries=joined)


def _banner_entry(entry: ProblemListEntry, today: date, policy: Policy | None) -> Message:
    params = {"category": entry.category.label, "listed_on": entry.listed_on.isoformat()}
    if entry.category is not ProblemCategory.FALSE_MATERIALS:
        return _BANNER_NOT_BLOCKING.format(**params)
    if policy is None:
        return _BANNER_ENTRY.format(**params)

    last_day = policy.problem_list_last_blocked_day(entry.listed_on)
    template = _BANNER_BLOCKING if today <= last_day else _BANNER_BLOCK_ENDED
    return template.format(**params, last_blocked_day=last_day.isoformat())


def decide(
    policy: Policy,
    office: Office,
    person: Person,
    purpose: Purpose,
    *,
    today: date,
    history: ApplicantHistory = NO_HISTORY,
    counter: CounterInput = NO_COUNTER_INPUT,
    institutions: Sequence[Institution] = (),
    checks: Sequence[Check] = DEFAULT_CHECKS,
    requirement_checks: Sequence[RequirementCheck] = DEFAULT_REQUIREMENT_CHECKS,
) -> Decision:
    """Decide whether ``office`` may issue a ``purpose`` certificate to ``person`` today.

    ``checks`` run in order and the first refusal decides. The default checks are the
    policy's effective date, the purpose belonging to the policy, a required pregnancy,
    the child count, the office level, a problem-list block, then an open correction
    referral. An office issues exactly the purposes whose matching rule names its own
    level. For an allowed decision, ``requirement_checks`` list what the clerk must still
    record from ``counter``. ``institutions`` are the institutions whose check
    certificates count.
    """
    context = DecisionContext(
        policy,
        office,
        person,
        purpose,
        today,
        history=history,
        counter=counter,
        institutions=tuple(institutions),
    )
    for check in checks:
        refusal = check(context)
        if refusal is not None:
            return Decision(
                purpose=purpose,
                allowed=False,
                issuing_level=refusal.issuing_level,
                reasons=refusal.reasons,
                policy_version=policy.version,
                rule=refusal.rule,
            )

    rule = context.rule
    if rule is None:
        # Only reachable when custom checks leave out check_child_count.
        raise ValueError(f"no rule of purpose {purpose.code!r} covers this applicant")
    return Decision(
        purpose=purpose,
        allowed=True,
        issuing_level=rule.level,
        reasons=(_allowed_reason(context, rule),),
        policy_version=policy.version,
        rule="level",
        requirements=tuple(
            requirement for check in requirement_checks for requirement in check(context)
        ),
    )


def _allowed_reason(context: DecisionContext, rule: IssuingRule) -> Message:
    params = {"purpose": context.purpose.display_name, "office_level": rule.level.label}
    if rule.is_unconditional:
        return _ALLOWED_ANY_COUNT.format(**params)
    return _ALLOWED[rule.count].format(**params, count=context.children, children=_rule_range(rule))


def _rule_range(rule: IssuingRule) -> Message:
    return _count_range(rule.min_children, rule.max_children)


def _count_range(minimum: int, maximum: int | None) -> Message:
    template: MessageTemplate
    if maximum is None:
        template = _OR_MORE
    elif maximum == minimum:
        template = _EXACTLY
    else:
        template = _BETWEEN
    return template.format(min=minimum, max=maximum)
