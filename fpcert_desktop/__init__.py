"""fpcert-desktop: counter client of Shenzhen's family-planning certificate system."""

__version__ = "0.1.0"
