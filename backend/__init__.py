"""Meldwijzer backend (FastAPI). Start at ``app.py``; docs/architecture.md maps the tree."""
