"""Training-data importer that knows about retrieval intents when reading rules.

Rasa 3.6 adds every retrieval intent of the NLU data (our ``faq``) to the domain
itself (``ResponsesSyncImporter``). Declaring ``faq`` in the domain as well makes
that merge warn "duplicated intents ... faq"; *not* declaring it makes the rule
reader warn "intent 'faq' ... not part of the domain", because rules are read
against the bare domain files. This importer reads the rules against the domain
plus the retrieval intents, so the domain files can leave ``faq`` out and
``rasa data validate`` is clean.

One training run reads the NLU files five times (validation, fingerprinting, the NLU
and the core graph each make their own importer), and parsing ~7000 examples takes
about 4 s each time. The parsed data is kept per process, keyed by the files' paths,
sizes and modification times, and each caller gets its own deep copy (0.5 s).
Everything else is the stock file importer.
"""

from __future__ import annotations

import copy
import os

from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.structures import StoryGraph
from rasa.shared.importers import utils
from rasa.shared.importers.rasa import RasaFileImporter
from rasa.shared.nlu.training_data.training_data import TrainingData

# (files with size and mtime, language) -> parsed NLU data, for this process.
_NLU_CACHE: dict[tuple[object, ...], TrainingData] = {}


class RetrievalAwareImporter(RasaFileImporter):
    """``RasaFileImporter`` whose stories and rules see the retrieval intents."""

    def _domain_with_retrieval_intents(self) -> Domain:
        domain = self.get_domain()
        retrieval = sorted(self.get_nlu_data().retrieval_intents)
        missing = [intent for intent in retrieval if intent not in domain.intents]
        if not missing:
            return domain
        extra = Domain.from_dict(
            {"intents": [{intent: {"is_retrieval_intent": True}} for intent in missing]}
        )
        return domain.merge(extra)

    def get_nlu_data(self, language: str | None = "en") -> TrainingData:
        key = (language, *((f, *_stamp(f)) for f in sorted(self._nlu_files)))
        if key not in _NLU_CACHE:
            _NLU_CACHE.clear()
            _NLU_CACHE[key] = super().get_nlu_data(language)
        return copy.deepcopy(_NLU_CACHE[key])

    def get_stories(self, exclusion_percentage: int | None = None) -> StoryGraph:
        return utils.story_graph_from_paths(
            self._story_files, self._domain_with_retrieval_intents(), exclusion_percentage
        )

    def get_conversation_tests(self) -> StoryGraph:
        return utils.story_graph_from_paths(
            self._conversation_test_files, self._domain_with_retrieval_intents()
        )


def _stamp(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns
