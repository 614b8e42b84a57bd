"""The loket API: login, inbox, reading in session, workflow, messages, notes,
forwarding, the clock per route and statistics. Every request needs a bearer token.

Who may do what is decided by the dependencies in ``backend/api/deps.py``: a
logged-in user (``LoginDep``), a melding this user may see (``VisibleMelding``:
own loket and eenheid, national lokets all eenheden; outside that scope 404,
exactly like a melding that does not exist) and coordinators (``CoordinatorDep``).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy import select

from backend.accounts.client_identity import client_identity
from backend.accounts.sessions import LoginFailed, login, logout
from backend.api.deps import (
    CoordinatorDep,
    DatabaseDep,
    LoginDep,
    LoginLimiterDep,
    RouteboekjeDep,
    SessionDep,
    SettingsDep,
    VisibleMelding,
    in_scope,
    session_keys,
)
from backend.api.errors import ApiError
from backend.api.schemas.checkin import LoketCheckin
from backend.api.schemas.loket import (
    BerichtOut,
    DoorsturenIn,
    GebruikerOut,
    InboxOut,
    LoginIn,
    LoginOut,
    LoketBericht,
    MeldingDetail,
    MeldingSamenvatting,
    StatistiekOut,
    StatusIn,
    TekstIn,
    TermijnenOut,
    TermijnOut,
)
from backend.domain.audit import record
from backend.domain.berichten import add_text, berichten_of, open_text
from backend.domain.casuistiek import afgesloten, as_csv, laatst_afgesloten, overzicht
from backend.domain.checkins import loket_checkins, signalen_per_melding
from backend.domain.checkins import signalen_of as checkin_signalen
from backend.domain.doorsturen import forward
from backend.domain.termijnen import TERMIJN_LABEL, Termijn, due, open_deadlines
from backend.domain.workflow import change_status
from backend.keys.protection import Argon2Cost
from backend.keys.rewrap import open_with_any
from backend.storage.clock import as_utc, utcnow
from backend.storage.models import EINDSTATUSSEN, STATUSSEN, Gebruiker, Melding
from envelope.sealing import SealError

MISSING_KEY = ApiError(
    409,
    "sleutel_ontbreekt",
    "Je sessie heeft de sleutel voor deze melding niet. Log opnieuw in.",
    "Your session lacks the key for this melding. Log in again.",
)
_AUTH: dict[int | str, dict[str, Any]] = {401: {"description": "Not logged in"}}
_CASE: dict[int | str, dict[str, Any]] = {
    **_AUTH,
    404: {"description": "Unknown melding or not of your loket"},
}
_LOGIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Wrong name or password"},
    429: {"description": "Too many failures"},
}
_COORDINATORS: dict[int | str, dict[str, Any]] = {403: {"description": "Coordinators only"}}
_FORWARD_ERRORS = {**_CASE, **_COORDINATORS, 409: {"description": "No consent"}}
_STATISTICS: dict[int | str, dict[str, Any]] = {
    **_AUTH,
    **_COORDINATORS,
    200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with formaat=csv"},
    409: {"description": "The quarter is not over yet"},
}

PERIODE_OPEN = ApiError(
    409,
    "periode_niet_afgesloten",
    "Dit kwartaal is nog niet voorbij. Cijfers komen er pas na afloop van een kwartaal.",
    "This quarter is not over yet. Statistics exist only for closed quarters.",
)

router = APIRouter(prefix="/api/v1/loket", tags=["loket"])


def actor(gebruiker: Gebruiker) -> str:
    return f"gebruiker:{gebruiker.id}:{gebruiker.naam}"[:80]


def samenvatting(m: Melding, signalen: list[int] | None = None) -> MeldingSamenvatting:
    """One row of the inbox; ``signalen`` when the caller fetched them for many rows."""
    now = utcnow()
    return MeldingSamenvatting(
        **m.columns(
            "id loket eenheid categorie status ontvangen_op termijn_soort bevestigen_voor "
            "terugkoppeling_voor "
            "bevestigd_op teruggekoppeld_op afgerond_op ingetrokken_op doorverwezen_van "
            "vastgelegd_op"
        ),
        termijn_label=TERMIJN_LABEL.get(m.termijn_soort, m.termijn_soort),
        toestemming_doorsturen=bool(m.toestemming_doorsturen),
        heeft_identiteit=m.sealed_identiteit is not None,
        te_laat=[soort for soort, uiterlijk in open_deadlines(m) if uiterlijk < now],
        checkin_signalen=checkin_signalen(m) if signalen is None else signalen,
    )


@router.post(
    "/login",
    summary="Log in as a loket user; unlocks the user's loket keys for this session",
    responses=_LOGIN_ERRORS,
)
def do_login(
    request: Request,
    body: LoginIn,
    database: DatabaseDep,
    settings: SettingsDep,
    limiter: LoginLimiterDep,
) -> LoginOut:
    client = limiter.client_key("naam:" + body.naam)
    peer = limiter.client_key(client_identity(request))
    for key in (client, peer):
        wait = limiter.retry_after(key)
        if wait is not None:
            raise ApiError(
                429,
                "te_veel_pogingen",
                "Te veel mislukte pogingen om in te loggen. Wacht even.",
                "Too many failed logins. Wait a while.",
                headers={"Retry-After": str(wait)},
            )
    cost = Argon2Cost(
        settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
    )
    lifetime = timedelta(minutes=settings.sessie_minuten)
    # Two transactions on purpose: a failed login is audited even though it answers 401.
    with database.session() as session:
        try:
            logged_in = login(
                session,
                body.naam,
                body.wachtwoord,
                cost,
                lifetime,
                idle=timedelta(minutes=settings.sessie_inactief_minuten),
            )
        except LoginFailed:
            pass
        else:
            g = logged_in.gebruiker
            record(session, actor(g), "inloggen")
            return LoginOut(
                token=logged_in.token,
                verloopt_op=logged_in.verloopt_op,
                gebruiker=GebruikerOut.model_validate(
                    {"naam": g.naam, "loket": g.loket, "eenheid": g.eenheid, "rol": g.rol}
                ),
            )
    limiter.failure(client)
    limiter.failure(peer)
    with database.session() as session:
        record(session, "onbekend", "inloggen_mislukt")
    raise ApiError(
        401,
        "inloggen_mislukt",
        "Naam of wachtwoord klopt niet.",
        "Wrong name or password.",
    )


@router.post("/logout", status_code=204, summary="End the session", responses=_AUTH)
def do_logout(session: SessionDep, active: LoginDep) -> Response:
    record(session, actor(active.gebruiker), "uitloggen")
    logout(session, active)
    return Response(status_code=204)


@router.get(
    "/meldingen", response_model=InboxOut, summary="The inbox, with filters", responses=_AUTH
)
def inbox(
    session: SessionDep,
    active: LoginDep,
    status: Annotated[Literal[STATUSSEN] | None, Query()] = None,  # type: ignore[valid-type]
    categorie: Annotated[str | None, Query(max_length=40)] = None,
    termijn: Annotated[
        Literal["te_laat", "binnenkort"] | None,
        Query(description="Only meldingen with an overdue or soon-due deadline"),
    ] = None,
    binnen_dagen: Annotated[int, Query(ge=1, le=92)] = 7,
    alleen_open: Annotated[bool, Query(description="Hide afgerond and ingetrokken")] = False,
) -> InboxOut:
    query = in_scope(select(Melding), active.gebruiker)
    if status is not None:
        query = query.where(Melding.status == status)
    if categorie is not None:
        query = query.where(Melding.categorie == categorie)
    if alleen_open:
        query = query.where(Melding.status.not_in(EINDSTATUSSEN))
    rows = list(session.scalars(query.order_by(Melding.ontvangen_op.desc())))
    if termijn is not None:
        overdue, soon = due(rows, utcnow(), timedelta(days=binnen_dagen))
        wanted = {t.melding_id for t in (overdue if termijn == "te_laat" else soon)}
        rows = [m for m in rows if m.id in wanted]
    record(session, actor(active.gebruiker), "inbox_bekeken", aantal=len(rows))
    signalen = signalen_per_melding(session, [m.id for m in rows])
    return InboxOut(
        aantal=len(rows), meldingen=[samenvatting(m, signalen.get(m.id, [])) for m in rows]
    )


@router.get(
    "/meldingen/{melding_id}",
    summary="Read one melding, decrypted in this session (content, identity, messages, notes)",
    responses={**_CASE, 409: {"description": "The session lacks the key"}},
)
def detail(session: SessionDep, active: LoginDep, m: VisibleMelding) -> MeldingDetail:
    keys = session_keys(active)
    try:
        inhoud = json.loads(open_with_any(m.sealed, m.envelope(), keys))
    except SealError as exc:
        raise MISSING_KEY from exc
    identiteit = None
    if m.sealed_identiteit is not None:
        try:
            identiteit = json.loads(
                open_with_any(m.sealed_identiteit, m.part_header("identiteit"), keys)
            )
        except (SealError, ValueError):
            identiteit = None
    namen = {g.id: g.naam for g in session.scalars(select(Gebruiker))}
    berichten: list[LoketBericht] = []
    for b in berichten_of(session, m, include_notes=True):
        tekst = None
        for entry in b.sealed.get("recipients", []):
            if entry.get("kid") in keys:
                try:
                    tekst = open_text(m, b, keys[entry["kid"]])
                except SealError:
                    continue
                break
        if tekst is None:
            continue  # e.g. notes of the loket that forwarded the melding
        berichten.append(
            LoketBericht(
                id=b.id,
                van=b.van,  # type: ignore[arg-type]
                soort=b.soort,  # type: ignore[arg-type]
                verzonden_op=as_utc(b.verzonden_op),
                door=namen.get(b.gebruiker_id) if b.gebruiker_id is not None else None,
                tekst=tekst,
            )
        )
    record(
        session, actor(active.gebruiker), "melding_gelezen", m.id, identiteit=identiteit is not None
    )
    return MeldingDetail(
        **samenvatting(m).model_dump(),
        inhoud=inhoud,
        identiteit=identiteit,
        berichten=berichten,
        checkins=[LoketCheckin.model_validate(c) for c in loket_checkins(session, m, keys)],
    )


@router.post(
    "/meldingen/{melding_id}/status",
    summary="Change the status (allowed transitions only)",
    responses={**_CASE, 409: {"description": "Transition not allowed"}},
)
def set_status(
    session: SessionDep, active: LoginDep, m: VisibleMelding, body: StatusIn
) -> MeldingSamenvatting:
    old = change_status(m, body.status, utcnow())
    record(session, actor(active.gebruiker), "status_gewijzigd", m.id, van=old, naar=m.status)
    return samenvatting(m)


def _text_route(soort: Literal["bericht", "notitie"]) -> Any:
    def handler(
        session: SessionDep,
        boek: RouteboekjeDep,
        active: LoginDep,
        m: VisibleMelding,
        body: TekstIn,
    ) -> BerichtOut:
        if soort == "bericht" and m.status == "ingetrokken":
            raise ApiError(
                409,
                "melding_ingetrokken",
                "De melder heeft deze melding ingetrokken. Je kunt geen bericht meer sturen.",
                "The melder withdrew this melding; no more messages can be sent.",
            )
        now = utcnow()
        b = add_text(session, boek, m, body.tekst, "loket", soort, now, active.gebruiker.id)
        if soort == "bericht" and m.teruggekoppeld_op is None and m.bevestigd_op is not None:
            m.teruggekoppeld_op = now
        actie = "bericht_verstuurd" if soort == "bericht" else "notitie_toegevoegd"
        record(session, actor(active.gebruiker), actie, m.id, bericht_id=b.id)
        return BerichtOut(id=b.id, melding_id=m.id, soort=soort, verzonden_op=now)

    return handler


for _soort, _path, _summary in (
    ("bericht", "berichten", "Send a message to the melder (sealed to the melder and the loket)"),
    ("notitie", "notities", "Add an internal note (sealed to the loket only)"),
):
    router.add_api_route(
        f"/meldingen/{{melding_id}}/{_path}",
        _text_route(_soort),  # type: ignore[arg-type]
        methods=["POST"],
        status_code=201,
        response_model=BerichtOut,
        summary=_summary,
        responses=_CASE,
    )


@router.post(
    "/meldingen/{melding_id}/doorsturen",
    summary="Forward to another loket (coordinator; only with the melder's consent)",
    responses=_FORWARD_ERRORS,
)
def doorsturen(
    session: SessionDep,
    boek: RouteboekjeDep,
    m: VisibleMelding,
    active: CoordinatorDep,
    body: DoorsturenIn,
) -> MeldingSamenvatting:
    keys = session_keys(active)
    old = forward(session, boek, m, body.loket, keys, body.identiteit_meesturen, utcnow())
    record(
        session,
        actor(active.gebruiker),
        "doorgestuurd",
        m.id,
        van=old,
        naar=m.loket,
        identiteit=body.identiteit_meesturen,
    )
    return samenvatting(m)


@router.get(
    "/termijnen",
    summary="The clock: overdue deadlines and deadlines due within N days (legal or afspraak)",
    responses=_AUTH,
)
def termijnen(
    session: SessionDep,
    active: LoginDep,
    binnen_dagen: Annotated[int, Query(ge=1, le=92)] = 7,
) -> TermijnenOut:
    rows = session.scalars(
        in_scope(select(Melding), active.gebruiker).where(Melding.status.not_in(EINDSTATUSSEN))
    )
    overdue, soon = due(rows, utcnow(), timedelta(days=binnen_dagen))
    return TermijnenOut(
        binnen_dagen=binnen_dagen,
        te_laat=[_termijn_out(t) for t in overdue],
        binnenkort=[_termijn_out(t) for t in soon],
    )


def _termijn_out(t: Termijn) -> TermijnOut:
    return TermijnOut(**t.__dict__, termijn_label=TERMIJN_LABEL[t.termijn_soort])


@router.get(
    "/statistiek",
    response_model=StatistiekOut,
    summary="Casuïstiekoverzicht of a closed quarter (coordinators), small cells suppressed",
    responses=_STATISTICS,
)
def statistiek(
    session: SessionDep,
    active: CoordinatorDep,
    formaat: Annotated[Literal["json", "csv"], Query()] = "json",
    periode: Annotated[
        str | None,
        Query(
            pattern=r"^2\d{3}-K[1-4]$",
            description="A closed quarter (default: the last one), e.g. 2026-K3.",
        ),
    ] = None,
) -> Any:
    g = active.gebruiker
    now = utcnow()
    periode = periode or laatst_afgesloten(now)
    if not afgesloten(periode, now):
        raise PERIODE_OPEN
    stat = overzicht(session, periode, g.eenheid, now)
    record(session, actor(g), "statistiek_bekeken", formaat=formaat, periode=periode)
    if formaat == "csv":
        return PlainTextResponse(as_csv(stat), media_type="text/csv; charset=utf-8")
    return stat
