"""The portal's bijlagen: listed with what was removed, a warning for risky types, and
"Downloaden" always as an opaque attachment (never shown inline)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.backend.api.test_bijlagen import _melder, upload
from tests.backend.conftest import add_user
from tests.backend.pages.test_pages import portal_login


def test_portal_lists_bijlagen_and_downloads_them_as_attachments(client: TestClient) -> None:
    sub, status = _melder(client)
    html = b"<html><script>alert(1)</script></html>"
    bid = upload(client, sub, status, html, naam='pagina".html', mime="text/html")
    upload(client, sub, status, b"%PDF-1.7 x", naam="verslag.pdf", mime="application/pdf")
    add_user(client, "vp.rotterdam")
    portal_login(client, "vp.rotterdam")

    page = client.get(f"/portaal/melding/{sub.melding_id}")
    assert page.status_code == 200
    assert page.text.count('class="knop bijlage-download"') == 2
    assert "Metadata verwijderd: tekstvelden (tEXt)" in page.text
    assert page.text.count("bijlage-waarschuwing") == 1  # the .html file only
    assert "<script>alert" not in page.text  # names are escaped

    download = client.get(f"/portaal/melding/{sub.melding_id}/bijlage/{bid}")
    assert download.status_code == 200 and download.content == html
    assert download.headers["content-type"] == "application/octet-stream"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="pagina.html"')
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in download.headers["content-security-policy"]

    client.cookies.clear()
    anonymous = client.get(
        f"/portaal/melding/{sub.melding_id}/bijlage/{bid}", follow_redirects=False
    )
    assert anonymous.status_code == 303 and html not in anonymous.content
