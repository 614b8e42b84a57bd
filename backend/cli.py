"""meldwijzer-admin: database, loket keys and reading a loket's meldingen."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from backend import db as dbmod
from backend.codes import EENHEDEN, LOKETTEN
from backend.config import Settings
from backend.keyprotect import WrongPassphrase
from backend.keystore import LANDELIJK, NoDigitalLoket, generate_key, key_scope, unlock
from backend.models import LoketKey, Melding
from backend.routeboekje import default_routeboekje
from envelope.sealing import SealError, open_sealed

app = typer.Typer(help="Meldwijzer administration.", no_args_is_help=True)
keys_app = typer.Typer(help="Loket key pairs.", no_args_is_help=True)
meldingen_app = typer.Typer(help="A loket's meldingen.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(meldingen_app, name="meldingen")

PassphraseFile = Annotated[
    Path | None,
    typer.Option(help="File holding the passphrase (else $MELDWIJZER_PASSPHRASE or a prompt)."),
]


def _database() -> dbmod.Database:
    settings = Settings.from_env()
    dbmod.upgrade(settings.database_url)
    return dbmod.Database(settings.database_url)


def _passphrase(path: Path | None, confirm: bool = False) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8").strip()
    if os.environ.get("MELDWIJZER_PASSPHRASE"):
        return os.environ["MELDWIJZER_PASSPHRASE"]
    value: str = typer.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm)
    return value


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
    with _database().session() as session:
        for row in session.scalars(select(LoketKey).order_by(LoketKey.loket, LoketKey.eenheid)):
            state = "actief" if row.actief else "oud"
            typer.echo(f"{row.loket:32} {row.eenheid:22} {row.kid} {state}")


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


@meldingen_app.command("list")
def meldingen_list(loket: str, eenheid: str) -> None:
    """List the envelopes (no content) of a loket's meldingen."""
    scope = _scope(loket, eenheid)
    with _database().session() as session:
        query = select(Melding).where(Melding.loket == loket).order_by(Melding.ontvangen_op)
        if scope != LANDELIJK:
            query = query.where(Melding.eenheid == scope)
        for m in session.scalars(query):
            typer.echo(
                f"{m.id} {m.eenheid} {m.categorie} {m.status} "
                f"ontvangen={m.ontvangen_op:%Y-%m-%d} bevestigen_voor={m.bevestigen_voor:%Y-%m-%d}"
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
        for m in session.scalars(query.order_by(Melding.ontvangen_op)):
            kid = next((r["kid"] for r in m.sealed["recipients"] if r["kid"] in keys), None)
            if kid is None:
                typer.echo(f"{m.id}: not sealed to a key of this loket", err=True)
                continue
            try:
                if kid not in unlocked:
                    unlocked[kid] = unlock(keys[kid], passphrase)
                content = json.loads(open_sealed(m.sealed, m.envelope(), unlocked[kid]))
            except WrongPassphrase as exc:
                raise typer.BadParameter("wrong passphrase") from exc
            except SealError as exc:
                typer.echo(f"{m.id}: cannot be opened ({exc})", err=True)
                continue
            typer.echo(json.dumps(content, ensure_ascii=False))


if __name__ == "__main__":
    app()
