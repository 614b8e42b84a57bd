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
import os
import secrets
import sys
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.chat_client import Chat, demo_system  # noqa: E402
from scripts.story_scenarios import (  # noqa: E402
    checkin_scenarios,
    follow_up_scenarios,
    scenarios,
)

OUT = ROOT / "tests" / "stories" / "test_conversations.yml"


def main() -> None:
    stories = []
    # The Rasa HTTP API answers only with its token (scripts/services.py).
    token = os.environ.setdefault("MELDWIJZER_RASA_TOKEN", secrets.token_urlsafe(24))
    with demo_system() as url:
        rasa_url = url.removesuffix("/webhooks/rest/webhook")
        plays = itertools.chain(scenarios(), follow_up_scenarios(url), checkin_scenarios(url))
        for number, play in enumerate(plays, 1):
            chat = Chat(url)
            play(chat)
            story_url = f"{rasa_url}/conversations/{chat.sender}/story?token={token}"
            story_yaml = httpx.get(story_url, timeout=60).text
            for story in yaml.safe_load(story_yaml)["stories"]:
                story["story"] = f"{number:02d} {play.__name__}"
                stories.append(story)
            print(f"recorded {number:02d} {play.__name__}")
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
