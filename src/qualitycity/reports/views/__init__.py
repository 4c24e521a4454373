"""The reports app's pages: the cockpit (cockpit.py) and exports (exports.py)."""

from .cockpit import home_section

__all__ = ["home_section"]
