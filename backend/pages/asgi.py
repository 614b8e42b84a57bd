"""ASGI entry point with the pages: ``uvicorn backend.pages.asgi:app``.

Same as backend.asgi, plus install_pages (a no-op once backend/app.py calls it).
"""

from backend.app import create_app
from backend.config import Settings
from backend.pages import install_pages

app = install_pages(create_app(), Settings.from_env())
