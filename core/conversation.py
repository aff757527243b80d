"""The conversation so far, as the one recommender reads it (page, CLI, tools and benchmark).

A :class:`Conversation` is the list of ``(role, text)`` messages (``user`` / ``assistant``,
titles written out). The page builds it from the chat thread, the ReDial benchmark from the
dialogue's messages; both hand it to :meth:`tastebud.tools.Toolkit.recommend`, which asks the
catalog's dialogue model (where one is trained) what a recommender would name next, and
blends that with the profile-based hybrid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Conversation", "MENTION_DECAY", "conversation_from_messages"]

#: Each later message multiplies a mentioned title's weight by this (as the dialogue model was trained).
MENTION_DECAY = 0.8
_MAX_MESSAGES = 40


@dataclass
class Conversation:
    """Messages of one conversation, oldest first.

    Attributes:
        history: ``(role, text)`` pairs, role ``user`` or ``assistant``.
    """

    history: list[tuple[str, str]] = field(default_factory=list)

    def add(self, role: str, text: str) -> None:
        """Append a message (empty ones are skipped)."""
        if (text or "").strip():
            self.history.append((role, text))

    def mentioned(self, link: Any, disliked: Iterable[str] = (), roles: Iterable[str] = ("user", "assistant")
                  ) -> dict[str, float]:
        """Titles named so far → weight ``±MENTION_DECAY ** messages_since`` (negative for ``disliked``).

        Args:
            link: ``text → item ids named in it`` (e.g. a cached title linker).
            disliked: Item ids the person dislikes.
            roles: Whose messages count.
        """
        bad, roles = set(disliked), set(roles)
        out: dict[str, float] = {}
        n = len(self.history)
        for k, (role, text) in enumerate(self.history):
            if role not in roles:
                continue
            for item_id in link(text):
                out[item_id] = (-1.0 if item_id in bad else 1.0) * MENTION_DECAY ** (n - 1 - k)
        return out


def conversation_from_messages(messages: Iterable[Any]) -> Conversation:
    """The conversation of a LangChain message list: human messages and the assistant's final
    answers (tool calls and tool results are not conversation)."""
    from langchain_core.messages import AIMessage, HumanMessage

    out = Conversation()
    for message in messages:
        text = message.content if isinstance(message.content, str) else _text(message.content)
        if isinstance(message, HumanMessage):
            out.add("user", text)
        elif isinstance(message, AIMessage) and not message.tool_calls:
            out.add("assistant", text)
    out.history = out.history[-_MAX_MESSAGES:]
    return out


def _text(content: Any) -> str:
    if isinstance(content, list):
        return " ".join(p.get("text", "") if isinstance(p, Mapping) else str(p) for p in content)
    return str(content or "")
