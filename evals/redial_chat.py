"""The ReDial benchmark through the chat path: a thin adapter, no model of its own.

Each seeker message goes through exactly what a chat turn of the offline default does —
:func:`tastebud.nlu.parse_turn` (with the learned polarity model), the dialogue policy's
:func:`~tastebud.agent.policy.plan_turn`, :meth:`~tastebud.tools.Toolkit.update_profile`
for a fresh benchmark user — and at a target the recommendation is
:meth:`~tastebud.tools.Toolkit.recommend` with the policy's arguments and the conversation so
far: the very call the page makes. Recommender messages join the conversation as the
assistant's. So any gain measured here is a gain on the page.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from tastebud.conversation import Conversation
from tastebud.tools.artifacts import RecommendationsArtifact

from .redial_bench import RedialSystem

__all__ = ["ChatSystem"]


class ChatSystem(RedialSystem):
    """tastebud's chat turn as a ReDial system.

    Args:
        services: :class:`tastebud.services.Services` (its profile store holds the benchmark users).
        catalog: Catalog name (``redial``).
    """

    def __init__(self, services: Any, catalog: str = "redial") -> None:
        from tastebud.tools import Toolkit

        self.services = services
        self.toolkit = Toolkit(services, catalog)
        self.linker = services.linker(catalog)
        self.polarity = services.polarity()
        self.run_id = uuid.uuid4().hex[:8]
        self.count = 0
        self.reset()

    def reset(self) -> None:
        """A new dialogue: a new user with an empty profile, an empty conversation."""
        self.count += 1
        self.user = f"redial-{self.run_id}-{self.count}"
        self.conversation = Conversation()
        self.last: list[str] = []
        self.args: dict = {}

    def observe(self, role: str, text: str) -> None:
        """A seeker message is a chat turn (parse, plan, profile edits); a recommender's joins
        the conversation and is the list "the second one" points into."""
        from tastebud.agent.policy import plan_turn
        from tastebud.nlu import parse_turn

        if role == "seeker":
            parse = parse_turn(text, self.linker, last_recommendations=self.last, polarity_model=self.polarity,
                               has_profile=bool(self.args))
            plan = plan_turn(parse, self.last)
            edits = [e for e in plan.edits if e.get("action") != "undo"]
            if edits:
                self.toolkit.update_profile(self.user, edits, "redial", thread_id="t")
            if plan.action and plan.action[0] == "recommend":
                self.args = {k: v for k, v in plan.action[1].items() if k in ("query", "like")}
        else:
            self.last = self.toolkit.linked_ids(text)
        self.conversation.add("user" if role == "seeker" else "assistant", text)

    def rank(self, exclude: Sequence[str], n: int) -> list[str]:
        """The page's recommend call, asked for ``n`` items."""
        _, art = self.toolkit.recommend(self.user, n=n, exclude=exclude, record=False, thread_id="t",
                                        conversation=self.conversation, **self.args)
        return [d.item_id for d in RecommendationsArtifact.model_validate(art).items]
