"""Measure the privacy check on synthetic stories with planted identifiers.

Run: ``PYTHONPATH=. .venv-bot/bin/python -m actions.privacy_eval`` (prints the figures
for docs/privacy-check.md). The stories are in ``tests/privacy/verhalen_*.txt``: one a
line, each planted identifier written ``{soort:tekst}``.

A planted identifier counts as found when a finding overlaps it (the melder sees the
words and the kind; a placeholder over a slightly wider span still hides it). A finding
that overlaps no planted identifier is a false alarm.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from actions.privacy_check import SOORTEN, Vondst, vind, warm_up

VERHALEN = Path(__file__).resolve().parent.parent / "tests" / "privacy"
SETS = {"afstemmen": "verhalen_afstemmen.txt", "apart": "verhalen_apart.txt"}
_LABEL = re.compile(r"\{(\w+):([^{}]+)\}")


@dataclass(frozen=True)
class Verhaal:
    tekst: str
    labels: tuple[tuple[int, int, str], ...]  # (start, end, soort)


def parse(regel: str) -> Verhaal:
    tekst, labels, pos = "", [], 0
    for match in _LABEL.finditer(regel):
        soort, woorden = match.group(1), match.group(2)
        if soort not in SOORTEN:
            raise ValueError(f"unknown kind {soort!r} in: {regel}")
        tekst += regel[pos : match.start()]
        labels.append((len(tekst), len(tekst) + len(woorden), soort))
        tekst += woorden
        pos = match.end()
    return Verhaal(tekst + regel[pos:], tuple(labels))


def verhalen(naam: str) -> list[Verhaal]:
    regels = (VERHALEN / SETS[naam]).read_text(encoding="utf-8").splitlines()
    return [parse(r.strip()) for r in regels if r.strip() and not r.startswith("#")]


@dataclass
class Uitslag:
    verhalen: int
    gevonden: Counter[str]
    gepland: Counter[str]
    vals_alarm: int
    latencies_ms: list[float]
    missers: list[str]
    valse: list[str]

    @property
    def recall(self) -> float:
        return sum(self.gevonden.values()) / max(1, sum(self.gepland.values()))

    @property
    def vals_per_verhaal(self) -> float:
        return self.vals_alarm / max(1, self.verhalen)

    def recall_per_soort(self) -> dict[str, float]:
        return {s: self.gevonden[s] / n for s, n in sorted(self.gepland.items())}


def _overlap(vondst: Vondst, start: int, end: int) -> bool:
    return vondst.start < end and start < vondst.end


def evalueer(set_naam: str) -> Uitslag:
    uitslag = Uitslag(0, Counter(), Counter(), 0, [], [], [])
    for verhaal in verhalen(set_naam):
        begin = time.perf_counter()
        vondsten = vind(verhaal.tekst)
        uitslag.latencies_ms.append((time.perf_counter() - begin) * 1000)
        uitslag.verhalen += 1
        for start, end, soort in verhaal.labels:
            uitslag.gepland[soort] += 1
            if any(_overlap(v, start, end) for v in vondsten):
                uitslag.gevonden[soort] += 1
            else:
                uitslag.missers.append(f"{soort}: {verhaal.tekst[start:end]!r}")
        for vondst in vondsten:
            if not any(_overlap(vondst, s, e) for s, e, _ in verhaal.labels):
                uitslag.vals_alarm += 1
                uitslag.valse.append(f"{vondst.soort}: {vondst.tekst!r} in {verhaal.tekst!r}")
    return uitslag


def main() -> None:
    begin = time.perf_counter()
    warm_up()
    print(f"warm-up (deduce lookup structures from cache): {time.perf_counter() - begin:.1f} s")
    for set_naam in SETS:
        u = evalueer(set_naam)
        print(f"\n== {set_naam}: {u.verhalen} stories, {sum(u.gepland.values())} identifiers")
        for soort, recall in u.recall_per_soort().items():
            print(f"  {soort:9} {u.gevonden[soort]:3}/{u.gepland[soort]:3}  recall {recall:.2f}")
        print(f"  overall recall {u.recall:.3f}")
        print(f"  false alarms {u.vals_alarm} = {u.vals_per_verhaal:.2f} per story")
        lat = sorted(u.latencies_ms)
        print(f"  latency per check: median {statistics.median(lat):.1f} ms, max {lat[-1]:.1f} ms")
        if "-v" in sys.argv:
            print("  missed:", *u.missers, sep="\n    ")
            print("  false alarms:", *u.valse, sep="\n    ")


if __name__ == "__main__":
    main()
