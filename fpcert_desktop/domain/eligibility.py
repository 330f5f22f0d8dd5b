"""Whether an office may issue a certificate for a purpose to an applicant, and why.

:func:`decide` runs a list of checks in order. The first check that rejects decides the
refusal. When none rejects, the office issues the certificate. Each check is a function
of a :class:`DecisionContext` that returns a :class:`Refusal` or None, so further rules
(problem-list blocks, the re-issue window) are added as further checks.

Every reason is a :class:`Message` naming the rule, the child count that decided it and
what the clerk does next.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.people import Person
from fpcert_desktop.domain.policy import CountBasis, IssuingRule, Policy, Purpose
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


@dataclass(frozen=True)
class Decision:
    """The outcome of :func:`decide`.

    ``issuing_level`` is the office's own level when allowed. When refused, it is the
    level to send the applicant to, or None when no office can issue the certificate to
    this applicant with the current record. ``rule`` is the code of the deciding check:
    ``level`` (also for every allowed decision), ``child_count``, ``pregnancy_required``,
    ``unknown_purpose`` or ``policy_not_in_force``.
    """

    purpose: Purpose
    allowed: bool
    issuing_level: OfficeLevel | None
    reasons: tuple[Message, ...]
    policy_version: str
    rule: str

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


DEFAULT_CHECKS: tuple[Check, ...] = (
    check_policy_in_force,
    check_purpose_in_policy,
    check_pregnancy,
    check_child_count,
    check_level,
)


def decide(
    policy: Policy,
    office: Office,
    person: Person,
    purpose: Purpose,
    *,
    today: date,
    checks: Sequence[Check] = DEFAULT_CHECKS,
) -> Decision:
    """Decide whether ``office`` may issue a ``purpose`` certificate to ``person`` today.

    ``checks`` run in order and the first refusal decides. The default checks are the
    policy's effective date, the purpose belonging to the policy, a required pregnancy,
    the child count, then the office level. An office issues exactly the purposes whose
    matching rule names its own level.
    """
    context = DecisionContext(policy, office, person, purpose, today)
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
