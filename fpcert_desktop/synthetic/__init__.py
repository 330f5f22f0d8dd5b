"""Deterministic synthetic population and office tree built on the real Shenzhen division codes."""

from fpcert_desktop.synthetic.demo import DEMO_ID_NUMBERS, DEMO_PEOPLE, DemoPerson
from fpcert_desktop.synthetic.generator import DEFAULT_SEED, GenerationReport, generate

__all__ = [
    "DEFAULT_SEED",
    "DEMO_ID_NUMBERS",
    "DEMO_PEOPLE",
    "DemoPerson",
    "GenerationReport",
    "generate",
]
