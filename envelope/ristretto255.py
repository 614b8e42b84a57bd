"""The ristretto255 prime-order group (RFC 9496), in pure Python with big integers.

Used by the OPRF of "Niet alleen" matching (``envelope/oprf.py``, docs/matching.md).
Only the standard library: it runs in the action server (Python 3.10) and the backend.

Points are kept in extended twisted-Edwards coordinates ``(X, Y, Z, T)`` of
edwards25519 (a = -1); ``encode``/``decode`` are the canonical 32-byte encodings of
RFC 9496 section 4.3, ``from_uniform_bytes`` its one-way map (section 4.3.4).

Not constant time: Python integers leak timing. The server key is used once per
evaluation on a network request; docs/matching.md lists this as a residual risk.
Checked against the RFC 9496 test vectors and against @noble/curves
(tests/envelope/test_ristretto255.py).
"""

from __future__ import annotations

from dataclasses import dataclass

P = 2**255 - 19
# Order of the prime-order group (the scalar field).
L = 2**252 + 27742317777372353535851937790883648493

D = 37095705934669439343138083508754565189542113879843219016388785533085940283555
SQRT_M1 = 19681161376707505956807079304988542015446066515923890162744021073123829784752
SQRT_AD_MINUS_ONE = 25063068953384623474111414158702152701244531502492656460079210482610430750235
INVSQRT_A_MINUS_D = 54469307008909316920995813868745141605393597292927456921205312896311721017578
ONE_MINUS_D_SQ = 1159843021668779879193775521855586647937357759715417654439879720876111806838
D_MINUS_ONE_SQ = 40440834346308536858101042469323190826248399146238708352240133220865137265952


class DecodeError(ValueError):
    """Bytes that are not the canonical encoding of a ristretto255 element."""


def _is_negative(x: int) -> bool:
    return (x % P) & 1 == 1


def _abs(x: int) -> int:
    x %= P
    return P - x if _is_negative(x) else x


def _sqrt_ratio_m1(u: int, v: int) -> tuple[bool, int]:
    """(was_square, r) with r = sqrt(u/v) or sqrt(i*u/v), non-negative (RFC 9496 4.2)."""
    u %= P
    v %= P
    v3 = v * v % P * v % P
    v7 = v3 * v3 % P * v % P
    r = u * v3 % P * pow(u * v7 % P, (P - 5) // 8, P) % P
    check = v * r % P * r % P
    correct = check == u
    flipped = check == (-u) % P
    flipped_i = check == (-u * SQRT_M1) % P
    if flipped or flipped_i:
        r = r * SQRT_M1 % P
    return correct or flipped, _abs(r)


@dataclass(frozen=True)
class Element:
    """A ristretto255 element, represented by one edwards25519 point of its class."""

    x: int
    y: int
    z: int
    t: int

    def __add__(self, other: Element) -> Element:
        a = (self.y - self.x) * (other.y - other.x) % P
        b = (self.y + self.x) * (other.y + other.x) % P
        c = 2 * D * self.t % P * other.t % P
        d = 2 * self.z * other.z % P
        e, f, g, h = b - a, d - c, d + c, b + a
        return Element(e * f % P, g * h % P, f * g % P, e * h % P)

    def __neg__(self) -> Element:
        return Element((-self.x) % P, self.y, self.z, (-self.t) % P)

    def __sub__(self, other: Element) -> Element:
        return self + (-other)

    def double(self) -> Element:
        """2·self (dbl-2008-hwcd for a = -1: four squarings, four multiplications)."""
        a = self.x * self.x % P
        b = self.y * self.y % P
        c = 2 * self.z * self.z % P
        h = a + b
        xy = self.x + self.y
        e = (h - xy * xy) % P
        g = a - b
        f = c + g
        return Element(e * f % P, g * h % P, f * g % P, e * h % P)

    def __mul__(self, scalar: int) -> Element:
        """scalar·self with a fixed 4-bit window (not constant time, see above)."""
        scalar %= L
        table = [IDENTITY, self]
        for _ in range(14):
            table.append(table[-1] + self)
        result = IDENTITY
        for shift in range(252, -1, -4):
            result = result.double().double().double().double()
            digit = (scalar >> shift) & 15
            if digit:
                result = result + table[digit]
        return result

    __rmul__ = __mul__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Element):
            return NotImplemented
        return (self.x * other.y - self.y * other.x) % P == 0 or (
            self.y * other.y - self.x * other.x
        ) % P == 0

    def __hash__(self) -> int:
        return hash(self.encode())

    def encode(self) -> bytes:
        """The canonical 32-byte encoding (RFC 9496 4.3.2)."""
        x0, y0, z0, t0 = self.x, self.y, self.z, self.t
        u1 = (z0 + y0) * (z0 - y0) % P
        u2 = x0 * y0 % P
        _, invsqrt = _sqrt_ratio_m1(1, u1 * u2 % P * u2 % P)
        den1 = invsqrt * u1 % P
        den2 = invsqrt * u2 % P
        z_inv = den1 * den2 % P * t0 % P
        rotate = _is_negative(t0 * z_inv)
        if rotate:
            x, y = y0 * SQRT_M1 % P, x0 * SQRT_M1 % P
            den_inv = den1 * INVSQRT_A_MINUS_D % P
        else:
            x, y, den_inv = x0, y0, den2
        if _is_negative(x * z_inv):
            y = (-y) % P
        s = _abs(den_inv * (z0 - y))
        return s.to_bytes(32, "little")


IDENTITY = Element(0, 1, 1, 0)


def decode(data: bytes) -> Element:
    """The element of a canonical encoding; anything else raises DecodeError (4.3.1)."""
    if len(data) != 32:
        raise DecodeError("a ristretto255 encoding is 32 bytes")
    s = int.from_bytes(data, "little")
    if s >= P or _is_negative(s):
        raise DecodeError("not a canonical ristretto255 encoding")
    ss = s * s % P
    u1 = (1 - ss) % P
    u2 = (1 + ss) % P
    u2_sqr = u2 * u2 % P
    v = (-(D * u1 % P * u1) - u2_sqr) % P
    was_square, invsqrt = _sqrt_ratio_m1(1, v * u2_sqr % P)
    den_x = invsqrt * u2 % P
    den_y = invsqrt * den_x % P * v % P
    x = _abs(2 * s * den_x)
    y = u1 * den_y % P
    t = x * y % P
    if not was_square or _is_negative(t) or y == 0:
        raise DecodeError("not a valid ristretto255 encoding")
    return Element(x, y, 1, t)


def _map(t: int) -> Element:
    """The Elligator-style map of one field element to a point (RFC 9496 4.3.4 MAP)."""
    r = SQRT_M1 * t % P * t % P
    u = (r + 1) * ONE_MINUS_D_SQ % P
    v = (-1 - r * D) * (r + D) % P
    was_square, s = _sqrt_ratio_m1(u, v)
    s_prime = (-_abs(s * t)) % P
    if not was_square:
        s = s_prime
    c = P - 1 if was_square else r
    n = (c * (r - 1) % P * D_MINUS_ONE_SQ - v) % P
    w0 = 2 * s * v % P
    w1 = n * SQRT_AD_MINUS_ONE % P
    w2 = (1 - s * s) % P
    w3 = (1 + s * s) % P
    return Element(w0 * w3 % P, w2 * w1 % P, w1 * w3 % P, w0 * w2 % P)


def from_uniform_bytes(data: bytes) -> Element:
    """The one-way map of 64 uniform bytes to an element (RFC 9496 4.3.4)."""
    if len(data) != 64:
        raise ValueError("from_uniform_bytes takes 64 bytes")
    mask = (1 << 255) - 1
    t1 = int.from_bytes(data[:32], "little") & mask
    t2 = int.from_bytes(data[32:], "little") & mask
    return _map(t1 % P) + _map(t2 % P)


BASE = decode(bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"))
