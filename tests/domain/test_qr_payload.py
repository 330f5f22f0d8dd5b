"""The QR payload's binary layout, its base32 text and every way parsing rejects input."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from reportlab.graphics.barcode import qrencoder

from fpcert_desktop.domain import qr_payload
from fpcert_desktop.domain.issuance import CertificateNumber
from fpcert_desktop.domain.qr_payload import PayloadError, PayloadProblem, SignatureAlgorithm
from fpcert_desktop.ekey.certificates import verify_signature
from fpcert_desktop.ekey.errors import SignatureInvalid

ID_NUMBER = "440304199003159805"
NUMBER = CertificateNumber.parse("440304004001-01-2026-000042")
LONGEST_PURPOSE = "investment_tax_hukou_transfer"


def _certificate(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试打证员")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _signed_text(
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
    *,
    purpose: str = "child_medical_insurance",
    valid_until: dt.date | None = dt.date(2027, 6, 3),
    number: CertificateNumber = NUMBER,
) -> tuple[str, bytes]:
    certificate = _certificate(key)
    algorithm = qr_payload.algorithm_for(certificate)
    fields = qr_payload.new_fields(
        number, purpose, dt.date(2026, 12, 4), valid_until, ID_NUMBER, certificate
    )
    data = qr_payload.bytes_to_sign(fields, algorithm)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        token_signature = key.sign(data, ec.ECDSA(hashes.SHA256()))
    else:
        token_signature = key.sign(data, padding_pkcs1(), hashes.SHA256())
    signature = qr_payload.signature_from_token(algorithm, token_signature)
    return qr_payload.SignedPayload(fields, algorithm, signature, data).text(), certificate


def padding_pkcs1() -> object:
    from cryptography.hazmat.primitives.asymmetric import padding

    return padding.PKCS1v15()


def _replace(text: str, index: int) -> str:
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1 :]


def _body(text: str) -> bytes:
    encoded = text[len(qr_payload.PREFIX) :]
    return base64.b32decode(encoded + "=" * (-len(encoded) % 8))


def test_round_trip_keeps_every_field(ec_key: ec.EllipticCurvePrivateKey) -> None:
    text, certificate = _signed_text(ec_key)

    parsed = qr_payload.parse(text)

    assert parsed.fields.number == NUMBER
    assert parsed.fields.office_code == "440304004001"
    assert parsed.fields.purpose_code == "child_medical_insurance"
    assert parsed.fields.issued_on == dt.date(2026, 12, 4)
    assert parsed.fields.valid_until == dt.date(2027, 6, 3)
    assert parsed.fields.key_id == qr_payload.key_id_for(certificate)
    assert parsed.algorithm is SignatureAlgorithm.ECDSA_P256_SHA256
    assert parsed.text() == text
    verify_signature(certificate, parsed.signed_bytes, qr_payload.signature_as_der(parsed))


def test_round_trip_without_end_date(ec_key: ec.EllipticCurvePrivateKey) -> None:
    text, _ = _signed_text(ec_key, valid_until=None)

    assert qr_payload.parse(text).fields.valid_until is None


def test_id_number_matches_only_the_holder(ec_key: ec.EllipticCurvePrivateKey) -> None:
    fields = qr_payload.parse(_signed_text(ec_key)[0]).fields

    assert fields.matches_id_number(ID_NUMBER)
    assert fields.matches_id_number(" 440304 19900315 9805 ")
    assert not fields.matches_id_number("44030419880708981X")


def test_salt_differs_per_certificate(ec_key: ec.EllipticCurvePrivateKey) -> None:
    first = qr_payload.parse(_signed_text(ec_key)[0]).fields
    second = qr_payload.parse(_signed_text(ec_key)[0]).fields

    assert first.salt != second.salt
    assert first.id_hash != second.id_hash


def test_scanner_input_is_normalised(ec_key: ec.EllipticCurvePrivateKey) -> None:
    text, _ = _signed_text(ec_key)
    # Caps Lock, a full-width colon from a Chinese layout and the scanner's line end.
    typed = text.lower().replace(":", "：") + "\r\n"

    assert qr_payload.parse(typed).text() == text


def test_ec_payload_fits_version_10_at_level_m(ec_key: ec.EllipticCurvePrivateKey) -> None:
    text, _ = _signed_text(ec_key, purpose=LONGEST_PURPOSE)
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(qrencoder.QRAlphaNum(text))
    code.make()

    version = (code.getModuleCount() - 17) // 4
    assert len(text) == 239
    assert version <= 10


def test_rsa_payload_round_trip() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    text, certificate = _signed_text(key)

    parsed = qr_payload.parse(text)

    assert parsed.algorithm is SignatureAlgorithm.RSA_PKCS1_SHA256
    assert len(parsed.signature) == 256
    verify_signature(certificate, parsed.signed_bytes, qr_payload.signature_as_der(parsed))


def test_longest_code_fits_the_length_limit() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    number = CertificateNumber.parse("440304004001-A1B2-2026-999999")
    purpose = "p" * qr_payload.MAX_PURPOSE_CODE_LENGTH
    text, _ = _signed_text(key, purpose=purpose, number=number)

    assert len(text) == qr_payload.MAX_TEXT_LENGTH
    assert qr_payload.parse(text).fields.purpose_code == purpose


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\x00"],
)
def test_invisible_characters_are_ignored(
    ec_key: ec.EllipticCurvePrivateKey, invisible: str
) -> None:
    text, _ = _signed_text(ec_key)
    inserted = invisible + text[:3] + invisible + text[3:40] + invisible + text[40:] + invisible

    assert qr_payload.parse(inserted).text() == text


@pytest.mark.parametrize(
    "text",
    ["", "440304004001-01-2026-000042", "https://example.invalid/FPC1:AAAA", "FPC:ABC"],
)
def test_parse_rejects_other_text(text: str) -> None:
    with pytest.raises(PayloadError) as caught:
        qr_payload.parse(text)

    assert caught.value.problem is PayloadProblem.NOT_A_PAYLOAD


def test_parse_rejects_unknown_prefix_version(ec_key: ec.EllipticCurvePrivateKey) -> None:
    text, _ = _signed_text(ec_key)

    with pytest.raises(PayloadError) as caught:
        qr_payload.parse("FPC2:" + text[len(qr_payload.PREFIX) :])

    assert caught.value.problem is PayloadProblem.UNKNOWN_VERSION
    assert "version 2" in caught.value.message.english
    assert "newer" in caught.value.message.english
    assert "Update the program" in caught.value.message.english


def test_parse_rejects_version_before_the_first(ec_key: ec.EllipticCurvePrivateKey) -> None:
    text, _ = _signed_text(ec_key)

    with pytest.raises(PayloadError) as caught:
        qr_payload.parse("FPC0:" + text[len(qr_payload.PREFIX) :])

    assert caught.value.problem is PayloadProblem.NO_SUCH_VERSION
    assert "version 0" in caught.value.message.english
    assert "Update" not in caught.value.message.english
    assert not caught.value.is_read_problem


def test_parse_rejects_other_binary_version(ec_key: ec.EllipticCurvePrivateKey) -> None:
    body = bytearray(_body(_signed_text(ec_key)[0]))
    body[0] = 7

    with pytest.raises(PayloadError) as caught:
        qr_payload.parse(qr_payload.encode_text(bytes(body)))

    assert caught.value.problem is PayloadProblem.INVALID_FIELD
    assert "format version" in caught.value.message.english


def test_zero_version_byte_is_not_a_version() -> None:
    # 200 "A"s decode to 125 zero bytes, so the prefix names version 1 and the content 0.
    with pytest.raises(PayloadError) as caught:
        qr_payload.parse("FPC1:" + "A" * 200)

    assert caught.value.problem is PayloadProblem.INVALID_FIELD
    assert "version 0" not in caught.value.message.english


def test_parse_rejects_too_long_input() -> None:
    with pytest.raises(PayloadError) as caught:
        qr_payload.parse("FPC1:" + "A" * 100_000)

    assert caught.value.problem is PayloadProblem.TOO_LONG
    assert caught.value.is_read_problem
    assert "100005 characters" in caught.value.message.english
    assert f"at most {qr_payload.MAX_TEXT_LENGTH}" in caught.value.message.english


@pytest.mark.parametrize("text", ["FPC1:", "fpc1: ", "FPC1：\u200b\r\n"])
def test_parse_rejects_empty_code(text: str) -> None:
    with pytest.raises(PayloadError) as caught:
        qr_payload.parse(text)

    assert caught.value.problem is PayloadProblem.EMPTY
    assert caught.value.is_read_problem
    assert "empty" in caught.value.message.english


@pytest.mark.parametrize("character", ["0", "1", "8", "9", "=", "-", "+", "/"])
def test_parse_rejects_non_base32_characters(
    ec_key: ec.EllipticCurvePrivateKey, character: str
) -> None:
    text, _ = _signed_text(ec_key)
    altered = text[:20] + character + text[21:]

    with pytest.raises(PayloadError) as caught:
        qr_payload.parse(altered)

    assert caught.value.problem is PayloadProblem.INVALID_CHARACTERS
    assert caught.value.is_read_problem
    assert f"({character})" in caught.value.message.english


def test_trailing_mark_is_a_misread(ec_key: ec.EllipticCurvePrivateKey) -> None:
    text, _ = _signed_text(ec_key)

    with pytest.raises(PayloadError) as caught:
        qr_payload.parse(text + "!")

    assert caught.value.problem is PayloadProblem.INVALID_CHARACTERS
    assert caught.value.is_read_problem
    assert "misread" in caught.value.message.english


def test_parse_rejects_changed_unused_bits(ec_key: ec.EllipticCurvePrivateKey) -> None:
    # 142 bytes encode to 228 characters, whose last character carries 4 unused bits.
    canonical, _ = _signed_text(ec_key, purpose="civil_service_recruitment")
    assert len(_body(canonical)) * 8 % 5 != 0
    last = canonical[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    flipped = alphabet[alphabet.index(last) ^ 1]

    with pytest.raises(PayloadError) as caught:
        qr_payload.parse(canonical[:-1] + flipped)

    assert caught.value.problem is PayloadProblem.NON_CANONICAL
    assert not caught.value.is_read_problem


def test_every_truncation_is_incomplete(ec_key: ec.EllipticCurvePrivateKey) -> None:
    text, _ = _signed_text(ec_key)
    problems = {}
    for end in range(len(qr_payload.PREFIX) + 1, len(text)):
        with pytest.raises(PayloadError) as caught:
            qr_payload.parse(text[:end])
        problems[end] = caught.value.problem

    assert set(problems.values()) == {PayloadProblem.TRUNCATED}, problems


def test_parse_rejects_short_signature(ec_key: ec.EllipticCurvePrivateKey) -> None:
    body = _body(_signed_text(ec_key)[0])

    with pytest.raises(PayloadError) as caught:
        qr_payload.parse(qr_payload.encode_text(body[:-5]))

    assert caught.value.problem is PayloadProblem.TRUNCATED
    assert "signature" in caught.value.message.english


def test_parse_rejects_trailing_bytes(ec_key: ec.EllipticCurvePrivateKey) -> None:
    body = _body(_signed_text(ec_key)[0])

    with pytest.raises(PayloadError) as caught:
        qr_payload.parse(qr_payload.encode_text(body + b"\x00\x00"))

    assert caught.value.problem is PayloadProblem.TRAILING_DATA
    assert caught.value.is_read_problem


def _rewritten(body: bytes, offset: int, value: int) -> str:
    changed = bytearray(body)
    changed[offset] = value
    return qr_payload.encode_text(bytes(changed))


@pytest.mark.parametrize(
    ("offset", "value", "field"),
    [
        (1, 7, "office code"),  # office code length
        (8, 0xFF, "workstation"),  # first workstation character, not ASCII
        (15, 0, "purpose"),  # purpose code length 0
    ],
)
def test_parse_rejects_invalid_fields(
    ec_key: ec.EllipticCurvePrivateKey, offset: int, value: int, field: str
) -> None:
    body = _body(_signed_text(ec_key)[0])

    with pytest.raises(PayloadError) as caught:
        qr_payload.parse(_rewritten(body, offset, value))

    assert caught.value.problem is PayloadProblem.INVALID_FIELD
    assert not caught.value.is_read_problem
    assert field in caught.value.message.english


def test_parse_rejects_unknown_algorithm(ec_key: ec.EllipticCurvePrivateKey) -> None:
    body = _body(_signed_text(ec_key)[0])
    algorithm_offset = len(body) - qr_payload.ECDSA_P256_SIGNATURE_LENGTH - 1

    with pytest.raises(PayloadError) as caught:
        qr_payload.parse(_rewritten(body, algorithm_offset, 9))

    assert caught.value.problem is PayloadProblem.INVALID_FIELD


def test_one_changed_character_breaks_the_signature(ec_key: ec.EllipticCurvePrivateKey) -> None:
    text, certificate = _signed_text(ec_key)
    failures = 0
    for index in range(len(qr_payload.PREFIX), len(text)):
        try:
            parsed = qr_payload.parse(_replace(text, index))
            verify_signature(certificate, parsed.signed_bytes, qr_payload.signature_as_der(parsed))
        except (PayloadError, SignatureInvalid):
            failures += 1

    assert failures == len(text) - len(qr_payload.PREFIX)
