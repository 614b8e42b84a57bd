"""Bijlagen in the browser (issue #16): a melder adds a phone photo with GPS, a PDF and a
Word file with an author on the follow-up page; the browser removes the metadata, seals
the files and uploads them in chunks; the loket downloads them and what it decrypts
holds neither the GPS position nor the author. A renamed program is refused, and the
canary bytes are nowhere in the database or the logs in clear."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from typing import Any

import httpx
import pytest

from envelope.meldcode import new_meldcode
from envelope.melder_auth import sign_submission
from envelope.melder_key import melder_keys
from envelope.request_signing import ensure_signing_key
from envelope.sealing import Recipient, b64d, b64e, envelope_header, seal

from .conftest import PASSWORD, USER, Live, axe_check, screenshot

pytestmark = pytest.mark.browser

AUTHOR = "Kanarie Auteursnaam Pietersen"
CAMERA = "KanarieFoon X9"
CONTENT = b"CANARY-BESTAND-INHOUD-5d1c"


def jpeg_with_gps() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 32), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "KanarieMerk"
    exif[0x0110] = CAMERA
    exif[0x013B] = AUTHOR
    exif[0x0112] = 6  # rotated: must survive
    gps = {1: "N", 2: (52.0, 5.0, 12.5), 3: "E", 4: (4.0, 28.0, 1.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=CONTENT)
    return out.getvalue()


def pdf_with_author() -> bytes:
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{AUTHOR}</dc:creator></x:xmpmeta>'
    objects = [
        "<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 6 0 R >>",
        f"<< /Author ({AUTHOR}) /Creator (KanarieWriter) /Title (Verslag) >>",
        f"<< /Type /Metadata /Subtype /XML /Length {len(xmp)} >>\nstream\n{xmp}\nendstream",
        "<< /Length 44 >>\nstream\nBT /F1 12 Tf 20 100 Td (CANARY-PDF-TEKST) Tj ET\nendstream",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{n} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R >>\n".encode()
    body += f"startxref\n{xref}\n%%EOF\n".encode()
    return body


def docx_with_author() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr(
            "docProps/core.xml",
            '<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="y">'
            f"<dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>"
            "</cp:coreProperties>",
        )
        z.writestr("docProps/app.xml", "<Properties><Company>KanarieBV</Company></Properties>")
        z.writestr("word/document.xml", "<w:document>CANARY-WORD-TEKST</w:document>")
    return out.getvalue()


def submit_melding(live: Live) -> tuple[str, str]:
    """A melding as the action server sends it (signed), with a fresh meldcode."""
    key = httpx.get(f"{live.base}/api/v1/lokets/vertrouwenspersoon/rotterdam/publickey").json()
    melding_id = str(uuid.uuid4())
    meldcode = new_meldcode()
    melding = {
        "schema": "meldwijzer.melding/1",
        "melding_id": melding_id,
        "aangemaakt_op": "2026-11-26T10:00:00+00:00",
        "kanaal": "chat",
        "loket": "vertrouwenspersoon",
        "categorie": "pesten",
        "eenheid": "rotterdam",
        "beschrijving": "Ze sturen foto's van mij rond in de appgroep.",
        "wens": "steun",
        "anoniem": True,
    }
    header = envelope_header(melding)
    keys = melder_keys(meldcode)
    loket = Recipient(kid=key["kid"], public_key=b64d(key["public_key"]))
    sealed = seal(json.dumps(melding).encode(), header, [loket, keys.recipient])
    body = {
        "envelope": header,
        "toestemming_doorsturen": False,
        "sealed": sealed,
        "melder_sleutel": b64e(keys.sleutel),
        "melder_handtekening": sign_submission(keys, melding_id, sealed),
    }
    data = json.dumps(body).encode()
    signing = ensure_signing_key(live.config.signing_key_file)
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": melding_id,
        **signing.sign("POST", "/api/v1/meldingen", data),
    }
    response = httpx.post(f"{live.base}/api/v1/meldingen", content=data, headers=headers)
    assert response.status_code == 201, response.text
    return melding_id, meldcode


def test_files_lose_their_metadata_before_they_are_sealed(
    page: Any, live: Live, tmp_path: Any
) -> None:
    from PIL import Image

    melding_id, meldcode = submit_melding(live)
    files = {
        "IMG_2041.jpg": jpeg_with_gps(),
        "verslag.pdf": pdf_with_author(),
        "brief.docx": docx_with_author(),
        "vakantie.jpg": b"MZ\x90\x00" + b"\x00" * 200,  # a program with a photo's name
    }
    assert CAMERA.encode() in files["IMG_2041.jpg"] and AUTHOR.encode() in files["verslag.pdf"]
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))

    page.goto(live.base + "/volgen")
    page.wait_for_selector("#volgen-form[data-klaar=ja]", state="attached")
    page.fill("#meldcode", meldcode)
    page.click("#volgen-form button[type=submit]")
    page.wait_for_selector("#bijlage-invoer")
    assert "20 MB" in page.inner_text("#bijlagen")
    page.set_input_files("#bijlage-invoer", paths)
    page.wait_for_selector("#bijlagen[data-klaar=ja]", state="attached")
    preview = page.inner_text("#bijlagen-voorbeeld")
    assert "IMG_2041.jpg" in preview and "plaats (GPS)" in preview
    assert "merk en type toestel" in preview
    assert "maker, titel, programma en datums" in preview and "XMP-gegevens" in preview
    assert "maker, laatst gewijzigd door" in preview
    assert "vakantie.jpg" not in preview
    assert "vakantie.jpg" in page.inner_text("#bijlagen-fout")
    axe_check(page, "volgen-bijlagen")
    screenshot(page, "volgen-bijlagen")

    page.click("#bijlagen-verstuur")
    page.wait_for_selector("#bijlagen[data-verstuurd]", state="attached")
    assert page.get_attribute("#bijlagen", "data-verstuurd") == "3"
    assert "toegevoegd" in page.inner_text("#bijlagen-stand")
    # The melder sees what the melding has now (names opened in the browser).
    eerder = page.inner_text("#bijlagen-eerder")
    assert all(n in eerder for n in ("IMG_2041.jpg", "verslag.pdf", "brief.docx"))
    assert "vakantie.jpg" not in eerder

    # The loket: log in over the API, list and download.
    token = httpx.post(
        f"{live.base}/api/v1/loket/login", json={"naam": USER, "wachtwoord": PASSWORD}
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    base = f"{live.base}/api/v1/loket/meldingen/{melding_id}/bijlagen"
    lijst = {b["naam"]: b for b in httpx.get(base, headers=auth).json()["bijlagen"]}
    assert set(lijst) == {"IMG_2041.jpg", "verslag.pdf", "brief.docx"}
    got = {}
    for naam, item in lijst.items():
        response = httpx.get(f"{base}/{item['id']}", headers=auth)
        assert response.status_code == 200
        assert response.headers["content-disposition"].startswith("attachment")
        assert response.headers["content-type"] == "application/octet-stream"
        got[naam] = response.content

    photo = got["IMG_2041.jpg"]
    for secret in (CAMERA.encode(), AUTHOR.encode(), b"KanarieMerk", CONTENT):
        assert secret not in photo
    image = Image.open(io.BytesIO(photo))
    exif = image.getexif()
    assert 0x8825 not in exif and 0x0110 not in exif
    assert exif.get(0x0112) == 6  # the orientation is kept
    assert image.size == (64, 32)

    pdf = got["verslag.pdf"]
    assert pdf.startswith(b"%PDF-") and AUTHOR.encode() not in pdf
    assert b"KanarieWriter" not in pdf and b"/Author" not in pdf
    assert b"CANARY-PDF-TEKST" in pdf  # the content itself stays

    with zipfile.ZipFile(io.BytesIO(got["brief.docx"])) as z:
        every = b"".join(z.read(n) for n in z.namelist())
    assert AUTHOR.encode() not in every and b"KanarieBV" not in every
    assert b"CANARY-WORD-TEKST" in every

    # The portal lists them with "Downloaden"; nothing in clear on disk or in the logs.
    page.goto(live.base + "/portaal/inloggen")
    page.fill("#naam", USER)
    page.fill("#wachtwoord", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portaal/inbox")
    page.goto(f"{live.base}/portaal/melding/{melding_id}")
    assert page.locator("a.bijlage-download").count() == 3
    assert "plaats (GPS)" in page.inner_text("#bijlagen")
    axe_check(page, "portaal-bijlagen")
    href = page.locator("a.bijlage-download").first.get_attribute("href")
    download = page.request.get(live.base + str(href))
    assert download.status == 200
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["x-content-type-options"] == "nosniff"

    stored = b"".join(p.read_bytes() for p in live.workdir.glob("meldwijzer.db*"))
    logs = b"".join(p.read_bytes() for p in live.config.log_dir.rglob("*") if p.is_file())
    for secret in (b"CANARY-PDF-TEKST", b"CANARY-WORD-TEKST", AUTHOR.encode()):
        assert secret not in stored and secret not in logs


def png_with_text() -> bytes:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_itxt("Comment", "CANARY-PNG-OPMERKING")
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 10)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_a_file_added_in_the_chat_reaches_the_loket_without_its_metadata(
    page: Any, live: Live, tmp_path: Any
) -> None:
    from .test_pages_in_browser import (
        all_text,
        answer_open_questions,
        click,
        open_chat,
        type_message,
    )

    open_chat(page, live)
    click(page, "/wil_vertellen")
    type_message(page, "Ze sturen screenshots van mijn berichten rond in de app-groep.")
    click(page, "/bevestig_categorie")
    answer_open_questions(page)
    click(page, "gekozen_loket", '"vertrouwenspersoon"')
    answer_open_questions(page)
    click(page, "/verstuur")
    assert "Je melding is verstuurd" in all_text(page)
    naam = f"appgroep-{uuid.uuid4().hex[:6]}.png"
    (tmp_path / naam).write_bytes(png_with_text())

    page.click("button.bijlage-toevoegen")
    page.wait_for_selector("#bijlage-invoer")
    assert page.evaluate("document.activeElement.id") == "bijlage-invoer"
    page.set_input_files("#bijlage-invoer", str(tmp_path / naam))
    page.wait_for_selector("#bijlagen[data-klaar=ja]", state="attached")
    assert "tekstvelden" in page.inner_text("#bijlagen-voorbeeld")
    axe_check(page, "chat-bijlagen")
    screenshot(page, "chat-bijlagen")
    page.click("#bijlagen-verstuur")
    page.wait_for_selector("#bijlagen[data-verstuurd]", state="attached")
    assert page.get_attribute("#bijlagen", "data-verstuurd") == "1"
    # The meldcode is not kept in the tab's storage by the bijlagen offer.
    stored = page.evaluate("JSON.stringify(sessionStorage)")
    assert "bijlagen" not in stored

    token = httpx.post(
        f"{live.base}/api/v1/loket/login", json={"naam": USER, "wachtwoord": PASSWORD}
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    inbox = httpx.get(f"{live.base}/api/v1/loket/meldingen", headers=auth).json()["meldingen"]
    found = None
    for melding in inbox:
        base = f"{live.base}/api/v1/loket/meldingen/{melding['id']}/bijlagen"
        for item in httpx.get(base, headers=auth).json()["bijlagen"]:
            if item["naam"] == naam:
                found = httpx.get(f"{base}/{item['id']}", headers=auth).content
    assert found is not None and found.startswith(b"\x89PNG")
    assert AUTHOR.encode() not in found and b"CANARY-PNG-OPMERKING" not in found


def test_a_broken_upload_resumes_or_is_thrown_away(page: Any, live: Live, tmp_path: Any) -> None:
    """A chunk lost once is sent again (the PUT is idempotent); an upload that keeps
    failing is discarded on the server, so the melding never lists half a file."""
    melding_id, meldcode = submit_melding(live)
    groot = tmp_path / "gesprek.txt"
    groot.write_bytes(b"Dit zei hij in het gesprek.\n" * 45_000)  # about 1.2 MB: 3 chunks
    kapot = tmp_path / "kapot.txt"
    kapot.write_bytes(b"Dit komt nooit aan.\n" * 10)
    lost: list[str] = []

    def lose_once(route: Any) -> None:
        if "/delen/1" in route.request.url and not lost:
            lost.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/api/v1/uploads/*/delen/*", lose_once)
    page.goto(live.base + "/volgen")
    page.wait_for_selector("#volgen-form[data-klaar=ja]", state="attached")
    page.fill("#meldcode", meldcode)
    page.click("#volgen-form button[type=submit]")
    page.wait_for_selector("#bijlage-invoer")
    te_groot = tmp_path / "opname.mp3"
    te_groot.write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" * (21 * 512 * 1024))
    page.set_input_files("#bijlage-invoer", str(te_groot))
    page.wait_for_selector("#bijlagen[data-klaar=ja]", state="attached")
    assert "te groot" in page.inner_text("#bijlagen-fout")  # refused before sealing
    assert page.locator("#bijlagen-voorbeeld li").count() == 0
    page.evaluate("document.getElementById('bijlagen').removeAttribute('data-klaar')")
    page.set_input_files("#bijlage-invoer", str(groot))
    page.wait_for_selector("#bijlagen[data-klaar=ja]", state="attached")
    page.click("#bijlagen-verstuur")
    page.wait_for_selector("#bijlagen[data-verstuurd='1']", state="attached")
    assert lost  # one chunk was really lost on the way

    deletes: list[str] = []
    page.on("request", lambda r: deletes.append(r.url) if r.method == "DELETE" else None)
    page.unroute("**/api/v1/uploads/*/delen/*")
    page.route("**/api/v1/uploads/*/delen/*", lambda route: route.abort())
    page.evaluate("document.getElementById('bijlagen').removeAttribute('data-verstuurd')")
    page.set_input_files("#bijlage-invoer", str(kapot))
    page.wait_for_selector("#bijlagen-voorbeeld li")
    page.click("#bijlagen-verstuur")
    page.wait_for_selector("#bijlagen[data-verstuurd='0']", state="attached")
    assert "weggegooid" in page.inner_text("#bijlagen-fout")
    page.wait_for_function("() => !document.querySelector('#bijlagen-verstuur').disabled")
    assert deletes  # the unfinished upload was discarded

    token = httpx.post(
        f"{live.base}/api/v1/loket/login", json={"naam": USER, "wachtwoord": PASSWORD}
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    base = f"{live.base}/api/v1/loket/meldingen/{melding_id}/bijlagen"
    (item,) = httpx.get(base, headers=auth).json()["bijlagen"]
    assert item["naam"] == "gesprek.txt"
    assert httpx.get(f"{base}/{item['id']}", headers=auth).content == groot.read_bytes()
    import sqlite3

    with sqlite3.connect(live.workdir / "meldwijzer.db") as db:
        open_uploads = db.execute(
            "SELECT count(*) FROM bijlagen WHERE melding_id = ? AND status = 'upload'",
            (melding_id,),
        ).fetchone()[0]
    assert open_uploads == 0
