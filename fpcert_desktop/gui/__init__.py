"""PySide6 windows over the services; the only package that imports Qt widgets."""
