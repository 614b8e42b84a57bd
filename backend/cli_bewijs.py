"""``meldwijzer-admin bewijs``: check an ontvangstbewijs, list and rotate the bewijssleutel.

``controleer`` exits 0 when the receipt is valid and 1 when it is not, and says why in
Dutch and English. It reads only public keys and the audit log: it learns no content.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backend.core.config import Settings
from backend.domain.ontvangstbewijs import check, matches_sealed, parse
from backend.keys.bewaarsleutels import configure as configure_kluis
from backend.keys.bewijssleutel import aangemaakt, new_key, public_keys
from backend.pages.bewijs import uitslag_nl
from backend.storage import db as dbmod

bewijs_app = typer.Typer(help="Ontvangstbewijzen (signed receipts).", no_args_is_help=True)


def _database() -> dbmod.Database:
    settings = Settings.from_env()
    configure_kluis(settings.sleutelkluis)
    dbmod.upgrade(settings.database_url)
    return dbmod.Database(settings.database_url)


@bewijs_app.command("controleer")
def controleer(
    bestand: Annotated[Path, typer.Argument(help="The receipt (JSON file) to check.")],
    verzegeld: Annotated[
        Path | None,
        typer.Option(
            help="Also check that this sealed part (JSON of `sealed`) is the receipted one."
        ),
    ] = None,
) -> None:
    """Is this receipt signed by this installation and unchanged? Exit 0 valid, 1 not."""
    try:
        bewijs = parse(bestand.read_bytes())
    except OSError as exc:
        typer.echo(f"ONGELDIG: het bestand is niet te lezen. / INVALID: cannot read {bestand}.")
        raise typer.Exit(1) from exc
    except ValueError as exc:
        typer.echo("ONGELDIG: dit is geen JSON-bestand. / INVALID: the file is not JSON.")
        raise typer.Exit(1) from exc
    database = _database()
    with database.session() as session:
        uitslag = check(session, bewijs)
    database.engine.dispose()
    reden = uitslag_nl(uitslag.code)
    if not uitslag.geldig:
        typer.echo(f"ONGELDIG: {reden}\nINVALID: {uitslag.reason_en}")
        raise typer.Exit(1)
    typer.echo(f"GELDIG: {reden}\nVALID: {uitslag.reason_en}")
    for name in ("melding_id", "loket", "eenheid", "ontvangen_op", "inhoud_sha256", "sleutel_id"):
        typer.echo(f"  {name}: {uitslag.velden[name]}")
    audit = uitslag.velden["audit"]
    if uitslag.keten:
        typer.echo(
            f"  audit: regel {audit['volgnummer']} staat in de auditketen "
            f"/ entry {audit['volgnummer']} is in the audit chain"
        )
    else:
        typer.echo(
            f"  audit: regel {audit['volgnummer']} NIET gevonden zoals op het bewijs "
            f"/ entry {audit['volgnummer']} NOT found as on the receipt"
        )
    if verzegeld is not None:
        try:
            sealed = parse(verzegeld.read_bytes())
        except (OSError, ValueError) as exc:
            typer.echo("ONGELDIG: het verzegelde bestand is niet te lezen. / INVALID: sealed file.")
            raise typer.Exit(1) from exc
        if not isinstance(sealed, dict) or not matches_sealed(bewijs, sealed):
            typer.echo(
                "ONGELDIG: dit verzegelde bestand hoort niet bij dit bewijs.\n"
                "INVALID: this sealed file is not the one the receipt covers."
            )
            raise typer.Exit(1)
        typer.echo("  verzegeld: past bij het bewijs / sealed file matches the receipt")


@bewijs_app.command("sleutels")
def sleutels() -> None:
    """Every bewijssleutel (public key), active and retired."""
    database = _database()
    with database.session() as session:
        for row in sorted(public_keys(session).values(), key=aangemaakt):
            state = "actief" if row.actief else "buiten gebruik"
            typer.echo(f"{row.kid} {row.public_key} {state} {aangemaakt(row).isoformat()}")
    database.engine.dispose()


@bewijs_app.command("roteer")
def roteer() -> None:
    """A new signing key; the old public key stays, its private key is removed."""
    database = _database()
    with database.session() as session:
        row = new_key(session)
        typer.echo(f"new bewijssleutel kid={row.kid} public_key={row.public_key}")
    database.engine.dispose()
