"""Kept only for ``scripts/nlu_report.py`` (bot environment), which imports it by this name.

The codes live in ``backend/routing/codes.py``; import them from there.
"""

from backend.routing.codes import CATEGORIEEN

__all__ = ["CATEGORIEEN"]
