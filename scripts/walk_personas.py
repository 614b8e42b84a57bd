"""Walk one conversation per persona over the REST channel and print the transcript.

Run by hand to read what the bot says (the README's rule: a conversation is judged by
its transcript): ``.venv-backend/bin/python scripts/walk_personas.py [> transcript.txt]``.
Starts the whole system on free ports with a temporary database; every melder takes
the first answer offered, then chooses a loket and stops before sending.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.chat_client import demo_system  # noqa: E402

PERSONAS = {
    "slachtoffer": "mijn eigen teamchef schreeuwt me al maanden uit waar iedereen bij is, ik werk in Zwolle",
    "omstander": "Ik zag bij de briefing dat een collega door de hele ploeg werd uitgelachen om haar hoofddoek. Moet ik hier iets mee?",
    "leidinggevende": "Ik ben teamchef in Limburg en een medewerker vertelde me dat ze door haar ploeg wordt buitengesloten. Wat moet ik nu doen?",
    "aspirant": "Ik ben aspirant bij de politieacademie en mijn praktijkbegeleider maakt opmerkingen over mijn lichaam, hij beoordeelt mij ook",
    "anoniem 's nachts": "😡😡😡 ik ben zo boos op mn tc",
}
FOLLOW_UP = {"anoniem 's nachts": "hij scheldt me elke nachtdienst uit waar de hele ploeg bij is"}


def say(url: str, sender: str, message: str) -> list[dict[str, object]]:
    reply = httpx.post(url, json={"sender": sender, "message": message}, timeout=60)
    reply.raise_for_status()
    print(f"\n> {message}")
    for m in reply.json():
        print(str(m.get("text") or ""))
        for b in m.get("buttons") or []:  # type: ignore[attr-defined]
            print(f"   [{b['title']}]")
    return list(reply.json())


def payloads(messages: list[dict[str, object]]) -> list[str]:
    return [str(b["payload"]) for m in messages for b in (m.get("buttons") or [])]  # type: ignore[attr-defined]


def walk(url: str, name: str, opening: str) -> None:
    print(f"\n=============== {name} ===============")
    sender = str(uuid.uuid4())
    last = say(url, sender, opening)
    if name in FOLLOW_UP:
        last = say(url, sender, FOLLOW_UP[name])
    for _ in range(12):
        options = payloads(last)
        nxt = next((p for p in options if p.startswith(("/bevestig", "/kies_categorie"))), None)
        nxt = nxt or next((p for p in options if p.startswith("/inform")), None)
        nxt = nxt or next((p for p in options if p.startswith("/kies_loket")), None)
        if nxt is None or any(p == "/verstuur" for p in options):
            return
        if nxt.startswith("/kies_loket"):
            more = next((p for p in options if p.startswith("/meer_uitleg")), None)
            if more:
                say(url, sender, more)
        last = say(url, sender, nxt)


def main() -> None:
    with demo_system() as url:
        for name, opening in PERSONAS.items():
            walk(url, name, opening)


if __name__ == "__main__":
    main()
