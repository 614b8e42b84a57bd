"""meldwijzer-admin: database, loket keys and reading a loket's meldingen."""

from __future__ import annotations

import getpass
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Select, select

from backend.accounts.gebruikers import NoKeyUnlocked, create_user, reset_password
from backend.accounts.submitters import parse_submitters
from backend.cli_bewijs import bewijs_app
from backend.core.config import Settings
from backend.domain.audit import record
from backend.domain.audit import verify as verify_chain
from backend.domain.audit_anker import (
    AnchorKeyError,
    append_anchor,
    read_anchors,
    sign_head,
    verify_anchors,
)
from backend.domain.audit_anker import generate_key as generate_anchor_key
from backend.domain.audit_anker import load_key as load_anchor_key
from backend.domain.audit_anker import load_public as load_anchor_public
from backend.domain.casuistiek import (
    PeriodeOngeldig,
    afgesloten,
    as_csv,
    laatst_afgesloten,
    overzicht,
)
from backend.domain.retention import run_retention
from backend.keys.bewaarsleutels import configure as configure_kluis
from backend.keys.bewaarsleutels import destroy_old_keys, rekey
from backend.keys.loket_keys import LANDELIJK, NoDigitalLoket, generate_key, key_scope, unlock
from backend.keys.protection import Argon2Cost, WrongSecret, check_secret_strength
from backend.keys.retire import RetireError, retire_key
from backend.keys.rotation import NoActiveKey, rotate
from backend.routing.codes import EENHEDEN, LOKETTEN
from backend.routing.routeboekje import RouteboekjeError, default_routeboekje, load_routeboekje
from backend.routing.termijnregels import override_path
from backend.storage import db as dbmod
from backend.storage.clock import utcnow
from backend.storage.models import ROLLEN, Gebruiker, KeyGrant, LoketKey, Melding, Sessie
from envelope.request_signing import SigningKey
from envelope.sealing import SealError, open_sealed

app = typer.Typer(help="Meldwijzer administration.", no_args_is_help=True)
keys_app = typer.Typer(help="Loket key pairs.", no_args_is_help=True)
meldingen_app = typer.Typer(help="A loket's meldingen.", no_args_is_help=True)
users_app = typer.Typer(help="Loket users (behandelaar, coordinator).", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
retention_app = typer.Typer(help="Retention: crypto-shredding and deletion.", no_args_is_help=True)
stats_app = typer.Typer(help="Statistics (casuïstiekoverzicht).", no_args_is_help=True)
routeboekje_app = typer.Typer(help="The routeboekje data file.", no_args_is_help=True)
actieservers_app = typer.Typer(
    help="Signing keys of the action servers that may submit meldingen.", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")
app.add_typer(meldingen_app, name="meldingen")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(retention_app, name="retention")
app.add_typer(stats_app, name="stats")
app.add_typer(routeboekje_app, name="routeboekje")
app.add_typer(actieservers_app, name="actieservers")
app.add_typer(bewijs_app, name="bewijs")  # backend/cli_bewijs.py

PasswordFile = Annotated[
    Path | None,
    typer.Option(
        help="File holding the user's password (else $MELDWIJZER_USER_PASSWORD or a prompt)."
    ),
]
PassphraseFile = Annotated[
    Path | None,
    typer.Option(help="File holding the passphrase (else $MELDWIJZER_PASSPHRASE or a prompt)."),
]


def _database() -> dbmod.Database:
    settings = Settings.from_env()
    configure_kluis(settings.sleutelkluis)
    dbmod.upgrade(settings.database_url)
    return dbmod.Database(settings.database_url)


def _echo_rows(query: Select[Any], line: Callable[[Any], str]) -> None:
    """One line per row of the query (never secrets: callers print public fields)."""
    with _database().session() as session:
        for row in session.scalars(query):
            typer.echo(line(row))


def _key_line(k: LoketKey) -> str:
    return f"{k.loket:32} {k.eenheid:22} {k.kid} {'actief' if k.actief else 'oud'}"


def _user_line(u: Gebruiker) -> str:
    state = "actief" if u.actief else "geblokkeerd"
    return f"{u.naam:24} {u.loket:32} {u.eenheid:22} {u.rol:12} {state}"


def _passphrase(path: Path | None, confirm: bool = False) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8").strip()
    if os.environ.get("MELDWIJZER_PASSPHRASE"):
        return os.environ["MELDWIJZER_PASSPHRASE"]
    value: str = typer.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm)
    return value


def _password(path: Path | None) -> str:
    if path is not None:
        value = path.read_text(encoding="utf-8").strip()
    elif os.environ.get("MELDWIJZER_USER_PASSWORD"):
        value = os.environ["MELDWIJZER_USER_PASSWORD"]
    else:
        value = typer.prompt("Password of the user", hide_input=True, confirmation_prompt=True)
    try:
        check_secret_strength(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    return value


def _cost() -> Argon2Cost:
    settings = Settings.from_env()
    return Argon2Cost(
        settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
    )


def _scope(loket: str, eenheid: str) -> str:
    if loket not in LOKETTEN:
        raise typer.BadParameter(f"unknown loket '{loket}'")
    if eenheid not in (*EENHEDEN, LANDELIJK):
        raise typer.BadParameter(f"unknown eenheid '{eenheid}'")
    try:
        return key_scope(default_routeboekje(), loket, eenheid)
    except NoDigitalLoket as exc:
        raise typer.BadParameter(f"loket '{loket}' does not receive meldingen") from exc


@app.command("init-db")
def init_db() -> None:
    """Create or upgrade the database schema."""
    _database()
    typer.echo("database is up to date")


@keys_app.command("generate")
def keys_generate(loket: str, eenheid: str, passphrase_file: PassphraseFile = None) -> None:
    """Create a new key pair for LOKET in EENHEID (older keys stay for reading)."""
    scope = _scope(loket, eenheid)
    passphrase = _passphrase(passphrase_file, confirm=True)
    with _database().session() as session:
        row = generate_key(session, loket, scope, passphrase)
        typer.echo(f"{loket} {scope} kid={row.kid}")


@keys_app.command("list")
def keys_list() -> None:
    """List loket keys (public parts only)."""
    _echo_rows(select(LoketKey).order_by(LoketKey.loket, LoketKey.eenheid), _key_line)


@keys_app.command("demo")
def keys_demo(passphrase_file: Path) -> None:
    """Development only: keys for every digital loket under one generated passphrase."""
    if not passphrase_file.exists():
        passphrase_file.parent.mkdir(parents=True, exist_ok=True)
        passphrase_file.write_text(secrets.token_urlsafe(24) + "\n")
        passphrase_file.chmod(0o600)
    passphrase = _passphrase(passphrase_file)
    boek = default_routeboekje()
    created = 0
    with _database().session() as session:
        existing = {(k.loket, k.eenheid) for k in session.scalars(select(LoketKey))}
        for loket in LOKETTEN:
            for eenheid in EENHEDEN:
                try:
                    scope = key_scope(boek, loket, eenheid)
                except NoDigitalLoket:
                    break
                if (loket, scope) not in existing:
                    generate_key(session, loket, scope, passphrase)
                    existing.add((loket, scope))
                    created += 1
    typer.echo(f"demo keys ready ({created} new)")


@actieservers_app.command("sleutel")
def actieservers_sleutel(
    key_file: Annotated[Path, typer.Argument(help="Where the private key is written (new file).")],
    naam: Annotated[str, typer.Option(help="Name of this action server in the register.")] = (
        "actieserver"
    ),
) -> None:
    """Make an action server's signing key pair and print its MELDWIJZER_ACTIESERVERS entry.

    Copy KEY_FILE to the action-server host (MELDWIJZER_ACTIESERVER_SLEUTEL); add the
    printed entry to MELDWIJZER_ACTIESERVERS of every backend worker and restart them.
    """
    if key_file.exists():
        raise typer.BadParameter(f"{key_file} exists; a key is never overwritten")
    if not naam or "=" in naam or "," in naam:
        raise typer.BadParameter("a name without '=' or ','")
    key = SigningKey.generate()
    key.save(key_file)
    typer.echo(f"{naam}={key.public_text}")


@actieservers_app.command("list")
def actieservers_list() -> None:
    """The action servers this backend configuration accepts (name and key id)."""
    for submitter in parse_submitters(Settings.from_env().actieservers).values():
        typer.echo(f"{submitter.naam:24} kid={submitter.kid}")


@meldingen_app.command("list")
def meldingen_list(loket: str, eenheid: str) -> None:
    """List the envelopes (no content) of a loket's meldingen."""
    scope = _scope(loket, eenheid)
    with _database().session() as session:
        query = select(Melding).where(Melding.loket == loket).order_by(Melding.ontvangen_op)
        if scope != LANDELIJK:
            query = query.where(Melding.eenheid == scope)
        for m in session.scalars(query):
            voor = "-" if m.bevestigen_voor is None else f"{m.bevestigen_voor:%Y-%m-%d}"
            typer.echo(
                f"{m.id} {m.eenheid} {m.categorie} {m.status} "
                f"ontvangen={m.ontvangen_op:%Y-%m-%d} termijn={m.termijn_soort} "
                f"bevestigen_voor={voor}"
            )


@meldingen_app.command("open")
def meldingen_open(
    loket: str,
    eenheid: str,
    passphrase_file: PassphraseFile = None,
    melding_id: Annotated[str | None, typer.Option("--id")] = None,
) -> None:
    """Decrypt and print a loket's meldingen as JSON lines."""
    scope = _scope(loket, eenheid)
    passphrase = _passphrase(passphrase_file)
    with _database().session() as session:
        keys = {
            k.kid: k
            for k in session.scalars(
                select(LoketKey).where(LoketKey.loket == loket, LoketKey.eenheid == scope)
            )
        }
        unlocked: dict[str, bytes] = {}
        query = select(Melding).where(Melding.loket == loket)
        if scope != LANDELIJK:
            query = query.where(Melding.eenheid == scope)
        if melding_id:
            query = query.where(Melding.id == melding_id)
        opened: list[str] = []
        for m in session.scalars(query.order_by(Melding.ontvangen_op)):
            kid = next((r["kid"] for r in m.sealed["recipients"] if r["kid"] in keys), None)
            if kid is None:
                typer.echo(f"{m.id}: not sealed to a key of this loket", err=True)
                continue
            try:
                if kid not in unlocked:
                    unlocked[kid] = unlock(keys[kid], passphrase)
                content = json.loads(open_sealed(m.sealed, m.envelope(), unlocked[kid]))
            except WrongSecret as exc:
                raise typer.BadParameter("wrong passphrase") from exc
            except SealError as exc:
                typer.echo(f"{m.id}: cannot be opened ({exc})", err=True)
                continue
            # Every decryption at the console is in the audit log, like one in the portal.
            record(session, _console_actor(), "melding_geopend_console", m.id, kid=kid)
            opened.append(json.dumps(content, ensure_ascii=False))
    # Printed only once the audit entries are committed (no unaudited read).
    for line in opened:
        typer.echo(line)


def _console_actor() -> str:
    """'beheer:<account on this computer>' (who ran the command; no secret)."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "onbekend"
    return f"beheer:{who}"[:80]


@keys_app.command("rotate")
def keys_rotate(
    loket: str,
    eenheid: str,
    passphrase_file: PassphraseFile = None,
    new_passphrase_file: Annotated[
        Path | None, typer.Option(help="Protect the new key under another passphrase.")
    ] = None,
    rewrap: Annotated[
        bool, typer.Option("--rewrap", help="Also re-wrap existing meldingen for the new key.")
    ] = False,
) -> None:
    """New key pair for LOKET in EENHEID, granted to its users (needs the current passphrase)."""
    scope = _scope(loket, eenheid)
    passphrase = _passphrase(passphrase_file)
    new_passphrase = _passphrase(new_passphrase_file) if new_passphrase_file else None
    with _database().session() as session:
        try:
            report = rotate(session, loket, scope, passphrase, new_passphrase, rewrap)
        except WrongSecret as exc:
            raise typer.BadParameter("wrong passphrase for the active key") from exc
        except NoActiveKey as exc:
            raise typer.BadParameter(str(exc)) from exc
        record(session, "beheer", "sleutel_geroteerd", oud=report.old_kid, nieuw=report.new_kid)
    typer.echo(
        f"{loket} {scope}: new kid={report.new_kid} (old {report.old_kid}), "
        f"granted to {report.users} user(s), re-wrapped {report.rewrapped} melding(en)"
    )


@keys_app.command("retire")
def keys_retire(
    loket: str,
    eenheid: str,
    kid: str,
    passphrase_file: PassphraseFile = None,
) -> None:
    """Destroy an old (rotated) key KID: re-wrap what still needs it for the active key,
    remove its wraps, grants and the key itself (needs the old key's passphrase)."""
    scope = _scope(loket, eenheid)
    passphrase = _passphrase(passphrase_file)
    with _database().session() as session:
        try:
            report = retire_key(session, loket, scope, kid, passphrase)
        except WrongSecret as exc:
            raise typer.BadParameter("wrong passphrase for the key to retire") from exc
        except RetireError as exc:
            raise typer.BadParameter(str(exc)) from exc
        record(
            session,
            _console_actor(),
            "sleutel_vernietigd",
            kid=report.kid,
            actief=report.active_kid,
            herverpakt=report.rewrapped,
            verwijderd=report.stripped,
        )
    typer.echo(
        f"{loket} {scope}: key {report.kid} destroyed; {report.rewrapped} part(s) re-wrapped "
        f"for {report.active_kid}, old wrap removed from {report.stripped}, "
        f"{report.grants} grant(s) and {report.sessions} session(s) ended"
    )


@users_app.command("create")
def users_create(
    loket: str,
    eenheid: str,
    naam: str,
    rol: Annotated[str, typer.Option(help="behandelaar or coordinator")] = "behandelaar",
    passphrase_file: PassphraseFile = None,
    password_file: PasswordFile = None,
) -> None:
    """Create user NAAM of LOKET in EENHEID; the loket passphrase grants them the loket keys."""
    scope = _scope(loket, eenheid)
    if rol not in ROLLEN:
        raise typer.BadParameter(f"unknown role '{rol}' (use {', '.join(ROLLEN)})")
    passphrase = _passphrase(passphrase_file)
    password = _password(password_file)
    with _database().session() as session:
        if session.scalars(select(Gebruiker).where(Gebruiker.naam == naam)).first():
            raise typer.BadParameter(f"user '{naam}' already exists")
        try:
            user = create_user(session, naam, loket, scope, rol, password, passphrase, _cost())
        except NoKeyUnlocked as exc:
            raise typer.BadParameter(str(exc)) from exc
        record(session, "beheer", "gebruiker_aangemaakt", gebruiker=user.id, rol=rol)
    typer.echo(f"user {naam} ({rol}) of {loket} {scope} created")


@users_app.command("reset-password")
def users_reset_password(
    naam: str, passphrase_file: PassphraseFile = None, password_file: PasswordFile = None
) -> None:
    """Recovery for a forgotten password: new user key, loket keys granted again."""
    passphrase = _passphrase(passphrase_file)
    password = _password(password_file)
    with _database().session() as session:
        user = session.scalars(select(Gebruiker).where(Gebruiker.naam == naam)).first()
        if user is None:
            raise typer.BadParameter(f"unknown user '{naam}'")
        try:
            granted = reset_password(session, user, password, passphrase, _cost())
        except NoKeyUnlocked as exc:
            raise typer.BadParameter(str(exc)) from exc
        record(session, "beheer", "wachtwoord_hersteld", gebruiker=user.id)
    typer.echo(f"user {naam}: new password set, {granted} loket key(s) granted again")


@users_app.command("deactivate")
def users_deactivate(naam: str) -> None:
    """Block a user: no login, sessions end, key grants removed."""
    with _database().session() as session:
        user = session.scalars(select(Gebruiker).where(Gebruiker.naam == naam)).first()
        if user is None:
            raise typer.BadParameter(f"unknown user '{naam}'")
        user.actief = False
        for model in (Sessie, KeyGrant):
            for row in session.scalars(select(model).where(model.gebruiker_id == user.id)):
                session.delete(row)
        record(session, "beheer", "gebruiker_geblokkeerd", gebruiker=user.id)
    typer.echo(f"user {naam} deactivated")


@users_app.command("list")
def users_list() -> None:
    """List users (no secrets)."""
    _echo_rows(select(Gebruiker).order_by(Gebruiker.loket, Gebruiker.naam), _user_line)


AnchorFile = Annotated[
    Path | None,
    typer.Option(
        "--ankers",
        help="Anchor file outside the database (else $MELDWIJZER_AUDIT_ANKERS).",
    ),
]
AnchorKey = Annotated[
    Path | None,
    typer.Option(
        "--sleutel",
        help="Anchor signing key file (else $MELDWIJZER_AUDIT_ANKER_SLEUTEL).",
    ),
]


def _env_path(given: Path | None, variable: str) -> Path | None:
    if given is not None:
        return given
    value = os.environ.get(variable)
    return Path(value) if value else None


@audit_app.command("anchor-key")
def audit_anchor_key(path: Path) -> None:
    """Create the anchor signing key PATH (keep it outside the database and its backups)."""
    try:
        public = generate_anchor_key(path)
    except FileExistsError as exc:
        raise typer.BadParameter(f"{path} exists; a key is never overwritten") from exc
    typer.echo(f"anchor key written to {path}; public key {public}")


@audit_app.command("checkpoint")
def audit_checkpoint(ankers: AnchorFile = None, sleutel: AnchorKey = None) -> None:
    """Sign the head of the chain and append it to the anchor file (run it periodically)."""
    anchor_file = _env_path(ankers, "MELDWIJZER_AUDIT_ANKERS")
    key_file = _env_path(sleutel, "MELDWIJZER_AUDIT_ANKER_SLEUTEL")
    if anchor_file is None or key_file is None:
        raise typer.BadParameter("name the anchor file and the anchor key")
    try:
        key = load_anchor_key(key_file)
    except AnchorKeyError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with _database().session() as session:
        report = verify_chain(session)
        if not report.ok:
            typer.echo(f"audit chain BROKEN at row {report.broken_at}: no checkpoint written")
            raise typer.Exit(1)
        regel = record(session, "systeem", "audit_anker", vorige=report.rows)
        anchor = sign_head(regel, key)
    # Appended only after the checkpoint row is committed.
    append_anchor(anchor_file, anchor)
    typer.echo(f"checkpoint row {anchor['volgnummer']} head {anchor['hash']}")


@audit_app.command("verify")
def audit_verify(
    ankers: AnchorFile = None,
    sleutel: AnchorKey = None,
    publieke_sleutel: Annotated[
        str | None, typer.Option(help="Check the anchors with this public key instead.")
    ] = None,
) -> None:
    """Check the hash chain and the anchors; report the first problem (exit code 1)."""
    anchor_file = _env_path(ankers, "MELDWIJZER_AUDIT_ANKERS")
    key_file = _env_path(sleutel, "MELDWIJZER_AUDIT_ANKER_SLEUTEL")
    public = None
    try:
        if publieke_sleutel:
            public = load_anchor_public(publieke_sleutel)
        elif key_file is not None and key_file.exists():
            public = load_anchor_key(key_file).public_key()
    except AnchorKeyError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with _database().session() as session:
        report = verify_chain(session)
        anchored = None
        if report.ok and anchor_file is not None and public is not None:
            anchored = verify_anchors(session, read_anchors(anchor_file), public)
    if not report.ok:
        typer.echo(
            f"audit chain BROKEN at row {report.broken_at}: {report.reason} "
            f"({report.rows} rows verified before it)"
        )
        raise typer.Exit(1)
    if anchored is not None and not anchored.ok:
        typer.echo(f"audit chain does NOT match its anchors: {anchored.problem}")
        raise typer.Exit(1)
    typer.echo(f"audit chain intact: {report.rows} rows, head {report.head}")
    if anchored is None:
        typer.echo("no anchors checked: rows cut off at the end would not show (see --ankers)")
    else:
        typer.echo(f"{anchored.anchors} anchor(s) match, the newest at row {anchored.last}")


@retention_app.command("run")
def retention_run(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only report.")] = False,
) -> None:
    """Delete meldingen past their loket's retention period, move every sealed part to
    this month's storage key and destroy old storage keys (run it daily)."""
    settings = Settings.from_env()
    database = _database()
    with database.session() as session:
        report = run_retention(session, settings, utcnow(), dry_run=dry_run)
        moved = 0 if dry_run else rekey(session)
    for line in report.lines():
        typer.echo(line)
    if dry_run:
        return
    # Only after the re-keyed rows are committed: no key dies while a row still needs it.
    with database.session() as session:
        destroyed = destroy_old_keys(session)
        if destroyed:
            record(session, "systeem", "bewaarsleutels_vernietigd", sleutels=",".join(destroyed))
    typer.echo(f"moved {moved} sealed part(s) to this month's storage key")
    typer.echo(f"destroyed storage key(s): {', '.join(destroyed) or 'none'}")


@stats_app.command("export")
def stats_export(
    eenheid: Annotated[
        str | None, typer.Option(help="This eenheid's table (default: national).")
    ] = None,
    periode: Annotated[
        str | None, typer.Option(help="A closed quarter, e.g. 2026-K3 (default: the last).")
    ] = None,
    formaat: Annotated[str, typer.Option(help="csv or json")] = "csv",
) -> None:
    """Print the published casuïstiekoverzicht of a closed quarter (same tables as the portal)."""
    if eenheid is not None and eenheid not in EENHEDEN:
        raise typer.BadParameter(f"unknown eenheid '{eenheid}'")
    now = utcnow()
    periode = periode or laatst_afgesloten(now)
    try:
        afgerond = afgesloten(periode, now)
    except PeriodeOngeldig as exc:
        raise typer.BadParameter(f"not a quarter like 2026-K3: '{periode}'") from exc
    if not afgerond:
        raise typer.BadParameter(f"{periode} is not over yet")
    with _database().session() as session:
        stat = overzicht(session, periode, eenheid or LANDELIJK, now)
        record(session, _console_actor(), "statistiek_bekeken", formaat=formaat, periode=periode)
    typer.echo(as_csv(stat) if formaat == "csv" else stat.model_dump_json(indent=2), nl=False)


@routeboekje_app.command("check")
def routeboekje_check(path: Annotated[Path | None, typer.Argument()] = None) -> None:
    """Load and validate the routeboekje YAML (default: the bundled one) and the clock
    per loket (backend/data/termijnen.yaml + MELDWIJZER_TERMIJNEN)."""
    try:
        boek = load_routeboekje(path, termijnen_override=override_path(os.environ))
    except RouteboekjeError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"routeboekje versie {boek.versie}: {len(boek.loketten)} lokets, valid")
    soorten = ", ".join(f"{code}={regel.soort}" for code, regel in sorted(boek.termijnen.items()))
    typer.echo(f"termijnen: {soorten}")


if __name__ == "__main__":
    app()
