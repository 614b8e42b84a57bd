"""Build the printable routeboekje for every eenheid: HTML and PDF.

    .venv-backend/bin/python scripts/build_routeboekje.py [--out var/routeboekje] [eenheid ...]

Generated from backend/data/routeboekje.yaml (the same data the bot and the
routing use). The running backend serves the same content at /routeboekje/<eenheid>
and /routeboekje/<eenheid>.pdf.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.pages.kit import make_templates  # noqa: E402
from backend.pages.routeboekje import (  # noqa: E402
    STATIC_DIR,
    html_to_pdf,
    routeboekje_html,  # noqa: E402
)
from backend.routing.codes import EENHEDEN  # noqa: E402
from backend.routing.routeboekje import default_routeboekje  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "routeboekje")
    parser.add_argument("--geen-pdf", action="store_true", help="only the HTML files")
    parser.add_argument("eenheden", nargs="*", help="eenheid codes (default: all)")
    args = parser.parse_args(argv)
    unknown = [e for e in args.eenheden if e not in EENHEDEN]
    if unknown:
        parser.error(f"unknown eenheid: {', '.join(unknown)} (use: {', '.join(EENHEDEN)})")
    boek = default_routeboekje()
    templates = make_templates()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for css in ("pages.css", "routeboekje.css"):
        shutil.copyfile(STATIC_DIR / css, out / css)
    for eenheid in args.eenheden or EENHEDEN:
        html = routeboekje_html(templates, boek, eenheid, pdf=False)
        html = html.replace('href="/static/', 'href="').replace(
            f'href="/routeboekje/{eenheid}.pdf"', f'href="routeboekje-{eenheid}.pdf"'
        )
        html = html.replace('href="/routeboekje"', 'href="index.html"')
        (out / f"routeboekje-{eenheid}.html").write_text(html, encoding="utf-8")
        if not args.geen_pdf:
            pdf = html_to_pdf(routeboekje_html(templates, boek, eenheid, pdf=True))
            (out / f"routeboekje-{eenheid}.pdf").write_bytes(pdf)
        print(
            f"routeboekje {eenheid}: {out}/routeboekje-{eenheid}.html"
            + ("" if args.geen_pdf else " + .pdf")
        )
    links = "\n".join(
        f'<li><a href="routeboekje-{e}.html">{boek.eenheid_naam(e)}</a></li>'
        for e in (args.eenheden or EENHEDEN)
    )
    (out / "index.html").write_text(
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Routeboekjes</title>'
        '<link rel="stylesheet" href="pages.css"></head><body><main><h1>Routeboekjes</h1>'
        f"<ul>{links}</ul></main></body></html>\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
