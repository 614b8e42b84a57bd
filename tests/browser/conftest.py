"""Browser tests: Debian's Chromium driven by Playwright against the real system.

Starts Rasa (trained model), the action server and the backend with the pages
(backend.asgi:app, pages included) on free ports, creates a loket key and a loket user,
and gives each test a fresh browser context (fresh sessionStorage). Every
request to a host other than this machine is blocked and fails the test.

Set-up: scripts/browser_setup.sh (Chromium via apt, npm ci, bundle).
Screenshots go to test-artifacts/screenshots/; with MELDWIJZER_DOCS_SCREENSHOTS=1
they are also copied to docs/screenshots/.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from scripts.services import ROOT, Ports, System, SystemConfig, free_port

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("MELDWIJZER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
PASSPHRASE = "browser-test-wachtzin-voor-het-loket"
USER = "vp.rotterdam.test"
PASSWORD = "een lang test-wachtwoord voor de browser 42"
FRAME_ORIGIN = "https://intranet.voorbeeld.invalid"


PagesSystem = System  # backend.asgi includes the pages


@dataclass
class Live:
    system: System
    config: SystemConfig
    workdir: Path
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://localhost:{self.config.ports.backend}"

    def admin(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.system.admin(*args)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing: run scripts/browser_setup.sh (apt-get install chromium)")
    if not AXE.exists():
        pytest.skip("web/node_modules missing: run scripts/browser_setup.sh (npm ci)")
    from scripts.train_model import model_for_tests

    workdir = tmp_path_factory.mktemp("browser-system")
    model = model_for_tests()
    config = SystemConfig(
        model=model,
        database_url=f"sqlite:///{workdir / 'meldwijzer.db'}",
        log_dir=workdir / "logs",
        ports=Ports(rasa=free_port(), actions=free_port(), backend=free_port()),
        extra_env={
            "MELDWIJZER_CHAT_FRAME_ANCESTORS": FRAME_ORIGIN,
            "MELDWIJZER_HERINNERING_INTERVAL": "0",
            "MELDWIJZER_ARGON2_TIME_COST": "1",
            "MELDWIJZER_ARGON2_MEMORY_KIB": "8192",
        },
    )
    system = PagesSystem(config)
    live = Live(system, config, workdir)
    reuse = os.environ.get("MELDWIJZER_BROWSER_REUSE")  # "rasa,actions,backend" (development)
    if reuse:
        rasa, actions, backend = (int(p) for p in reuse.split(","))
        config.ports = Ports(rasa=rasa, actions=actions, backend=backend)
        yield live
        return
    passphrase = workdir / "passphrase.txt"
    passphrase.write_text(PASSPHRASE)
    password = workdir / "password.txt"
    password.write_text(PASSWORD)
    for args in (
        (
            "keys", "generate", "vertrouwenspersoon", "rotterdam",
            "--passphrase-file", str(passphrase),
        ),
        (
            "users", "create", "vertrouwenspersoon", "rotterdam", USER, "--rol", "coordinator",
            "--passphrase-file", str(passphrase), "--password-file", str(password),
        ),
    ):  # fmt: skip
        result = live.admin(*args)
        assert result.returncode == 0, result.stderr
    try:
        system.start()
        yield live
    finally:
        system.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Watch:
    foreign: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Any, live: Live, watch: Watch) -> Iterator[Any]:
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 1000, "height": 900}, service_workers="block"
    )
    context.set_default_timeout(30_000)

    def guard(route: Any) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in (
            "localhost",
            "127.0.0.1",
        ):
            route.continue_()
        else:
            watch.foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.on(
        "console",
        lambda msg: (
            watch.csp.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    pg.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    yield pg
    context.close()
    assert not watch.foreign, f"requests to third parties: {watch.foreign}"
    assert not watch.csp, f"CSP violations: {watch.csp}"
    assert not watch.errors, f"JavaScript errors: {watch.errors}"


def axe_check(page: Any, name: str) -> None:
    """axe-core in the page (evaluated over the DevTools protocol, so CSP stays strict)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {
              runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
              resultTypes: ['violations'],
            });
            return r.violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
            }));
        }"""
    )
    report = ROOT / "test-artifacts" / "axe"
    report.mkdir(parents=True, exist_ok=True)
    (report / f"{name}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe on {name}: {json.dumps(serious, indent=2)}"


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("MELDWIJZER_DOCS_SCREENSHOTS") == "1":
        # docs/ gets what a person sees first (the viewport), to keep the repository small.
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_SCREENSHOTS / path.name), full_page=False)
    return path
