"""The fixed texts of the action server live in bot/texts.yml, and only there."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from actions.follow_up import STATUS_TEKST
from actions.questions import QUESTIONS
from actions.texts import texts

ACTIONS = Path(__file__).resolve().parents[2] / "actions"
SOURCES = {path.name: path.read_text(encoding="utf-8") for path in sorted(ACTIONS.glob("*.py"))}


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def _keys(node: ast.AST) -> set[str]:
    """ "key", or both keys of ``"a" if ... else "b"``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _keys(node.body) | _keys(node.orelse)
    return set()


def _key_argument(call: ast.Call) -> ast.AST | None:
    """The key of ``say(dispatcher, "key", ...)`` or ``text("key", ...)``."""
    name = call.func.id if isinstance(call.func, ast.Name) else None
    position = {"say": 1, "text": 0}.get(name or "")
    if position is None or len(call.args) <= position:
        return None
    return call.args[position]


def _keys_said() -> set[str]:
    keys: set[str] = set()
    for source in SOURCES.values():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and (argument := _key_argument(node)) is not None:
                keys |= _keys(argument)
    return keys | set(QUESTIONS.values()) | set(STATUS_TEKST.values())


def test_every_text_is_used_by_an_action() -> None:
    literals: set[str] = set()
    for source in SOURCES.values():
        literals |= _strings(ast.parse(source))
    dead = sorted(set(texts()) - literals)
    assert dead == [], f"texts in bot/texts.yml no action says: {dead}"


def test_every_key_an_action_says_exists() -> None:
    missing = sorted(_keys_said() - set(texts()))
    assert missing == [], f"keys said in actions/ but missing from bot/texts.yml: {missing}"


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_no_literal_message_text_in_actions(name: str) -> None:
    literal = re.compile(r"utter_message\(\s*text\s*=\s*[rbuf]*[\"']")
    assert not literal.search(SOURCES[name]), f"{name}: say(dispatcher, key) instead"


def test_placeholders_are_plain_names() -> None:
    for key, value in texts().items():
        for field in re.findall(r"\{([^}]*)\}", value):
            assert field.isidentifier(), f"{key}: {{{field}}}"
