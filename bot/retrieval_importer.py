"""Training-data importer that knows about retrieval intents when reading rules.

Rasa 3.6 adds every retrieval intent of the NLU data (our ``faq``) to the domain
itself (``ResponsesSyncImporter``). Declaring ``faq`` in the domain as well makes
that merge warn "duplicated intents ... faq"; *not* declaring it makes the rule
reader warn "intent 'faq' ... not part of the domain", because rules are read
against the bare domain files. This importer reads the rules against the domain
plus the retrieval intents, so the domain files can leave ``faq`` out and
``rasa data validate`` is clean. Everything else is the stock file importer.
"""

from __future__ import annotations

from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.structures import StoryGraph
from rasa.shared.importers import utils
from rasa.shared.importers.rasa import RasaFileImporter


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

    def get_stories(self, exclusion_percentage: int | None = None) -> StoryGraph:
        return utils.story_graph_from_paths(
            self._story_files, self._domain_with_retrieval_intents(), exclusion_percentage
        )

    def get_conversation_tests(self) -> StoryGraph:
        return utils.story_graph_from_paths(
            self._conversation_test_files, self._domain_with_retrieval_intents()
        )
