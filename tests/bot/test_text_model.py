"""bot/text_model.py: the stored model gives exactly the probabilities of the fitted one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.text_model import DEFAULTS, MAX_CLASSIFIED_CHARS, TextModel, fit_text_model
from bot.text_normalisation import normalise, word_count

TEXTS = {
    "pesten": ["ze lachen me uit", "mijn ploeg pest me", "ze verstoppen mijn spullen"],
    "privacy": ["mijn dossier is ingezien", "mijn medische gegevens gedeeld", "adres verspreid"],
    "greet": ["hallo", "goedemorgen", "hoi daar"],
}


def _model() -> TextModel:
    texts = [t for ts in TEXTS.values() for t in ts]
    labels = [label for label, ts in TEXTS.items() for _ in ts]
    return fit_text_model({**DEFAULTS, "min_df": 1}, texts, labels)


def test_saved_and_loaded_model_gives_the_same_probabilities(tmp_path: Path) -> None:
    model = _model()
    model.save(tmp_path, "m")
    loaded = TextModel.load(tmp_path, "m")
    probe = ["mn ploeg lacht me uit", "hallo daar", "iets heel anders"]
    assert loaded.classes == model.classes
    assert np.allclose(loaded.probabilities(probe), model.probabilities(probe))
    assert loaded.known_trigram_share("ze lachen") == model.known_trigram_share("ze lachen")
    # Plain data only: no pickle inside the arrays, readable settings beside them.
    with np.load(tmp_path / "m.npz", allow_pickle=False) as arrays:
        assert arrays["coef"].dtype == np.float32
    assert json.loads((tmp_path / "m.json").read_text())["classes"] == model.classes


def test_missing_or_mismatched_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        TextModel.load(tmp_path, "nothing")
    model = _model()
    model.save(tmp_path, "m")
    meta = json.loads((tmp_path / "m.json").read_text())
    meta["classes"] = meta["classes"][:2]
    (tmp_path / "m.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError):
        TextModel.load(tmp_path, "m")


def test_normalisation_writes_shorthand_out_and_adds_concepts() -> None:
    text = normalise("Mn TC noemt me de bruine 😡")
    assert text.startswith("mijn teamchef noemt me de bruine")
    assert "lexherkomst" in text
    assert word_count("😡😡 ik ben zo boos op mn tc") == 7
    assert normalise("/inform{}") == "/inform{}"


def test_a_pasted_megabyte_is_read_as_its_first_part() -> None:
    """A very long message is classified on its first characters (one pasted megabyte
    kept the Rasa server busy for 15 s): the rest cannot change the answer."""
    model = _model()
    story = "ze lachen me uit en mijn ploeg pest me elke dienst. "
    head = (story * 200)[:MAX_CLASSIFIED_CHARS]
    pasted = head + "mijn medische gegevens gedeeld, adres verspreid. " * 21_000
    assert len(pasted) > 1_000_000
    assert np.array_equal(model.probabilities([pasted]), model.probabilities([head]))
    assert model.known_trigram_share(pasted) == model.known_trigram_share(head)
    assert model.classes[int(model.probabilities([pasted]).argmax())] == "pesten"
