"""Synthetic certificate content for previews, tests and documentation.

Every person, number and address here is made up.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fpcert_desktop.domain.certificate import CertificateContent, ChildLine


def sample_certificate_content(**changes: Any) -> CertificateContent:
    """Return a complete synthetic certificate. Keyword arguments replace fields."""
    content = CertificateContent(
        number="440304001003-01-2026-000042",
        purpose_name="办理生育登记",
        statement=(
            "兹证明陈思远与配偶周明轩系初婚夫妻，婚后共生育子女一个，现无违反计划生育政策"
            "生育情况。经核查，申请人所提交材料与原件相符，特此证明。"
        ),
        applicant_name="陈思远",
        applicant_sex="女",
        applicant_id_number="440304199203151269",
        applicant_birth_date="1992年03月15日",
        applicant_ethnicity="汉族",
        hukou_category="深圳户籍",
        hukou_address="广东省深圳市福田区福田街道福山社区示例路18号3栋1202",
        residence_address="广东省深圳市福田区福田街道福山社区示例路18号3栋1202",
        marital_status="初婚",
        marriage_date="2016年10月01日",
        spouse_name="周明轩",
        spouse_id_number="440305199007081351",
        children=(ChildLine("周小禾", "女", "2018年05月02日", "第一孩"),),
        pregnancy="无",
        validity="2026年12月04日至2027年06月03日",
        office_name="深圳市福田区福田街道福山社区工作站",
        issue_date="2026年12月04日",
        policy_version="2026.1",
        qr_payload=None,
    )
    return replace(content, **changes)
