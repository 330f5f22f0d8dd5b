"""Print the synthetic sample certificate through cups-pdf and save a page image.

Writes docs/images/certificate-sample.png from the PDF that the CUPS queue produced,
so the image shows what a printer receives. Needs root (it starts cupsd if it is not
running) and the Debian packages cups and printer-driver-cups-pdf.

    .venv/bin/python tools/render_sample_certificate.py [--output PATH] [--dpi 110]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from fpcert_desktop.printing.cups import CupsPrinter
from fpcert_desktop.printing.cups_admin import (
    cups_pdf_output_dir,
    ensure_cups_pdf_queue,
    find_cups_pdf_output,
    start_cupsd,
)
from fpcert_desktop.printing.layout import render_certificate
from fpcert_desktop.printing.preview import render_preview_png
from fpcert_desktop.printing.sample import sample_certificate_content

REPOSITORY = Path(__file__).resolve().parents[1]
SAMPLE_QR_PAYLOAD = "https://verify.invalid/c/440304001003-01-2026-000042?sig=sample"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=REPOSITORY / "docs" / "images" / "certificate-sample.png",
        help="PNG file to write (default: docs/images/certificate-sample.png)",
    )
    parser.add_argument("--dpi", type=int, default=110, help="image resolution in dots per inch")
    parser.add_argument("--queue", default="fpcert-pdf", help="cups-pdf queue to print on")
    args = parser.parse_args(argv)

    start_cupsd()
    queue = ensure_cups_pdf_queue(args.queue)

    content = sample_certificate_content(qr_payload=SAMPLE_QR_PAYLOAD)
    submitted_at = time.time() - 1
    result = CupsPrinter(queue).print_pdf(render_certificate(content), title=content.number)

    printed = None
    for _ in range(50):
        printed = find_cups_pdf_output(result.job_id, cups_pdf_output_dir(), after=submitted_at)
        if printed is not None:
            break
        time.sleep(0.1)
    if printed is None:
        print(f"No cups-pdf output for job {result.job_id} in {cups_pdf_output_dir()}")
        return 1

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(render_preview_png(printed.read_bytes(), args.dpi))
    print(f"Printed job {result.job_id} to {printed} and wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
