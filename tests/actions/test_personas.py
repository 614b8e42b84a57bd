"""Each kind of melder its own guidance (actions/personas.py)."""

from __future__ import annotations

from actions.personas import STAP_VP, utter_guidance


def test_persona_guidance() -> None:
    from rasa_sdk.executor import CollectingDispatcher

    def said(rol: str | None, categorie: str = "pesten") -> list[str]:
        dispatcher = CollectingDispatcher()
        utter_guidance(dispatcher, rol, categorie)
        return [m["text"] for m in dispatcher.messages]

    leader = said("leidinggevende")
    assert len(leader) == 1 and STAP_VP in leader[0] and "leidinggevende" in leader[0]
    assert "opstander" in said("omstander")[0]
    assert "buiten je team" in said("aspirant")[0]
    assert said("betrokkene") == [] and said(None) == []
