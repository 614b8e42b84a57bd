"""A melder talks to the real trained model; the loket decrypts exactly what was typed."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.canaries import canary as make_canary

from .conftest import Melder, RunningSystem

pytestmark = pytest.mark.e2e


def canary() -> str:
    return make_canary("CANARY", 12)


def answer_intake(melder: Melder) -> None:
    """Answer the questions the story left open, mostly with buttons, one typed answer."""
    melder.click('"eenheid": "rotterdam"')
    for slot, value in (("rol_melder", "betrokkene"), ("rol_ander", "collega")):
        if any(f'"{slot}"' in p for p in melder.buttons):
            melder.click(f'"{slot}": "{value}"')
    assert "al eens gemeld" in melder.text
    melder.say("nee, nog niet")  # typed instead of a button
    melder.click('"wens": "steun"')


def answer_melding_questions(melder: Melder) -> None:
    """After choosing a loket: only what the melding still needs."""
    assert "Sinds wanneer" not in melder.text  # the story said "al maanden"
    assert "anoniem" in melder.text.lower()
    melder.click('"anoniem": "ja"')
    assert "doorsturen" in melder.text
    melder.say("nee")  # typed: only the loket I choose


def test_full_conversation_delivers_a_sealed_melding(
    running: RunningSystem, melder: Melder
) -> None:
    secret = canary()
    story = (
        "Mijn collega's in de ploeg lachen me al maanden uit bij de briefing "
        f"en maken me belachelijk in de app-groep. {secret}"
    )

    melder.say("/greet")
    assert "zonder dat jij dat zegt" in melder.text
    assert "/alleen_informatie" in melder.buttons
    melder.click("/wil_vertellen")
    assert "eigen woorden" in melder.text

    melder.say(story)
    assert "Dank je dat je dit vertelt" in melder.text
    assert "pesten" in melder.text and "Klopt dat?" in melder.text
    assert "al maanden speelt" in melder.text  # understood from the story, not asked
    melder.click("/bevestig_categorie")
    assert "Bij welke eenheid werk je?" in melder.text
    assert len([p for p in melder.buttons if p.startswith("/inform")]) == 14

    answer_intake(melder)
    assert "Jij kiest" in melder.text
    assert melder.text.index("Vertrouwenspersoon") < melder.text.index("Wat wil je doen?")
    assert "/alleen_informatie" in melder.buttons
    melder.click('"gekozen_loket":"vertrouwenspersoon"')
    answer_melding_questions(melder)
    assert secret in melder.text and "Rotterdam" in melder.text
    assert "Een paar maanden" in melder.text

    # Correct one answer before sending: the advice is renewed, then only that is asked.
    melder.click("/aanpassen")
    melder.click('"veld":"sinds_wanneer"')
    melder.click('"gekozen_loket":"vertrouwenspersoon"')
    assert "Sinds wanneer" in melder.text
    melder.click('"sinds_wanneer": "jaar_of_langer"')
    assert "Een jaar of langer" in melder.text

    melder.click("/verstuur")
    assert "Je melding is verstuurd" in melder.text
    meldcode = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", melder.text)
    assert meldcode, melder.text
    # A vertrouwenspersoon has no legal term: no dates promised, and what does happen.
    assert "7 dagen" not in melder.text and "3 maanden" not in melder.text
    assert "geen vaste termijn" in melder.text and "meldcode" in melder.text

    # The loket opens it with its private key and finds exactly what was typed.
    result = running.admin(
        "meldingen",
        "open",
        "vertrouwenspersoon",
        "rotterdam",
        "--passphrase-file",
        str(running.passphrase_file),
    )
    assert result.returncode == 0, result.stderr
    meldingen = [json.loads(line) for line in result.stdout.splitlines() if secret in line]
    assert len(meldingen) == 1
    melding = meldingen[0]
    assert melding["beschrijving"] == story
    assert melding["categorie"] == "pesten"
    assert melding["sinds_wanneer"] == "jaar_of_langer"
    assert melding["anoniem"] is True and melding["loket"] == "vertrouwenspersoon"
    assert melding["toestemming_doorsturen"] is False

    # Nothing readable on disk: not in the database, not in any log.
    db_path = Path(running.config.database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in [*db_path.parent.glob(db_path.name + "*"), *running.config.log_dir.glob("*")]:
        data = path.read_bytes()
        assert secret.encode() not in data, f"canary in clear in {path.name}"
        assert meldcode.group(0).encode() not in data, f"meldcode in clear in {path.name}"


def send(melder: Melder, story: str, loket: str) -> str:
    """Tell, answer by button, choose ``loket`` and send; return what the bot said."""
    melder.say("/greet")
    melder.click("/wil_vertellen")
    melder.tell(story)
    melder.answer_questions()
    melder.choose_loket(loket)
    melder.click("/verstuur")
    assert "Je melding is verstuurd" in melder.text, melder.text
    return melder.text


def test_the_clock_differs_per_route(running: RunningSystem, melder: Melder) -> None:
    # The Landelijk Meldpunt Misstanden: the legal term, with both dates and the law named.
    said = send(
        melder,
        "Op mijn afdeling wordt al jaren stelselmatig met bewijs gesjoemeld, met "
        "medeweten van de leiding. Dit is een misstand die veel burgers raakt.",
        "meldpunt_misstanden",
    )
    assert "Wet bescherming klokkenluiders" in said
    assert "7 dagen" in said and "3 maanden" in said
    dates = re.findall(r"uiterlijk (\d{1,2} [a-z]+ \d{4})", said)
    assert len(dates) == 2, said

    # VIK with the demo afspraak (scripts/demo_termijnen.yaml): an afspraak, not law.
    other = Melder(running.config.rasa_url)
    said = send(
        other,
        "Een collega zoekt voor zichzelf mensen op in de politiesystemen, ook zijn ex.",
        "vik",
    )
    assert "afspraak" in said and "geen wettelijke termijn" in said
    assert "klokkenluiders" not in said and "uiterlijk" in said


def test_alleen_informatie_sends_nothing(running: RunningSystem, melder: Melder) -> None:
    before = running.admin("meldingen", "list", "vertrouwenspersoon", "rotterdam").stdout
    melder.say("/greet")
    melder.say("ik wil alleen informatie, nog niets melden")
    assert "niets verstuurd" in melder.text
    assert "Vertrouwenspersoon" in melder.text and "VIK" in melder.text
    after = running.admin("meldingen", "list", "vertrouwenspersoon", "rotterdam").stdout
    assert before == after


def test_stop_in_the_middle_of_the_questions(melder: Melder) -> None:
    melder.say(
        "Mijn teamchef schreeuwt tegen me en dreigt dat ik mijn baan kwijtraak als ik iets zeg."
    )
    melder.say("ja")  # typed instead of the button
    assert "Bij welke eenheid" in melder.text
    melder.say("stop")
    assert "we stoppen" in melder.text and "niets verstuurd" in melder.text
    melder.say("/greet")
    assert "Welkom" in melder.text or "welkom" in melder.text


def test_crisis_from_inside_the_form_goes_to_noodhulp(melder: Melder) -> None:
    melder.tell("Een collega raakt me steeds aan en maakt opmerkingen over mijn lichaam.")
    melder.click('"eenheid": "rotterdam"')
    melder.say("ik wil niet meer leven")
    assert "112" in melder.text and "113" in melder.text


def test_wrong_category_can_be_chosen_with_buttons(melder: Melder) -> None:
    melder.say(
        "Sinds ik de melding deed word ik overal buiten gehouden en krijg ik de slechtste diensten."
    )
    if "/kies_andere_categorie" not in melder.buttons:
        melder.click("/aanpassen")  # "Klopt"/"Aanpassen": the situation is one of the fields
    melder.click("/kies_andere_categorie")
    assert len([p for p in melder.buttons if "kies_categorie" in p]) == 19
    melder.click('"categorie":"represailles"')
    assert "Bij welke eenheid" in melder.text


def test_model_parse_recognises_a_veiled_description(running: RunningSystem) -> None:
    response = httpx.post(
        running.config.rasa_api("/model/parse"),
        json={"text": "ze gaan altijd samen lunchen en ik word nooit gevraagd, ik pas er niet bij"},
        timeout=30,
    )
    assert response.json()["intent"]["name"] == "situatie_uitsluiting"


def send_quick_melding(melder: Melder, story: str) -> str:
    """A complete melding by buttons; returns the meldcode."""
    melder.tell(story)
    answer_intake(melder)
    melder.click('"gekozen_loket":"vertrouwenspersoon"')
    for slot, value in (("sinds_wanneer", "maanden"), ("anoniem", "ja")):
        if any(f'"{slot}"' in p for p in melder.buttons):
            melder.click(f'"{slot}": "{value}"')
    melder.click('"toestemming_doorsturen": "nee"')
    melder.click("/verstuur")
    meldcode = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", melder.text)
    assert meldcode, melder.text
    return meldcode.group(0)


def test_follow_up_with_the_meldcode_in_a_new_conversation(running: RunningSystem) -> None:
    first = Melder(running.config.rasa_url)
    code = send_quick_melding(
        first, "Een collega maakt steeds grappen over mijn geloof tijdens de briefing."
    )
    later = Melder(running.config.rasa_url)  # another day, another device
    later.say("/greet")
    later.click("/heb_meldcode")
    assert "20 letters en cijfers" in later.text
    later.say(code.lower().replace("-", " "))
    assert "Je melding is binnen" in later.text
    # The vertrouwenspersoon has no term: no dates, and it says what does happen.
    assert "uiterlijk" not in later.text.lower()
    assert "geen vaste termijn" in later.text and "bericht" in later.text
    later.click('"bericht_soort":"aanvulling"')
    later.say("Het gebeurde ook vorige week in de app-groep.")
    assert "versleuteld naar het loket" in later.text
    later.click("/melder_intrekken")
    later.click("/melder_intrekken_bevestigd")
    assert "ingetrokken" in later.text
    later.say("/heb_meldcode")
    assert "Je hebt deze melding ingetrokken" in later.text


def test_wrong_meldcode_is_explained_kindly(melder: Melder) -> None:
    melder.say("/heb_meldcode")
    melder.say("1234")
    assert "20 letters en cijfers" in melder.text
    melder.say("ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert "geen melding bij deze meldcode" in melder.text


def test_routeboekje_question_gets_an_answer(melder: Melder) -> None:
    melder.say("wat doet een vertrouwenspersoon eigenlijk?")
    assert "vertrouwenspersoon" in melder.text.lower()
    assert "luistert" in melder.text


def test_onboarding_walks_through_the_routeboekje(melder: Melder) -> None:
    melder.say("/onboarding")
    assert "Integer" in melder.text and "Verbindend" in melder.text
    melder.click('"stap":"2"')
    assert "Waar kun je terecht?" in melder.text
    melder.click('"stap":"3"')
    assert "begeleider" in melder.text


def test_fallback_invites_the_story_then_offers_the_menu(melder: Melder) -> None:
    melder.say("xq zzv blorp")
    assert "eigen woorden" in melder.text and len(melder.buttons) >= 2
    melder.say("qqq www eee")
    assert "Kies hieronder wat het best past" in melder.text
    assert "/stop" in melder.buttons


def test_stop_forgets_the_conversation_on_the_server(
    running: RunningSystem, melder: Melder
) -> None:
    secret = canary()
    melder.say(f"Mijn OE schreeuwt elke dienst tegen mij waar iedereen bij is. {secret}")
    tracker_url = running.config.rasa_api(f"/conversations/{melder.sender}/tracker")
    assert secret in httpx.get(tracker_url, timeout=30).text
    melder.say("/stop")
    assert secret not in httpx.get(tracker_url, timeout=30).text
