"""The printable content of one certificate (计划生育证明), always in Chinese.

The printing package lays this out; it makes no decisions of its own. The snapshot is
stored with the issuance so a reprint shows exactly what the first print showed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class ChildLine:
    name: str
    sex: str
    birth_date: str
    birth_order: str


@dataclass(frozen=True)
class CertificateContent:
    """Every text the certificate prints, already formatted.

    Dates are formatted as ``2026年12月04日``. ``qr_payload`` is the signed verification
    text, or None for a certificate printed without an e-key signature; the layout keeps
    the QR square empty then.
    """

    number: str
    purpose_name: str
    statement: str
    applicant_name: str
    applicant_sex: str
    applicant_id_number: str
    applicant_birth_date: str
    applicant_ethnicity: str
    hukou_category: str
    hukou_address: str
    residence_address: str
    marital_status: str
    marriage_date: str
    spouse_name: str
    spouse_id_number: str
    children: tuple[ChildLine, ...]
    pregnancy: str
    validity: str
    office_name: str
    issue_date: str
    policy_version: str
    qr_payload: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def to_json_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> CertificateContent:
        values = dict(data)
        values["children"] = tuple(ChildLine(**child) for child in values.get("children", ()))
        return cls(**values)

    def printed_texts(self) -> dict[str, str]:
        """Return every printed string by field name, for the glyph check before printing."""
        texts = {
            key: value
            for key, value in asdict(self).items()
            if isinstance(value, str) and key not in ("qr_payload", "policy_version")
        }
        for index, child in enumerate(self.children, start=1):
            for key, value in asdict(child).items():
                texts[f"children[{index}].{key}"] = value
        texts.update({f"extra.{key}": value for key, value in self.extra.items()})
        return texts


def format_chinese_date(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month:02d}月{value.day:02d}日"
