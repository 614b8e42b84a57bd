"""Statistical disclosure control for sets of count tables: primary and complementary
(secondary) cell suppression, checked by an auditor that attacks the published set.

A *cell* is any published count, also a total. An *equation* says a published whole
is the sum of published parts (a table's total and its cells, a national cell and the
same cell of every eenheid, ...). Cells with 0 < count < threshold are suppressed
(primary). The auditor then does what a reader could do with every table of the set
at once:

* linear algebra: a suppressed cell that follows from the equations alone (e.g.
  total minus the shown cells) is *determined*;
* bounds: every suppressed cell is at least 1 (zero cells are not shown), so the
  equations give each suppressed cell a range [lo, hi], tightened until nothing
  changes.

A primary cell is safe only when it is not determined and its range reaches the
threshold (hi >= threshold): the reader can then not even tell that it is small.
While some primary cell is unsafe, one more cell is suppressed (complementary): the
smallest cell that makes it safe, else the smallest cell near it. Every step hides
one more cell, so it ends (at worst with every non-zero cell hidden).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
UNBOUNDED = 10**9


@dataclass(frozen=True)
class Equation(Generic[Key]):
    whole: Key
    parts: tuple[Key, ...]


def primary(values: Mapping[Key, int], threshold: int) -> set[Key]:
    return {k for k, v in values.items() if 0 < v < threshold}


def _subtract(row: dict[int, Fraction], factor: Fraction, other: dict[int, Fraction]) -> None:
    """row -= factor * other, keeping only non-zero entries (sparse rows)."""
    for c, v in other.items():
        nv = row.get(c, Fraction(0)) - factor * v
        if nv:
            row[c] = nv
        else:
            row.pop(c, None)


def _determined(unknowns: Sequence[Key], equations: Sequence[Equation[Key]]) -> set[Key]:
    """Unknowns fixed by the equations alone (Gauss-Jordan over the rationals)."""
    index = {k: i for i, k in enumerate(unknowns)}
    rows: list[dict[int, Fraction]] = []
    for eq in equations:
        row: dict[int, Fraction] = {}
        for k, sign in [(eq.whole, -1), *((p, 1) for p in eq.parts)]:
            if k in index:
                row[index[k]] = row.get(index[k], Fraction(0)) + sign
        row = {c: v for c, v in row.items() if v != 0}
        if row:
            rows.append(row)
    pivots: dict[int, dict[int, Fraction]] = {}  # pivot column -> its row (pivot = 1)
    for row in rows:
        for col, prow in pivots.items():
            factor = row.get(col)
            if factor:
                _subtract(row, factor, prow)
        if not row:
            continue
        col = min(row)
        inv = 1 / row[col]
        row = {c: v * inv for c, v in row.items()}
        for other in pivots.values():
            factor = other.get(col)
            if factor:
                _subtract(other, factor, row)
        pivots[col] = row
    return {unknowns[col] for col, row in pivots.items() if len(row) == 1}


def bounds(
    values: Mapping[Key, int], hidden: set[Key], equations: Sequence[Equation[Key]]
) -> dict[Key, tuple[int, int]]:
    """The range a reader can derive for every hidden cell (each hidden cell >= 1)."""
    lo = {k: 1 for k in hidden}
    hi = {k: UNBOUNDED for k in hidden}

    def rng(k: Key) -> tuple[int, int]:
        return (lo[k], hi[k]) if k in hidden else (values[k], values[k])

    for _ in range(200):
        changed = False
        for eq in equations:
            if not (eq.whole in hidden or any(p in hidden for p in eq.parts)):
                continue
            parts = [rng(p) for p in eq.parts]
            sum_lo, sum_hi = sum(r[0] for r in parts), sum(r[1] for r in parts)
            w_lo, w_hi = rng(eq.whole)
            if eq.whole in hidden:
                new_lo, new_hi = max(w_lo, sum_lo), min(w_hi, sum_hi)
                if (new_lo, new_hi) != (w_lo, w_hi):
                    lo[eq.whole], hi[eq.whole], changed = new_lo, new_hi, True
                    w_lo, w_hi = new_lo, new_hi
            for p, (p_lo, p_hi) in zip(eq.parts, parts, strict=True):
                if p not in hidden:
                    continue
                new_lo = max(p_lo, w_lo - (sum_hi - p_hi))
                new_hi = min(p_hi, w_hi - (sum_lo - p_lo))
                if (new_lo, new_hi) != (p_lo, p_hi):
                    lo[p], hi[p], changed = new_lo, new_hi, True
        if not changed:
            break
    return {k: (lo[k], hi[k]) for k in hidden}


def unsafe(
    values: Mapping[Key, int],
    hidden: set[Key],
    equations: Sequence[Equation[Key]],
    threshold: int,
) -> list[Key]:
    """Primary cells a reader can pin down or show to be small, in a stable order."""
    small = primary(values, threshold)
    if not small:
        return []
    relevant = [eq for eq in equations if eq.whole in hidden or set(eq.parts) & hidden]
    unknowns = sorted(hidden, key=repr)
    fixed = _determined(unknowns, relevant)
    ranges = bounds(values, hidden, relevant)
    return sorted(
        (k for k in small if k in fixed or _pinned(ranges[k], threshold)),
        key=repr,
    )


def _pinned(rng: tuple[int, int], threshold: int) -> bool:
    """One value left, or every value left is small."""
    return rng[0] == rng[1] or rng[1] < threshold


def _neighbours(cell: Key, equations: Iterable[Equation[Key]]) -> set[Key]:
    found: set[Key] = set()
    for eq in equations:
        members = {eq.whole, *eq.parts}
        if cell in members:
            found |= members
    return found


def suppress(
    values: Mapping[Key, int], equations: Sequence[Equation[Key]], threshold: int
) -> set[Key]:
    """The cells to hide: the primary ones plus enough complementary ones."""
    hidden = primary(values, threshold)
    while True:
        at_risk = unsafe(values, hidden, equations, threshold)
        if not at_risk:
            return hidden
        cell = at_risk[0]
        near = _neighbours(cell, equations)
        for other in list(near):
            if other in hidden:
                near |= _neighbours(other, equations)
        candidates = sorted(
            (k for k in near if k not in hidden and values[k] > 0),
            key=lambda k: (values[k], repr(k)),
        )
        if not candidates:
            candidates = sorted(
                (k for k in values if k not in hidden and values[k] > 0),
                key=lambda k: (values[k], repr(k)),
            )
        if not candidates:
            return hidden
        chosen = candidates[0]
        for candidate in candidates[:12]:
            if cell not in unsafe(values, hidden | {candidate}, equations, threshold):
                chosen = candidate
                break
        hidden.add(chosen)
