"""Token counting (tiktoken, offline) and history trimming to a budget."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources

from langchain_core.messages import BaseMessage, HumanMessage, trim_messages

__all__ = ["count_tokens", "message_text", "trim_history", "clip_text"]

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _encoder() -> Callable[[str], int]:
    """cl100k_base from the shipped cache file; a 4-characters-a-token estimate if that fails."""
    try:
        os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(resources.files("tastebud.agent") / "tiktoken_cache"))
        import tiktoken

        enc = tiktoken.get_encoding("cl100k_base")

        @lru_cache(maxsize=8192)  # a conversation's messages are counted again at every model call
        def count(text: str) -> int:
            return len(enc.encode(text, disallowed_special=()))

        return count
    except Exception as exc:  # offline without the cache file, or a broken install
        log.warning("tiktoken unavailable (%s); estimating tokens from characters", exc)
        return lambda text: (len(text) + 3) // 4


def message_text(message: BaseMessage | dict | str) -> str:
    """Plain text of a message whose content may be a string or a list of blocks."""
    content = message if isinstance(message, str) else (
        message.get("content", "") if isinstance(message, dict) else message.content)
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return " ".join(parts)


def count_tokens(messages: Sequence[BaseMessage] | str) -> int:
    """Tokens in a text or a list of messages (4 tokens of overhead a message)."""
    enc = _encoder()
    if isinstance(messages, str):
        return enc(messages)
    return sum(enc(message_text(m)) + 4 + sum(enc(str(tc.get("args"))) for tc in getattr(m, "tool_calls", []) or [])
               for m in messages)


def clip_text(text: str, max_tokens: int) -> tuple[str, bool]:
    """Cut a text to about ``max_tokens`` tokens; returns ``(text, was_cut)``."""
    if count_tokens(text) <= max_tokens:
        return text, False
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix within the budget
        mid = (lo + hi + 1) // 2
        if count_tokens(text[:mid]) <= max_tokens:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo], True


def trim_history(messages: Sequence[BaseMessage], max_tokens: int) -> list[BaseMessage]:
    """Keep the newest messages within ``max_tokens``, starting on a human turn.

    Tool calls are never separated from their results. The last human message is always kept
    (clipped if it alone exceeds the budget).
    """
    messages = list(messages)
    if count_tokens(messages) <= max_tokens:
        return messages
    kept = trim_messages(messages, max_tokens=max_tokens, token_counter=count_tokens, strategy="last",
                         start_on="human", include_system=True, allow_partial=False)
    if any(isinstance(m, HumanMessage) for m in kept):
        return kept
    last = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage)) if any(
        isinstance(m, HumanMessage) for m in messages) else len(messages) - 1
    tail = messages[last:]
    head = tail[0]
    text, _ = clip_text(message_text(head), max(32, max_tokens - count_tokens(tail[1:]) - 8))
    return [head.model_copy(update={"content": text}), *tail[1:]]
