"""Who may submit meldingen: action servers that sign their requests (Ed25519).

The operator registers each action server's public key in ``MELDWIJZER_ACTIESERVERS``
(``naam=<base64 public key>``, comma-separated; ``meldwijzer-admin actieservers
sleutel`` makes a key pair and prints the line). A request is accepted as coming
from that action server when its signature verifies, its timestamp is within the
window and its nonce was not used before (nonces are kept in memory for the
window; they identify no person).

Submissions are also counted per action server and in total, in memory only, so a
stolen or misbehaving key cannot flood the lokets' inboxes.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from starlette.requests import Request

from backend.api.errors import ApiError
from envelope.request_signing import (
    HEADERS,
    KEY_HEADER,
    NONCE_HEADER,
    TIMESTAMP_HEADER,
    SignatureFormatError,
    public_key_from_text,
    signing_key_id,
    verify,
)

MAX_NONCES = 200_000


@dataclass(frozen=True)
class Submitter:
    naam: str
    kid: str
    public_key: bytes


def parse_submitters(entries: tuple[str, ...]) -> dict[str, Submitter]:
    """``naam=<base64 public key>`` entries, by key id. A malformed entry stops start-up."""
    result: dict[str, Submitter] = {}
    for entry in entries:
        naam, sep, key_text = entry.partition("=")
        if not sep or not naam.strip():
            raise ValueError("MELDWIJZER_ACTIESERVERS: write each entry as naam=<public key>")
        try:
            public = public_key_from_text(key_text)
        except SignatureFormatError as exc:
            raise ValueError(f"MELDWIJZER_ACTIESERVERS: bad key for {naam.strip()!r}") from exc
        kid = signing_key_id(public)
        result[kid] = Submitter(naam.strip(), kid, public)
    return result


def _unsigned() -> ApiError:
    return ApiError(
        401,
        "niet_ondertekend",
        "Alleen de Meldwijzer-chat mag meldingen versturen. Dit verzoek is niet ondertekend.",
        "Only a registered Meldwijzer action server may submit meldingen; "
        "this request is not signed.",
    )


def _bad_signature(en: str) -> ApiError:
    return ApiError(
        401,
        "handtekening_ongeldig",
        "De handtekening van dit verzoek klopt niet, is verlopen of is al gebruikt.",
        f"The request signature is invalid: {en}.",
    )


def _unknown_key() -> ApiError:
    return ApiError(
        403,
        "onbekende_actieserver",
        "Deze sleutel hoort niet bij een bekende Meldwijzer-chat.",
        "This signing key is not registered with the backend.",
    )


def _too_many(wait: int) -> ApiError:
    return ApiError(
        429,
        "te_veel_meldingen",
        "Er komen nu te veel meldingen tegelijk binnen. Probeer het zo opnieuw.",
        "Too many submissions at the moment. Try again shortly.",
        headers={"Retry-After": str(wait)},
    )


class SignatureChecker:
    """Verifies signed requests: known key, valid signature, fresh timestamp, new nonce."""

    def __init__(
        self,
        submitters: dict[str, Submitter],
        window_seconds: int = 300,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.submitters = submitters
        self.window = window_seconds
        self.clock = clock
        self._nonces: OrderedDict[str, float] = OrderedDict()
        self._lock = Lock()

    def _fresh_nonce(self, kid: str, nonce: str, now: float) -> bool:
        with self._lock:
            while self._nonces:
                oldest, expires = next(iter(self._nonces.items()))
                if expires > now and len(self._nonces) < MAX_NONCES:
                    break
                del self._nonces[oldest]
            key = f"{kid}:{nonce}"
            if key in self._nonces:
                return False
            self._nonces[key] = now + 2 * self.window
            return True

    async def check(self, request: Request) -> Submitter | None:
        """The verified submitter, or None when the request carries no signature at all."""
        headers = request.headers
        present = [name for name in HEADERS if name in headers]
        if not present:
            return None
        if len(present) != len(HEADERS):
            raise _bad_signature("a signing header is missing")
        submitter = self.submitters.get(headers[KEY_HEADER])
        if submitter is None:
            raise _unknown_key()
        nonce = headers[NONCE_HEADER]
        if not 16 <= len(nonce) <= 64:
            raise _bad_signature("the nonce must have 16 to 64 characters")
        try:
            stamp = int(headers[TIMESTAMP_HEADER])
        except ValueError:
            raise _bad_signature("the timestamp is not a number") from None
        now = self.clock()
        if abs(now - stamp) > self.window:
            raise _bad_signature("the timestamp is outside the allowed window")
        path = request.url.path
        if request.url.query:
            path += "?" + request.url.query
        body = await request.body()
        if not verify(submitter.public_key, headers, request.method, path, body):
            raise _bad_signature("the signature does not verify")
        if not self._fresh_nonce(submitter.kid, nonce, now):
            raise _bad_signature("this nonce was used before (replay)")
        return submitter

    async def require(self, request: Request) -> Submitter:
        submitter = await self.check(request)
        if submitter is None:
            raise _unsigned()
        return submitter


class SubmissionLimiter:
    """Submissions per action-server key and in total per minute (in memory, no identities)."""

    def __init__(
        self,
        per_key: int,
        total: int,
        window_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_key = per_key
        self.total = total
        self.window = window_seconds
        self.clock = clock
        self._per_key: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._lock = Lock()

    def _prune(self, stamps: deque[float], now: float) -> None:
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()

    def _wait(self, stamps: deque[float], now: float) -> int:
        return max(1, int(stamps[0] + self.window - now) + 1)

    def admit(self, kid: str) -> None:
        """Count one submission of this key, or raise 429 when a budget is used up."""
        now = self.clock()
        with self._lock:
            mine = self._per_key.setdefault(kid, deque())
            self._prune(mine, now)
            self._prune(self._all, now)
            if len(mine) >= self.per_key:
                raise _too_many(self._wait(mine, now))
            if len(self._all) >= self.total:
                raise _too_many(self._wait(self._all, now))
            mine.append(now)
            self._all.append(now)
