"""The ReDial benchmark: Recall@k of the recommender's next movies from the dialogue so far.

Protocol (issue 7): walk each dialogue in order. At every recommender (respondent)
message, each movie it mentions that was not mentioned earlier in the dialogue is one
*target* (a movie named twice in one message counts once). The system sees only the text
of the messages before that one, with ``@movieId`` rendered as the movie's cleaned name
from ``movieMentions``, and ranks the catalog with every movie mentioned so far excluded;
Recall@k is the share of targets in its top k. The questionnaires
(``initiatorQuestions`` / ``respondentQuestions``) are never read: :func:`evaluate` only
touches ``messages``, ``movie_names``, ``initiator`` and ``conversation_id``.

Each dialogue is processed incrementally: a system sees each message once through
:meth:`RedialSystem.observe` and is asked to :meth:`RedialSystem.rank` only at messages
with targets. The system tastebud is measured with is
:class:`~tastebud.evals.redial_chat.ChatSystem`: the chat page's own turn (understanding,
profile edits, the one recommender with the catalog's dialogue model), nothing else.

Baselines (:mod:`tastebud.evals.redial_stats`) are scored on the same targets in the same
walk; :class:`~tastebud.evals.redial_stats.RedialResult` adds bootstrap intervals over
dialogues. Splits: :mod:`tastebud.redial` (``train`` / ``dev-tune`` / ``dev-holdout``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence

from tastebud.catalog import display_title, split_title_year
from tastebud.redial import Dialogue, mention_ids

from .redial_stats import RedialResult

__all__ = ["DEFAULT_KS", "RedialSystem", "RedialResult", "render_name",
           "render_text", "role_of", "evaluate", "count_targets"]

DEFAULT_KS = (1, 10, 50)
_MENTION_RE = re.compile(r"@(\d+)")


def render_name(raw: str) -> str:
    """A ``movieMentions`` name as a person would write it: ``"Matrix, The  (1999)"`` → ``"The Matrix (1999)"``."""
    title, year = split_title_year(raw or "")
    title = display_title(title) if title else ""
    return f"{title} ({year})" if title and year else title


def render_text(text: str, names: dict[int, str], fallback: Callable[[int], str | None] | None = None) -> str:
    """Replace every ``@movieId`` in ``text`` by the movie's name.

    Args:
        text: A ReDial message.
        names: The dialogue's ``movieMentions`` (id → raw name).
        fallback: Name for an id missing from ``names`` (else the mention becomes "a movie").
    """
    def sub(match: re.Match) -> str:
        mid = int(match.group(1))
        name = render_name(names[mid]) if mid in names else (fallback(mid) if fallback else None)
        return name or "a movie"

    return _MENTION_RE.sub(sub, text or "")


def role_of(dialogue: Dialogue, sender: int) -> str:
    """``"seeker"`` for the initiator's messages, ``"recommender"`` for the respondent's."""
    return "seeker" if sender == dialogue.initiator else "recommender"


class RedialSystem:
    """What the benchmark evaluates: a per-dialogue state fed message by message."""

    def reset(self) -> None:
        """Start a new dialogue."""

    def observe(self, role: str, text: str) -> None:
        """Read one message (``role`` is ``seeker`` or ``recommender``; movies rendered as names)."""

    def rank(self, exclude: Sequence[str], n: int) -> list[str]:
        """The ``n`` best catalog ids for the recommender's next message, never one in ``exclude``."""
        raise NotImplementedError


def _walk(dialogue: Dialogue) -> Iterable[tuple[str, str, list[int], list[int], bool]]:
    """``(role, raw text, new target ids, ids mentioned before, any text before)`` per message."""
    mentioned: dict[int, None] = {}
    has_text = False
    for message in dialogue.messages:
        ids = list(dict.fromkeys(mention_ids(message.text)))
        role = role_of(dialogue, message.sender)
        new = [i for i in ids if i not in mentioned] if role == "recommender" else []
        yield role, message.text, new, list(mentioned), has_text
        mentioned.update(dict.fromkeys(ids))
        has_text = has_text or bool((message.text or "").strip())


def count_targets(dialogues: Iterable[Dialogue]) -> tuple[int, int, int]:
    """``(targets, dialogues, targets with no text before them)`` under the protocol, no system needed."""
    targets = n = empty = 0
    for dialogue in dialogues:
        n += 1
        for _, _, new, _, has_text in _walk(dialogue):
            targets += len(new)
            empty += 0 if has_text else len(new)
    return targets, n, empty


def evaluate(dialogues: Iterable[Dialogue], system: RedialSystem, ks: Sequence[int] = DEFAULT_KS, *,
             split: str = "all", progress: bool = False, total: int | None = None,
             fallback_name: Callable[[int], str | None] | None = None,
             baselines: Mapping[str, RedialSystem] | None = None) -> RedialResult:
    """Run the protocol (module docstring) over ``dialogues`` with ``system``.

    Args:
        dialogues: Dialogues to walk (already filtered by split / limit).
        system: The system under test; reset at every dialogue.
        ks: Recall cut-offs; the system is asked for ``max(ks)`` items.
        baselines: Other systems scored on the same targets in the same walk
            (:func:`tastebud.evals.redial_stats.default_baselines`).
        split: Label stored in the result.
        progress: Show a tqdm progress bar (on stderr).
        total: Number of dialogues, for the progress bar.
        fallback_name: Name of a mentioned id missing from ``movieMentions``.

    Returns:
        The per-target ranks and counts.
    """
    ks = tuple(sorted({int(k) for k in ks}))
    if not ks or ks[0] < 1:
        raise ValueError("k values must be positive integers")
    result = RedialResult(ks=ks, split=split, baselines={name: [] for name in baselines or {}})
    others = dict(baselines or {})
    started = time.perf_counter()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="dialogue", desc="redial", leave=False)
    for index, dialogue in enumerate(dialogues):
        for each in (system, *others.values()):
            each.reset()
        result.dialogues += 1
        for role, text, new, before, has_text in _walk(dialogue):
            if new:
                exclude = [f"rd:{i}" for i in before]
                for name, each in (("", system), *others.items()):
                    ranked = each.rank(exclude, ks[-1])
                    where = {item_id: r for r, item_id in enumerate(ranked[: ks[-1]], start=1)}
                    (result.baselines[name] if name else result.ranks).extend(where.get(f"rd:{i}") for i in new)
                result.groups.extend([index] * len(new))
                result.empty_context += 0 if has_text else len(new)
            rendered = render_text(text, dialogue.movie_names, fallback_name)
            for each in (system, *others.values()):
                each.observe(role, rendered)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    result.seconds = time.perf_counter() - started
    return result
