"""Reading the routing data files (routeboekje, termijnen) with errors that name the file."""

from __future__ import annotations

from pathlib import Path

import yaml


def read_mapping(path: Path, error: type[Exception], what: str = "a mapping") -> dict:  # type: ignore[type-arg]
    """The YAML mapping in ``path``; ``error`` (with the path and the reason) otherwise."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read file: {exc}") from exc
    except yaml.YAMLError as exc:
        raise error(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise error(f"{path}: top level must be {what}")
    return raw
