"""Shamir secret sharing with threshold 2 over the prime field GF(2^255 - 19).

"Niet alleen" matching (docs/matching.md) gives every entry one point on a line
``y = a0 + a1 * x``; the line is fixed by the OPRF output of the named person, ``x``
by the melder. One point says nothing about ``a0``; two points with different ``x``
(two different melders) give ``a0`` back. Only the standard library.
"""

from __future__ import annotations

Q = 2**255 - 19


class ShareError(ValueError):
    """Two shares that cannot be combined (same x, or values outside the field)."""


def share(a0: int, a1: int, x: int) -> int:
    """The y of the point at ``x`` on the line ``a0 + a1 * x``."""
    if not 0 < x < Q:
        raise ShareError("x must be a non-zero field element")
    return (a0 + a1 * x) % Q


def recover(first: tuple[int, int], second: tuple[int, int]) -> int:
    """``a0`` (the value at x = 0) of the line through two points with different x."""
    (x1, y1), (x2, y2) = first, second
    for value in (x1, y1, x2, y2):
        if not 0 <= value < Q:
            raise ShareError("share outside the field")
    if x1 == x2:
        raise ShareError("two shares with the same x (the same melder) cannot be combined")
    # Lagrange interpolation at 0: a0 = (y1 * x2 - y2 * x1) / (x2 - x1).
    return (y1 * x2 - y2 * x1) * pow(x2 - x1, -1, Q) % Q
