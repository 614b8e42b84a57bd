"""The follow-up page (web/src/meldcode_woorden.js) and Python (envelope/meldcode_woorden.py)
read and write the same words for the same meldcode, from the same list file."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from envelope.meldcode import MeldcodeFormatError, new_meldcode, normalize_meldcode
from envelope.meldcode_woorden import (
    UnknownMeldwoordError,
    WordCountError,
    format_words,
    looks_like_words,
    meldcode_to_words,
)

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")

RUNNER = """
import { readFileSync } from "node:fs";
import { maakWoorden } from "./meldcode_woorden.mjs";
const [lijstPad, invoerPad] = process.argv.slice(2);
const woorden = maakWoorden(readFileSync(lijstPad, "utf8"));
const invoer = JSON.parse(readFileSync(invoerPad, "utf8"));
console.log(JSON.stringify({
  codes: invoer.codes.map((c) => [woorden.naarWoorden(c), woorden.toonWoorden(c)]),
  typed: invoer.typed.map((t) => [woorden.lijktWoorden(t), woorden.leesWoorden(t)]),
}));
"""


def python_reading(text: str) -> tuple[bool, dict[str, object]]:
    if not looks_like_words(text):
        return False, {}
    try:
        return True, {"code": normalize_meldcode(text)}
    except UnknownMeldwoordError as error:
        fout = {"soort": "woord", "positie": error.positie, "woord": error.woord}
        return True, {"fout": {**fout, "suggestie": error.suggestie}}
    except WordCountError as error:
        return True, {"fout": {"soort": "aantal", "aantal": error.aantal}}
    except MeldcodeFormatError:
        return True, {"fout": {"soort": "vorm"}}


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_javascript_and_python_agree(tmp_path: Path) -> None:
    codes = ["0" * 20, "Z" * 20, "0123456789ABCDEFGHJK"]
    codes += [normalize_meldcode(new_meldcode()) for _ in range(50)]
    words = meldcode_to_words(codes[-1])
    typo = [*words[:2], "qqqqq", *words[3:]]
    one_letter = ["zwembad"] * 9 + ["zwenbad"]
    typed = [
        format_words(codes[-1]),
        " ".join(words).upper(),
        " ".join(w[:4] for w in words),
        "\n".join(w.capitalize() + "." for w in words),
        " ".join(w[0] + w[1:].replace("e", "é", 1) for w in words),
        " ".join(typo),
        " ".join(one_letter),
        " ".join(words[:9]),
        "ABCD-EFGH-JKMN-PQRS-TVW",
        "7KQ4 zwembad",
        "",
        "ik weet mijn code niet meer",
    ]
    (tmp_path / "meldcode_woorden.mjs").write_text(
        (ROOT / "web" / "src" / "meldcode_woorden.js").read_text(encoding="utf-8")
    )
    (tmp_path / "runner.mjs").write_text(RUNNER)
    (tmp_path / "invoer.json").write_text(json.dumps({"codes": codes, "typed": typed}))
    assert NODE is not None
    out = subprocess.run(
        [NODE, "runner.mjs", str(ROOT / "envelope" / "woordenlijst.txt"), "invoer.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    for code, (js_words, js_shown) in zip(codes, result["codes"], strict=True):
        assert js_words == meldcode_to_words(code)
        assert js_shown == format_words(code)
    for text, (js_looks, js_read) in zip(typed, result["typed"], strict=True):
        py_looks, py_read = python_reading(text)
        assert js_looks == py_looks, text
        if py_looks:
            assert js_read == py_read, text
    # The vectors really test something: a good reading, a bad word, a wrong count.
    assert result["typed"][0][1] == {"code": codes[-1]}
    assert result["typed"][5][1]["fout"]["positie"] == 3
    assert result["typed"][6][1]["fout"]["suggestie"] == "zwembad"
    assert result["typed"][7][1]["fout"] == {"soort": "aantal", "aantal": 9}
    assert result["typed"][-1] == [True, {"fout": {"soort": "vorm"}}]
