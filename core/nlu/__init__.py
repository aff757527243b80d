"""Offline turn understanding: titles, genres, negation, years and follow-ups from one message.

``TitleLinker(catalog)`` indexes a catalog once; ``parse_turn(text, linker, ...)`` turns a
user message into a :class:`TurnParse` that a deterministic dialogue policy (or an LLM
backend, as a pre-parser) can act on.
"""

from .parse import DEFAULT_MAX_CHARS, INTENTS, TurnParse, parse_turn
from .titles import TitleLinker, TitleMention

__all__ = ["TitleLinker", "TitleMention", "TurnParse", "parse_turn", "INTENTS", "DEFAULT_MAX_CHARS"]
