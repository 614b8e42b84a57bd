"""The scripted conversations that scripts/record_test_stories.py records as test stories.

Every situation twice, every persona path, crisis, stop, pause, corrections, FAQ,
onboarding, follow-up and fallback; each checks what a melder must see.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import update

from backend.domain.meldingen import SLEUTEL_PREFIX
from backend.storage.clock import utcnow
from backend.storage.db import Database
from backend.storage.models import Melding
from envelope.melder_key import melder_keys
from envelope.sealing import b64e
from scripts.chat_client import Chat, answer_until, asked_slot, inform

SCENARIOS = yaml.safe_load((Path(__file__).parent / "story_scenarios.yml").read_text())
SITUATIES: list[tuple[str, str, str]] = [
    (s["categorie"], s["verhaal"], s["rol"]) for s in SCENARIOS["situaties"]
]
# A known melder's name and way to be reached, when a scenario does not give its own.
NAAM, CONTACT = "Voorbeeld Melder", "06 12345678"
EENHEDEN = [
    "noord-nederland", "oost-nederland", "midden-nederland", "noord-holland", "amsterdam",
    "den-haag", "rotterdam", "zeeland-west-brabant", "oost-brabant", "limburg",
    "landelijke-eenheid", "pdc", "politieacademie", "staf-korpsleiding",
]  # fmt: skip
WENSEN = ["steun", "advies", "melden", "klacht", "onderzoek", "weet_niet"]


def tell(chat: Chat, categorie: str, text: str) -> None:
    chat.say(text).expect("Dank je dat je dit vertelt")
    assert "/bevestig_categorie" in chat.payloads, f"{categorie}: not recognised:\n{chat.text}"


def intake(chat: Chat, eenheid: str, rol: str, wens: str, ander: str = "collega") -> None:
    """Confirm the situation and answer what the story did not tell, up to the advice."""
    chat.say("/bevestig_categorie")
    answers = {"eenheid": eenheid, "rol_melder": rol, "rol_ander": ander,
               "eerder_gemeld": "nee", "wens": wens}  # fmt: skip
    answer_until(chat, answers, "Wat wil je doen?")


def send(chat: Chat, payload: str, anoniem: str) -> None:
    """Choose a loket and answer the melding's own questions, up to the summary.

    A loket that needs a name only offers "Ik geef mijn naam": then the melder gives it."""
    chat.say(payload)
    answers = {"sinds_wanneer": "maanden", "anoniem": anoniem, "toestemming_doorsturen": "nee"}
    for _ in range(12):
        if "Dit is je melding" in chat.text:
            return
        if "Wat is je naam?" in chat.text:
            chat.say(NAAM)
            continue
        if "je bereiken?" in chat.text:
            chat.say(CONTACT)
            continue
        slot = asked_slot(chat)
        assert slot in answers, (slot, chat.text)
        value = answers[slot]
        if inform(slot, value) not in chat.payloads:  # "anoniem" where the loket needs a name
            value = "nee"
        chat.say(inform(slot, value))
    raise AssertionError(f"no summary:\n{chat.text}")


def identity_scenario(spec: dict[str, str]) -> Callable[[Chat], None]:
    """Issue 12.3: a known melder, or the way out when the loket needs a name."""

    def play(chat: Chat) -> None:
        tell(chat, "identiteit", spec["verhaal"])
        intake(chat, "rotterdam", "betrokkene", spec["wens"])
        chat.say(f'/kies_loket{{"gekozen_loket":"{spec["loket"]}"}}')
        if asked_slot(chat) == "sinds_wanneer":
            chat.say(inform("sinds_wanneer", "maanden"))
        if "uitweg" in spec:  # stay anonymous: another loket, offered as a button
            chat.expect("met je naam")
            chat.say(f'/kies_loket{{"gekozen_loket":"{spec["uitweg"]}"}}').expect("anoniem")
            chat.say(inform("anoniem", "ja")).expect("je blijft anoniem")
        else:
            if "eerst" in spec:
                chat.expect("met je naam").say(spec["eerst"]).expect("kan dat niet")
            chat.say(inform("anoniem", "nee")).expect("Wat is je naam?", "Alleen")
            chat.say(spec["melder_naam"]).expect("je bereiken?")
            if spec["melder_contact"] == "meldcode":
                chat.say(inform("melder_contact", "meldcode"))
            else:
                chat.say(spec["melder_contact"])
        chat.say(inform("toestemming_doorsturen", "nee")).expect("Dit is je melding")
        if "melder_naam" in spec:
            chat.expect(f"Naam: {spec['melder_naam']}", "apart versleuteld")
        chat.say("/verstuur").expect("Je melding is verstuurd", "meldcode")

    play.__name__ = spec["naam"]
    return play


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

    plays += [identity_scenario(spec) for spec in SCENARIOS["identiteit"]]
    plays += [privacy_scenario(spec) for spec in SCENARIOS["privacy_check"]]
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
                ("/bevestig_categorie", "al eens gemeld"),
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
                ("/heb_meldcode", "20 letters"),
                ("1234", "20 letters"),
                ("ZZZZ-ZZZZ-ZZZZ-ZZZZ", "geen melding"),
            ],
        ),
    ]
    plays += issue_12_bot_text_scenarios(simple)
    plays += [
        simple(p["naam"], [(str(m), str(e)) for m, e in p["stappen"]])
        for p in SCENARIOS.get("paden", [])
    ]
    plays.append(leader_further_steps)
    plays.append(receipt_after_sending)  # ontvangstbewijs (end of this file)
    return plays


def issue_12_bot_text_scenarios(
    simple: Callable[[str, list[tuple[str, str]]], Callable[[Chat], None]],
) -> list[Callable[[Chat], None]]:
    """Issue 12: each corrected bot text, as a melder reaches it (docs/claims-review.md)."""

    def ask(name: str, question: str, *expect: str) -> Callable[[Chat], None]:
        def play(chat: Chat) -> None:
            chat.say(question).expect(*expect)

        play.__name__ = name
        return play

    return [
        ask("waarheid: vertrouwenspersoon en ernstig gevaar", "wat doet een VP", "ernstig gevaar"),
        ask("waarheid: hoort de ander mijn naam", "hoort de ander mijn naam", "ernstig gevaar"),
        ask(
            "waarheid: anoniem melden en de grenzen",
            "blijf ik anoniem als ik iets meld",
            "je naam niet in je melding",
            "minder uitzoeken",
        ),
        in_form_scenario(
            "anoniem",
            "/weet_niet",
            "naam staat niet in je melding",
            "waarheid: anoniem bij twijfel",
        ),
        ask("waarheid: wat is een misstand", "wat is een misstand", "maatschappelijk belang"),
        ask(
            "waarheid: meldpunt misstanden",
            "wat is het meldpunt misstanden",
            "maatschappelijk belang",
        ),
        ask(
            "waarheid: hoe gaat een klacht",
            "hoe werkt de klachtbehandeling",
            "niet verplicht",
            "directeur van de Politieacademie",
            "geen oordeel",
        ),
        ask(
            "waarheid: klacht of melding",
            "wat is het verschil tussen een klacht en een melding",
            "oordeel per punt",
        ),
        ask("waarheid: buddy is een plan", "wat is een buddy", "basisteam Rotterdam Centrum"),
        ask("waarheid: herstel", "heb ik recht op herstel", "Rotterdam Centrum"),
        ask(
            "waarheid: zorg na een incident",
            "waar kan ik terecht voor zorg na een heftig incident",
            "Team Collegiale Ondersteuning",
        ),
        ask(
            "waarheid: ombudsfunctionaris",
            "wat doet de ombudsfunctionaris",
            "vraag je het best daar zelf",
        ),
        ask(
            "waarheid: uitzonderingen voor de leidinggevende",
            "moet ik naar mijn leidinggevende",
            "Doxing",
            "chanteren",
            "Geweld dat je zelf gebruikte",
        ),
        ask(
            "waarheid: intrekken en toch verder",
            "kan ik mijn melding intrekken",
            "Soms gaat een loket toch verder",
        ),
        ask("waarheid: meldcode kwijt", "wat als ik mijn meldcode kwijt ben", "terugvinden"),
        simple("waarheid: kernwaarden", [("/onboarding", "onafhankelijk")]),
    ]


def leader_further_steps(chat: Chat) -> None:
    """Issue 12: a leader gets the handreiking's further steps as a button with the advice."""
    chat.say(
        "Ik ben teamchef en hoorde dat een medewerker in mijn team steeds wordt "
        "buitengesloten door de rest van de ploeg."
    ).expect("Dank je dat je dit vertelt")
    assert "/bevestig_categorie" in chat.payloads, chat.text
    intake(chat, "oost-brabant", "leidinggevende", "advies")
    assert "/leidinggevende_meer_stappen" in chat.payloads, chat.text
    chat.say("/leidinggevende_meer_stappen").expect("Team Veilig en Gezond Werken", "jezelf")


leader_further_steps.__name__ = "leidinggevende: meer stappen bij het advies"


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
            chat.say("/heb_meldcode").expect("20 letters")
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
        # --- woorden (issue #14.4): back with the meldcode as words, one word forgotten first
        with_words,
        *bewaarmelding_scenarios(url),
        *niet_alleen_scenarios(),
    ]


# --- bewaarmelding (issue 14.1, actions/bewaarmelding.py) ------------------------------


def store_only(chat: Chat) -> str:
    """Tell, answer, choose the vertrouwenspersoon and only store; return the meldcode."""
    tell(chat, "pesten", SITUATIES[5][1])
    intake(chat, "rotterdam", "betrokkene", "melden")
    send(chat, '/kies_loket{"gekozen_loket":"vertrouwenspersoon"}', "ja")
    chat.say("/bewaar_melding").expect("Je melding is bewaard", "meldcode", "vanzelf verwijderd")
    return next(line for line in chat.text.splitlines() if "meldcode:" in line).split(": ")[1]


def bewaarmelding_scenarios(url: str) -> list[Callable[[Chat], None]]:
    def scenario(spec: dict) -> Callable[[Chat], None]:
        def play(chat: Chat) -> None:
            if spec.get("bewaren_in_dit_gesprek"):
                store_only(chat)
            else:
                code = store_only(Chat(url))
                chat.say("/heb_meldcode").expect("20 letters")
                chat.say(code).expect("Dit is je bewaarde melding")
            for message, expect in spec["stappen"]:
                chat.say(message).expect(expect)

        play.__name__ = spec["naam"]
        return play

    return [scenario(spec) for spec in SCENARIOS.get("bewaarmelding", [])]


# --- Niet alleen (issue #15.1, docs/matching.md): naming the other person after sending ---
# Synthetic names and numbers only.
NIET_ALLEEN_JA = "/niet_alleen_ja"
NIET_ALLEEN_NAAM = '/inform{"niet_alleen_vorm":"naam"}'
NIET_ALLEEN_PNR = '/inform{"niet_alleen_vorm":"personeelsnummer"}'


def niet_alleen_scenarios() -> list[Callable[[Chat], None]]:
    def sent(chat: Chat) -> None:
        tell(chat, "pesten", SITUATIES[5][1])
        intake(chat, "rotterdam", "betrokkene", "melden")
        send(chat, '/kies_loket{"gekozen_loket":"vertrouwenspersoon"}', "ja")
        chat.say("/verstuur").expect("Je melding is verstuurd", "matching")
        assert NIET_ALLEEN_JA in chat.payloads, chat.payloads

    def met_naam(chat: Chat) -> None:
        sent(chat)
        chat.say(NIET_ALLEEN_JA).expect("alleen voor de matching", "Hoe wil je de persoon noemen?")
        chat.say(NIET_ALLEEN_NAAM).expect("voornaam")
        chat.say("Joost").expect("achternaam")
        chat.say("van Voorbeeldsma").expect("Bij welke eenheid")
        chat.say('/inform{"niet_alleen_eenheid":"rotterdam"}').expect("genoemd voor matching")
        chat.say("/goodbye")

    def met_personeelsnummer(chat: Chat) -> None:
        sent(chat)
        chat.say(NIET_ALLEEN_JA).expect("Hoe wil je de persoon noemen?")
        chat.say(NIET_ALLEEN_PNR).expect("personeelsnummer")
        chat.say("12").expect("Dat lijkt geen personeelsnummer")
        chat.say("1234567").expect("genoemd voor matching")

    def uitleg_en_nee(chat: Chat) -> None:
        sent(chat)
        chat.say("/niet_alleen_uitleg").expect("vertrouwenspersoon", "volgpagina")
        chat.say("/niet_alleen_nee").expect("Dat is goed")

    def toch_niet(chat: Chat) -> None:
        sent(chat)
        chat.say(NIET_ALLEEN_JA).expect("Hoe wil je de persoon noemen?")
        chat.say(NIET_ALLEEN_NAAM).expect("voornaam")
        chat.say("/niet_alleen_nee").expect("Dat is goed")

    plays = [
        ("niet alleen: de persoon noemen met naam en eenheid", met_naam),
        ("niet alleen: met personeelsnummer, eerst verkeerd getypt", met_personeelsnummer),
        ("niet alleen: wat is dit, dan liever niet", uitleg_en_nee),
        ("niet alleen: toch niet tijdens het formulier", toch_niet),
    ]
    for name, play in plays:
        play.__name__ = name
    return [play for _, play in plays]


# --- checkin: check-ins after a melding (docs/checkin.md) --------------------------------


def _date_back(meldcode: str, days: int) -> None:
    """Date the melding of ``meldcode`` back in the demo database (scripts/chat_client.py)."""
    database = Database(os.environ["MELDWIJZER_DEMO_DATABASE_URL"])
    sleutel = SLEUTEL_PREFIX + b64e(melder_keys(meldcode).sleutel)
    with database.session() as session:
        session.execute(
            update(Melding)
            .where(Melding.meldcode_hash == sleutel)
            .values(ontvangen_op=utcnow() - timedelta(days=days))
        )
    database.engine.dispose()


def checkin_scenarios(url: str) -> list[Callable[[Chat], None]]:
    """The melder comes back 40 days after a melding: the check-in question, then an answer."""

    def with_open_checkin(name: str, after: list[tuple[str, str]]) -> Callable[[Chat], None]:
        def play(chat: Chat) -> None:
            first = Chat(url)
            tell(first, "pesten", SITUATIES[5][1])
            intake(first, "rotterdam", "betrokkene", "steun")
            send(first, '/kies_loket{"gekozen_loket":"vertrouwenspersoon"}', "ja")
            first.say("/verstuur").expect("meldcode")
            code = next(line for line in first.text.splitlines() if "meldcode:" in line).split(
                ": "
            )[1]
            _date_back(code, 40)
            chat.say("/heb_meldcode").expect("20 letters")
            chat.say(code).expect("Je melding is binnen", "nadelige gevolgen in je werk?")
            for message, expect in after:
                chat.say(message).expect(expect)

        play.__name__ = name
        return play

    ja = '/checkin_antwoord{"checkin_antwoord": "ja"}'
    return [
        with_open_checkin(
            "check-in: ja met uitleg",
            [
                (ja, "beschermt de wet"),
                ("/checkin_vertel", "Typ wat je merkt"),
                ("Ik krijg sinds mijn melding alleen nachtdiensten.", "Dank je voor je antwoord"),
            ],
        ),
        with_open_checkin(
            "check-in: ja zonder uitleg",
            [(ja, "vertrouwenspersoon"), ("/checkin_zonder_tekst", "Dank je voor je antwoord")],
        ),
        with_open_checkin(
            "check-in: nee",
            [('/checkin_antwoord{"checkin_antwoord": "nee"}', "De volgende vraag komt op")],
        ),
        with_open_checkin("check-in: nu niet", [("/checkin_later", "later nog beantwoorden")]),
    ]


def with_words(chat: Chat) -> None:
    url = chat.url
    first = Chat(url)
    tell(first, "pesten", SITUATIES[5][1])
    intake(first, "rotterdam", "betrokkene", "melden")
    send(first, '/kies_loket{"gekozen_loket":"vertrouwenspersoon"}', "ja")
    first.say("/verstuur").expect("in woorden:", "Allebei werken")
    line = next(line for line in first.text.splitlines() if "in woorden:" in line)
    woorden = line.split(": ")[1].replace(" · ", " ").replace("-", " ").split()
    chat.say("/heb_meldcode").expect("10 woorden")
    chat.say(" ".join(woorden[:9])).expect("typte er 9")
    chat.say(", ".join(woorden).upper()).expect("Je melding is binnen")
    chat.say("/goodbye").expect("Zorg goed")


with_words.__name__ = "status bekijken met de meldcode in woorden"
# --- ontvangstbewijs (issue 14.2): after sending, the signed receipt as a download -------


def receipt_after_sending(chat: Chat) -> None:
    categorie, text, rol = SITUATIES[5]  # pesten
    tell(chat, categorie, text)
    intake(chat, "rotterdam", rol, "steun")
    send(chat, '/kies_loket{"gekozen_loket":"vertrouwenspersoon"}', "ja")
    chat.say("/verstuur").expect("Je melding is verstuurd", "Download dan je ontvangstbewijs")
    customs = [m.get("custom") for m in chat.last]
    receipts = [
        c["data"]["ontvangstbewijs"]
        for c in customs
        if isinstance(c, dict) and "ontvangstbewijs" in c.get("data", {})
    ]
    assert len(receipts) == 1 and receipts[0]["loket"] == "vertrouwenspersoon", chat.last
    chat.say("/goodbye")


receipt_after_sending.__name__ = "ontvangstbewijs na versturen"


def privacy_scenario(spec: dict[str, Any]) -> Callable[[Chat], None]:
    """Issue 15.2: an anonymous story with names or numbers; the melder chooses per word."""

    def play(chat: Chat) -> None:
        tell(chat, "privacycheck", spec["verhaal"])
        intake(chat, "rotterdam", "betrokkene", "steun")
        chat.say('/kies_loket{"gekozen_loket":"vertrouwenspersoon"}')
        answers = {"sinds_wanneer": "maanden", "anoniem": "ja", "toestemming_doorsturen": "nee"}
        for _ in range(4):
            if "Je wilt anoniem blijven" in chat.text:
                break
            slot = asked_slot(chat)
            assert slot in answers, (slot, chat.text)
            chat.say(inform(slot, answers[slot]))
        chat.expect("wie je bent, of wie het is", *spec["woorden"])
        for keuze in spec["keuzes"]:
            chat.say(f'/privacy_keuze{{"privacy_keuze":"{keuze}"}}')
        chat.expect("Dit is je melding", *spec["in_melding"])
        chat.say("/verstuur").expect("Je melding is verstuurd", "meldcode")

    play.__name__ = spec["naam"]
    return play
