"""Readable names of the certificate fields, for messages about their content."""

from __future__ import annotations

import re

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message, MessageTemplate

_FIELD_LABELS: dict[str, MessageTemplate] = {
    "number": QT_TRANSLATE_NOOP("Printing", "certificate number"),
    "purpose_name": QT_TRANSLATE_NOOP("Printing", "purpose"),
    "statement": QT_TRANSLATE_NOOP("Printing", "statement"),
    "applicant_name": QT_TRANSLATE_NOOP("Printing", "applicant's name"),
    "applicant_sex": QT_TRANSLATE_NOOP("Printing", "applicant's sex"),
    "applicant_id_number": QT_TRANSLATE_NOOP("Printing", "applicant's ID number"),
    "applicant_birth_date": QT_TRANSLATE_NOOP("Printing", "applicant's birth date"),
    "applicant_ethnicity": QT_TRANSLATE_NOOP("Printing", "applicant's ethnicity"),
    "hukou_category": QT_TRANSLATE_NOOP("Printing", "hukou category"),
    "hukou_address": QT_TRANSLATE_NOOP("Printing", "hukou address"),
    "residence_address": QT_TRANSLATE_NOOP("Printing", "current residence address"),
    "marital_status": QT_TRANSLATE_NOOP("Printing", "marital status"),
    "marriage_date": QT_TRANSLATE_NOOP("Printing", "marriage date"),
    "spouse_name": QT_TRANSLATE_NOOP("Printing", "spouse's name"),
    "spouse_id_number": QT_TRANSLATE_NOOP("Printing", "spouse's ID number"),
    "pregnancy": QT_TRANSLATE_NOOP("Printing", "current pregnancy"),
    "validity": QT_TRANSLATE_NOOP("Printing", "validity"),
    "office_name": QT_TRANSLATE_NOOP("Printing", "issuing office"),
    "issue_date": QT_TRANSLATE_NOOP("Printing", "issue date"),
    "policy_version": QT_TRANSLATE_NOOP("Printing", "policy version"),
    "form": QT_TRANSLATE_NOOP("Printing", "printed form text"),
}

_CHILD_LABELS: dict[str, MessageTemplate] = {
    "name": QT_TRANSLATE_NOOP("Printing", "name of child {index}"),
    "sex": QT_TRANSLATE_NOOP("Printing", "sex of child {index}"),
    "birth_date": QT_TRANSLATE_NOOP("Printing", "birth date of child {index}"),
    "birth_order": QT_TRANSLATE_NOOP("Printing", "birth order of child {index}"),
}

_EXTRA_LABEL = QT_TRANSLATE_NOOP("Printing", "additional field {key}")
_TEXT_LABEL = QT_TRANSLATE_NOOP("Printing", "text")

_CHILD_FIELD = re.compile(r"children\[(?P<index>\d+)\]\.(?P<key>\w+)")


def field_label(field: str | None) -> Message:
    """Return the readable name of a key from ``CertificateContent.printed_texts()``.

    A key without a label is named as an additional field, so the message still names it.
    """
    if field is None:
        return _TEXT_LABEL.format()
    if field in _FIELD_LABELS:
        return _FIELD_LABELS[field].format()

    child = _CHILD_FIELD.fullmatch(field)
    if child and child["key"] in _CHILD_LABELS:
        return _CHILD_LABELS[child["key"]].format(index=int(child["index"]))

    if field.startswith("extra."):
        return _EXTRA_LABEL.format(key=field.removeprefix("extra."))
    return _EXTRA_LABEL.format(key=field)
