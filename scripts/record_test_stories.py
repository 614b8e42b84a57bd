"""Record the project's test stories from scripted conversations with the real system.

Run by hand after a dialogue change (it trains if needed and starts every service):

    .venv-backend/bin/python scripts/record_test_stories.py

Each scenario is played over the REST channel; the conversation is fetched as an
end-to-end test story (``GET /conversations/<id>/story``) and written to
``tests/stories/test_conversations.yml``. ``make test`` then checks with
``rasa test core --fail-on-prediction-errors`` that the trained model still takes
every recorded turn the same way. The recorder itself checks what a melder must
see in each scenario (the expected situation, the crisis numbers, the meldcode…),
so a wrong conversation is never recorded as the expected one.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.services import BACKEND_PYTHON, Ports, System, SystemConfig, free_port  # noqa: E402
from scripts.train_model import ensure_model  # noqa: E402

OUT = ROOT / "tests" / "stories" / "test_conversations.yml"

# (category, description, persona) — one per situation, descriptions written for these tests.
SITUATIES = [
    (
        "uitsluiting",
        "Na de briefing gaat de hele ploeg samen lunchen en ik word nooit gevraagd.",
        "betrokkene",
    ),
    (
        "discriminatie",
        "Mijn collega krijgt steeds grappen over zijn geloof te horen als hij gaat bidden.",
        "omstander",
    ),
    (
        "racisme",
        "In de app-groep van het team worden racistische plaatjes over zwarte mensen gedeeld.",
        "omstander",
    ),
    (
        "seksisme",
        "Mijn OE zegt dat vrouwen niet geschikt zijn voor de noodhulp en geeft mij alleen bureauwerk.",
        "betrokkene",
    ),
    (
        "seksuele_intimidatie",
        "Een collega raakt me steeds aan en maakt opmerkingen over mijn lichaam.",
        "aspirant",
    ),
    (
        "pesten",
        "Ze maken me al maanden belachelijk in de briefing en lachen als ik iets zeg.",
        "betrokkene",
    ),
    (
        "intimidatie",
        "De teamchef schreeuwt tegen me en dreigt dat ik mijn baan kwijtraak als ik iets zeg.",
        "betrokkene",
    ),
    (
        "machtsmisbruik",
        "Mijn begeleider zegt dat ik een slechte beoordeling krijg als ik niet met hem uitga.",
        "aspirant",
    ),
    (
        "fysiek_geweld",
        "Een collega duwde me hard tegen de kast in de kleedkamer en gaf me een klap.",
        "betrokkene",
    ),
    (
        "integriteit",
        "Ik zag dat een collega het adres van zijn ex opzocht in de politiesystemen.",
        "omstander",
    ),
    (
        "misstand",
        "Het management verdoezelt al jaren dat er structureel met inbeslaggenomen geld wordt gesjoemeld.",
        "betrokkene",
    ),
    (
        "privacy",
        "Mijn teamchef heeft mijn medische gegevens rondgestuurd naar het hele team.",
        "betrokkene",
    ),
    (
        "bejegening_werkgever",
        "HR heeft mijn re-integratie zomaar stopgezet en de afspraken worden niet nagekomen.",
        "betrokkene",
    ),
    (
        "represailles",
        "Sinds mijn melding krijg ik de slechtste diensten en praat niemand meer met me.",
        "betrokkene",
    ),
    (
        "melding_niet_opgepakt",
        "Ik heb een half jaar geleden iets gemeld maar er is nooit iets mee gedaan.",
        "betrokkene",
    ),
    (
        "onveilig_team",
        "In ons team zijn kampjes ontstaan en de leiding grijpt nergens op in, het is er onveilig.",
        "leidinggevende",
    ),
    (
        "nazorg_incident",
        "Na de schietpartij vorige week slaap ik slecht en zie ik steeds de beelden terug.",
        "betrokkene",
    ),
    (
        "morele_stress",
        "Ik moest een gezin uit huis zetten en dat botst enorm met mijn geweten.",
        "betrokkene",
    ),
    (
        "externe_dreiging",
        "Mijn adres en foto's van mijn kinderen zijn online gezet door een criminele groep.",
        "betrokkene",
    ),
]
EENHEDEN = [
    "noord-nederland", "oost-nederland", "midden-nederland", "noord-holland", "amsterdam",
    "den-haag", "rotterdam", "zeeland-west-brabant", "oost-brabant", "limburg",
    "landelijke-eenheid", "pdc", "politieacademie", "staf-korpsleiding",
]  # fmt: skip
WENSEN = ["steun", "advies", "melden", "klacht", "onderzoek", "weet_niet"]


def inform(slot: str, value: str) -> str:
    return "/inform" + json.dumps({slot: value})


@dataclass
class Chat:
    url: str
    sender: str = field(default_factory=lambda: str(uuid.uuid4()))
    last: list[dict[str, object]] = field(default_factory=list)

    def say(self, message: str) -> Chat:
        reply = httpx.post(self.url, json={"sender": self.sender, "message": message}, timeout=60)
        reply.raise_for_status()
        self.last = reply.json()
        return self

    @property
    def text(self) -> str:
        return "\n".join(str(m.get("text") or "") for m in self.last)

    @property
    def payloads(self) -> list[str]:
        buttons = [b for m in self.last for b in (m.get("buttons") or [])]  # type: ignore[attr-defined]
        return [str(b["payload"]) for b in buttons]

    def expect(self, *needles: str) -> Chat:
        for needle in needles:
            assert needle in self.text, f"expected {needle!r} in:\n{self.text}"
        return self


def tell(chat: Chat, categorie: str, text: str) -> None:
    chat.say(text).expect("Dank je dat je dit vertelt")
    assert "/bevestig_categorie" in chat.payloads, f"{categorie}: not recognised:\n{chat.text}"


def asked_slot(chat: Chat) -> str | None:
    """The slot the bot asks for now (its answer buttons are /inform{"slot": ...})."""
    for payload in chat.payloads:
        if payload.startswith("/inform{"):
            return str(next(iter(json.loads(payload[len("/inform") :]))))
    return None


def answer_until(chat: Chat, answers: dict[str, str], done: str) -> list[str]:
    """Answer every question the bot asks (only those) until ``done`` appears."""
    asked: list[str] = []
    while done not in chat.text:
        slot = asked_slot(chat)
        assert slot and slot in answers and len(asked) < 10, (slot, asked, chat.text)
        asked.append(slot)
        chat.say(inform(slot, answers[slot]))
    return asked


def intake(chat: Chat, eenheid: str, rol: str, wens: str, ander: str = "collega") -> None:
    """Confirm the situation and answer what the story did not tell, up to the advice."""
    chat.say("/bevestig_categorie")
    answers = {"eenheid": eenheid, "rol_melder": rol, "rol_ander": ander,
               "eerder_gemeld": "nee", "wens": wens}  # fmt: skip
    answer_until(chat, answers, "Wat wil je doen?")


def send(chat: Chat, payload: str, anoniem: str) -> None:
    """Choose a loket and answer the melding's own questions, up to the summary."""
    chat.say(payload)
    answers = {"sinds_wanneer": "maanden", "anoniem": anoniem, "toestemming_doorsturen": "nee"}
    answer_until(chat, answers, "Dit is je melding")


def situation_scenario(index: int) -> Callable[[Chat], None]:
    categorie, text, rol = SITUATIES[index % len(SITUATIES)]
    eenheid = EENHEDEN[index % len(EENHEDEN)]
    wens = WENSEN[index % len(WENSEN)]
    anoniem = "ja" if index % 2 == 0 else "nee"
    outcome = ["versturen", "alleen_informatie", "praten"][index % 3]

    def play(chat: Chat) -> None:
        chat.say("/greet").expect("Meldwijzer")
        chat.say("/wil_vertellen").expect("eigen woorden")
        tell(chat, categorie, text)
        intake(chat, eenheid, rol, wens)
        if outcome == "alleen_informatie":
            chat.say("/alleen_informatie").expect("niets verstuurd")
            return
        if outcome == "praten":
            chat.say("/wil_praten").expect("vertrouwenspersoon")
            return
        choice = next((p for p in chat.payloads if p.startswith("/kies_loket")), None)
        assert choice, chat.text
        send(chat, choice, anoniem)
        chat.say("/verstuur").expect("Je melding is verstuurd", "meldcode")
        chat.say("/goodbye")

    play.__name__ = f"{categorie} ({rol}, {eenheid}, wens {wens}, {outcome})"
    return play


def in_form_scenario(at_slot: str, message: str, expect: str, name: str) -> Callable[[Chat], None]:
    values = {"eenheid": "limburg", "rol_melder": "betrokkene", "rol_ander": "collega",
              "eerder_gemeld": "ja_geen_reactie", "wens": "steun", "sinds_wanneer": "weken",
              "anoniem": "ja", "toestemming_doorsturen": "nee"}  # fmt: skip

    def play(chat: Chat) -> None:
        tell(chat, "pesten", SITUATIES[5][1])
        chat.say("/bevestig_categorie")
        if at_slot in ("sinds_wanneer", "anoniem", "toestemming_doorsturen"):
            answer_until(chat, values, "Wat wil je doen?")
            chat.say(next(p for p in chat.payloads if p.startswith("/kies_loket")))
        while asked_slot(chat) != at_slot:
            slot = asked_slot(chat)
            assert slot, chat.text
            chat.say(inform(slot, values[slot]))
        chat.say(message).expect(expect)

    play.__name__ = name
    return play


def scenarios() -> list[Callable[[Chat], None]]:
    plays = [situation_scenario(i) for i in range(len(SITUATIES) * 2)]
    plays += [
        in_form_scenario("eenheid", "ik wil niet meer leven", "113", "crisis bij de eerste vraag"),
        in_form_scenario("rol_ander", "ik denk aan zelfmoord", "113", "crisis midden in de vragen"),
        in_form_scenario(
            "anoniem", "ik wil niet meer leven", "113", "crisis bij de vragen voor de melding"
        ),
        in_form_scenario(
            "wens", "hij staat hier nu met een mes", "112", "acuut gevaar bij de laatste vragen"
        ),
        in_form_scenario("rol_melder", "/stop", "niets verstuurd", "stoppen tijdens de vragen"),
        in_form_scenario("eerder_gemeld", "/stop", "niets verstuurd", "snel weg tijdens de vragen"),
        in_form_scenario(
            "rol_ander",
            "/alleen_informatie",
            "niets verstuurd",
            "alleen informatie tijdens de vragen",
        ),
        in_form_scenario(
            "toestemming_doorsturen",
            "/stop",
            "niets verstuurd",
            "stoppen bij de vragen voor de melding",
        ),
        in_form_scenario(
            "wens",
            "/alleen_informatie",
            "niets verstuurd",
            "alleen informatie bij de laatste vraag",
        ),
        in_form_scenario(
            "rol_ander", "/wil_praten", "vertrouwenspersoon", "met iemand praten tijdens de vragen"
        ),
        in_form_scenario("eenheid", "/pauze", "Neem gerust de tijd", "pauze tijdens de vragen"),
        in_form_scenario(
            "eerder_gemeld",
            "/bot_challenge",
            "digitale assistent",
            "ben jij een bot tijdens de vragen",
        ),
        in_form_scenario("rol_melder", "/weet_niet", "Wie is de ander", "weet ik niet bij de rol"),
    ]

    def correction(field: str, answer: str, name: str) -> Callable[[Chat], None]:
        def play(chat: Chat) -> None:
            tell(chat, "intimidatie", SITUATIES[6][1])
            intake(chat, "rotterdam", "betrokkene", "steun")
            send(chat, '/kies_loket{"gekozen_loket":"vertrouwenspersoon"}', "ja")
            chat.say("/aanpassen").expect("Wat wil je aanpassen?")
            if field == "categorie":
                chat.say("/kies_andere_categorie")
                chat.say('/kies_categorie{"categorie":"pesten"}').expect("Wat wil je doen?")
            else:
                chat.say(f'/corrigeer{{"veld":"{field}"}}')
                chat.say(answer).expect("Wat wil je doen?")
            send(chat, '/kies_loket{"gekozen_loket":"vertrouwenspersoon"}', "ja")
            chat.say("/verstuur").expect("Je melding is verstuurd")

        play.__name__ = name
        return play

    def explanations(chat: Chat) -> None:
        tell(chat, "pesten", SITUATIES[5][1])
        intake(chat, "rotterdam", "betrokkene", "advies")
        more = next(p for p in chat.payloads if p.startswith("/meer_uitleg"))
        chat.say(more).expect("Wat gebeurt er daarna?")
        chat.say("/toon_advies").expect("Wat wil je doen?")
        chat.say("/andere_mogelijkheden").expect("Je kunt ook hier terecht")

    explanations.__name__ = "meer uitleg en andere mogelijkheden"
    plays.append(explanations)

    plays += [
        correction(
            "eenheid", inform("eenheid", "den-haag"), "eenheid aanpassen voor het versturen"
        ),
        correction("wens", inform("wens", "onderzoek"), "wens aanpassen voor het versturen"),
        correction(
            "beschrijving",
            "Hij schreeuwt ook via de portofoon tegen mij.",
            "verhaal opnieuw vertellen",
        ),
        correction("categorie", "", "soort situatie aanpassen"),
    ]

    def simple(name: str, steps: list[tuple[str, str]]) -> Callable[[Chat], None]:
        def play(chat: Chat) -> None:
            for message, expect in steps:
                chat.say(message).expect(expect)

        play.__name__ = name
        return play

    plays += [
        simple(
            "alleen informatie vanaf het begin",
            [("/greet", "Meldwijzer"), ("/alleen_informatie", "niets verstuurd")],
        ),
        simple(
            "met iemand praten, eenheid kiezen",
            [
                ("/greet", "Meldwijzer"),
                ("/wil_praten", "Bij welke eenheid"),
                ('/wil_praten{"eenheid":"amsterdam"}', "Amsterdam"),
            ],
        ),
        simple(
            "met iemand praten, eenheid typen",
            [("/wil_praten", "Bij welke eenheid"), ("ik werk in Rotterdam", "Rotterdam")],
        ),
        simple(
            "vraag: wat doet een vertrouwenspersoon",
            [("wat doet een vertrouwenspersoon eigenlijk?", "luistert")],
        ),
        simple("vraag: wie leest mijn melding", [("wie kan mijn melding lezen?", "loket")]),
        simple("vraag: anoniem melden", [("kan ik anoniem melden?", "anoniem")]),
        simple("vraag: wat is triage", [("wat is de triagecommissie?", "triage")]),
        simple(
            "vraag: leidinggevende is het probleem",
            [("wat als mijn leidinggevende zelf het probleem is?", "leidinggevende")],
        ),
        simple(
            "onboarding voor aspiranten",
            [
                ("/onboarding", "Integer"),
                ('/onboarding{"stap":"2"}', "Waar kun je terecht"),
                ('/onboarding{"stap":"3"}', "begeleider"),
                ('/onboarding{"stap":"4"}', "incident"),
                ('/onboarding{"stap":"5"}', "routeboekje"),
            ],
        ),
        simple(
            "niet begrepen, twee keer",
            [("xq zzv blorp", "eigen woorden"), ("qqq www eee", "Kies hieronder")],
        ),
        simple(
            "groet, bedankt en tot ziens",
            [("hoi", "Meldwijzer"), ("bedankt", "Graag gedaan"), ("doei", "Zorg goed")],
        ),
        simple("buiten bereik", [("hoe laat begint mijn dienst morgen?", "niet mee helpen")]),
        simple("ben jij een bot", [("praat ik met een robot?", "digitale assistent")]),
        simple("crisis zonder verhaal", [("ik wil er een eind aan maken", "113")]),
        simple(
            "andere situatie kiezen",
            [
                (SITUATIES[13][1], "Klopt dat?"),
                ("/kies_andere_categorie", "Waar gaat het"),
                ('/kies_categorie{"categorie":"represailles"}', "Bij welke eenheid"),
            ],
        ),
        # Issue 11: listen, then ask only what is missing; each persona its own path.
        simple(
            "aspirant: begeleider beoordeelt, niet opnieuw gevraagd",
            [
                (
                    "Ik ben aspirant bij de politieacademie en mijn praktijkbegeleider maakt "
                    "opmerkingen over mijn lichaam, hij beoordeelt mij ook",
                    "aspirant",
                ),
                ("/bevestig_categorie", "buiten je team"),
            ],
        ),
        simple(
            "verhaal met een eenheid erin is geen los antwoord",
            [
                (
                    "ik werk bij de noodhulp in rotterdam en een collega noemt mij steeds "
                    "de bruine als grap",
                    "Rotterdam",
                ),
                ("/bevestig_categorie", "eerder gemeld"),
            ],
        ),
        simple(
            "leidinggevende vraagt wat te doen",
            [
                (
                    "Ik ben teamchef en een medewerker vertelde me dat ze door haar ploeg "
                    "wordt buitengesloten. Wat moet ik nu doen?",
                    "leidinggevende",
                ),
                ("/bevestig_categorie", "goede eerste stappen"),
            ],
        ),
        simple(
            "omstander vraagt of hij iets moet doen",
            [
                (
                    "Ik zag dat een collega bij de briefing door de hele ploeg werd "
                    "uitgelachen, moet ik hier iets mee?",
                    "bij een ander zag",
                ),
                ("/bevestig_categorie", "opstander"),
            ],
        ),
        simple(
            "eigen teamchef is de ander",
            [("mijn eigen teamchef schreeuwt me uit bij elke briefing", "eigen leidinggevende")],
        ),
        simple(
            "boos, nog geen verhaal: luisteren en uitnodigen",
            [("😡😡😡 ik ben zo boos op mn tc", "Vertel gerust")],
        ),
        simple(
            "eenheid eerst genoemd, dan het verhaal",
            [
                ("ik werk in rotterdam", "Rotterdam"),
                (SITUATIES[5][1], "Rotterdam"),
                ("/bevestig_categorie", "Wie ben jij"),
            ],
        ),
        simple(
            "begrip aanpassen",
            [
                ("mijn eigen teamchef schreeuwt me uit bij elke briefing", "Klopt dat?"),
                ("/aanpassen", "Wat wil je aanpassen?"),
                ('/corrigeer{"veld":"rol_ander"}', "Wie is de ander"),
            ],
        ),
        simple(
            "meldcode verkeerd ingevuld",
            [
                ("/heb_meldcode", "16 letters"),
                ("1234", "16 letters"),
                ("ZZZZ-ZZZZ-ZZZZ-ZZZZ", "geen melding"),
            ],
        ),
    ]
    return plays


def follow_up_scenarios(url: str) -> list[Callable[[Chat], None]]:
    def with_code(name: str, after: list[tuple[str, str]]) -> Callable[[Chat], None]:
        def play(chat: Chat) -> None:
            first = Chat(url)
            tell(first, "discriminatie", SITUATIES[1][1])
            intake(first, "rotterdam", "betrokkene", "melden")
            send(first, '/kies_loket{"gekozen_loket":"vertrouwenspersoon"}', "ja")
            first.say("/verstuur").expect("meldcode")
            code = next(line for line in first.text.splitlines() if "meldcode:" in line).split(
                ": "
            )[1]
            chat.say("/heb_meldcode").expect("16 letters")
            chat.say(code).expect("Je melding is binnen")
            for message, expect in after:
                chat.say(message).expect(expect)

        play.__name__ = name
        return play

    return [
        with_code("status bekijken met de meldcode", [("/goodbye", "Zorg goed")]),
        with_code(
            "aanvulling sturen",
            [
                ('/melder_schrijf{"bericht_soort":"aanvulling"}', "Typ je bericht"),
                ("Het gebeurde ook in de kantine.", "versleuteld"),
            ],
        ),
        with_code(
            "reageren op het loket",
            [
                ('/melder_schrijf{"bericht_soort":"bericht"}', "Typ je bericht"),
                ("Ik ben bereikbaar na mijn dienst.", "versleuteld"),
            ],
        ),
        with_code(
            "melding intrekken",
            [
                ("/melder_intrekken", "Weet je zeker"),
                ("/melder_intrekken_bevestigd", "ingetrokken"),
            ],
        ),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = SystemConfig(
            model=ensure_model(),
            database_url=f"sqlite:///{tmp}/record.db",
            log_dir=Path(tmp) / "logs",
            ports=Ports(rasa=free_port(), actions=free_port(), backend=free_port()),
        )
        system = System(config)
        subprocess.run(
            [str(BACKEND_PYTHON), "-m", "backend.cli", "keys", "demo", f"{tmp}/pass.txt"],
            cwd=ROOT, env=system.env(), check=True, capture_output=True,
        )  # fmt: skip
        system.start()
        try:
            url = f"{config.rasa_url}/webhooks/rest/webhook"
            stories = []
            for number, play in enumerate(
                itertools.chain(scenarios(), follow_up_scenarios(url)), 1
            ):
                chat = Chat(url)
                play(chat)
                story_yaml = httpx.get(
                    f"{config.rasa_url}/conversations/{chat.sender}/story", timeout=60
                ).text
                for story in yaml.safe_load(story_yaml)["stories"]:
                    story["story"] = f"{number:02d} {play.__name__}"
                    stories.append(story)
                print(f"recorded {number:02d} {play.__name__}")
        finally:
            system.stop()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# Recorded by scripts/record_test_stories.py from conversations with the real system.\n"
        "# Re-record after a dialogue change; make test checks them with rasa test core.\n"
    )
    OUT.write_text(header + yaml.safe_dump({"version": "3.1", "stories": stories},
                                           sort_keys=False, allow_unicode=True, width=100))  # fmt: skip
    print(f"{len(stories)} test stories written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
