"""Each kind of melder its own path (issue 11, point 3).

The guidance comes first, as soon as the bot knows who the melder is (from the story
or from the answer to "Wie ben jij in dit verhaal?"), not after all the questions:

* a **leader** gets the steps of the handreiking "Wat te doen bij een signaal van
  uitsluiting, discriminatie of racisme?" [004:1185-1212, 1349-1361], fitted to the
  situation's group, and may then still get the routing advice or send a melding;
* a **bystander** hears "van omstander naar opstander" and later chooses between
  supporting the colleague, reporting, or talking first (persona-specific answers to
  the wens question, :data:`WENS_OPTIONS`);
* an **aspirant** hears that a vertrouwenspersoon outside the team is always possible
  [002:1618; 000:548-549]; the routing keeps the assessor out of the first advice;
  and (issue 12) that fear for the beoordeling is understood, that they need not go
  to the begeleider, docent or LOP first, and that being disadvantaged after a
  melding can be reported too [002:1610; 000:563-566; 003:476-481; 004:1011];
* a **leader** gets a button with the advice for the handreiking's further steps
  (UDR on the team agenda, Team VGW, geestelijk verzorger, support for themselves).

The texts live in ``bot/texts.yml`` (``gids_*``, ``stap_*``).
"""

from __future__ import annotations

from actions.base import Dispatcher, button
from actions.routeboekje_data import categorie_groep
from actions.texts import say, text

# Handreiking steps for leaders, by the group of the situation; at most four are shown.
STAP_LUISTER = text("stap_luister")
STAP_VP = text("stap_vp")
STAP_UDR = text("stap_udr")
STAP_VIK = text("stap_vik")
STAP_TEAM = text("stap_team")
STAP_ZORG = text("stap_zorg")
STAP_ZELF = text("stap_zelf")

STAPPEN: dict[str, list[str]] = {
    "udr": [STAP_LUISTER, STAP_VP, STAP_UDR, STAP_VIK],
    "omgang": [STAP_LUISTER, STAP_VP, STAP_VIK, STAP_ZELF],
    "integriteit": [STAP_LUISTER, STAP_VIK, STAP_VP, STAP_ZELF],
    "procedure": [STAP_LUISTER, STAP_VP, STAP_VIK, STAP_ZELF],
    "werkgever": [STAP_LUISTER, STAP_VP, STAP_ZELF],
    "team": [STAP_LUISTER, STAP_TEAM, STAP_VP, STAP_ZELF],
    "zorg": [STAP_LUISTER, STAP_ZORG, STAP_ZELF],
}

# The wens question in the words of each persona; the values stay the routing's codes.
WENS_OPTIONS: dict[str, list[tuple[str, str]]] = {
    "omstander": [
        ("advies", "Mijn collega steunen: wat kan ik doen?"),
        ("melden", "Melden wat ik zag"),
        ("steun", "Eerst zelf met iemand praten"),
        ("weet_niet", "Weet ik nog niet"),
    ],
    "leidinggevende": [
        ("advies", "Advies: hoe pak ik dit aan?"),
        ("melden", "Het melden, zodat er iets mee gebeurt"),
        ("steun", "Steun voor mezelf"),
        ("weet_niet", "Weet ik nog niet"),
    ],
}


def leader_steps(categorie: str | None) -> str:
    steps = STAPPEN.get(categorie_groep(categorie or ""), STAPPEN["omgang"])
    return "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1))


def utter_guidance(
    dispatcher: Dispatcher,
    rol_melder: str | None,
    categorie: str | None,
    rol_ander: str | None = None,
) -> None:
    """The guidance for this melder, if their role has one.

    An aspirant also hears about their own routes (issue 12) unless the story already
    said the other is not a begeleider or docent: the one who assesses them has power
    over them [002:1610]; they need not go to that person or the LOP first.
    """
    if rol_melder == "leidinggevende":
        say(dispatcher, "gids_leidinggevende", stappen=leader_steps(categorie))
    elif rol_melder == "omstander":
        say(dispatcher, "gids_omstander")
    elif rol_melder == "aspirant":
        say(dispatcher, "gids_aspirant")
        if rol_ander in (None, "begeleider", "weet_niet"):
            say(dispatcher, "gids_aspirant_beoordeling")


# Issue 12: the leader's further steps of the handreiking, as a button with the advice.
MEER_STAPPEN = button("Meer stappen voor leidinggevenden", "/leidinggevende_meer_stappen")


def advice_buttons(rol_melder: str | None) -> list[dict[str, str]]:
    """Buttons of the melder's own path to show with the routing advice."""
    return [MEER_STAPPEN] if rol_melder == "leidinggevende" else []
