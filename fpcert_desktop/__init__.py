"""fpcert-desktop: counter client of Shenzhen's family-planning certificate system."""

import importlib.metadata

__version__ = "0.1.0"


def package_version() -> str:
    """Return the installed distribution's version, else the source tree's ``__version__``.

    The Linux package build stamps its own version (such as ``0.1.0-2``) into the bundled
    distribution metadata, so this is the version dpkg shows.
    """
    try:
        return importlib.metadata.version("fpcert-desktop")
    except importlib.metadata.PackageNotFoundError:
        return __version__
