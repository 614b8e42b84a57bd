"""Key files outside the database: written once, never overwritten (stdlib only)."""

from __future__ import annotations

import os
from pathlib import Path


def write_once(path: Path, text: str) -> bool:
    """Create ``path`` (mode 0600, its folder 0700) holding ``text`` and sync it to disk;
    False, touching nothing, when the file already exists. Several workers may race:
    exactly one creates the file, the others read the winner's."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text + "\n")
        f.flush()
        os.fsync(f.fileno())
    return True
