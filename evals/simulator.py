"""A user simulator with a hidden target movie, guarded against leaking it.

Targets (:func:`sample_targets`) are held-out MovieLens positives: for a user drawn with a
fixed seed, the *latest* movie they rated 4.0 or more is the target and their earlier
positives are their history. The simulated user (:class:`TemplateSimulator`) opens with a
vague request, then answers the assistant's questions and turns down wrong suggestions
using only the target's attributes: genres, decade, keywords / tags, and liked films from
the history most similar to the target. It never says the title.

The leak guard (:class:`LeakGuard`, see :mod:`tastebud.evals.leak_guard`) enforces that:
every simulator utterance is checked *before* it reaches the assistant, and an utterance
containing any content token of the target's title, or any *distinctive* word of the
target's own tags / keywords and overview (rare across the catalog, not a stop or everyday
request word), fails the episode. Targets whose title has no content token are never
sampled, so every target is guarded. The template simulator drops any clause that would
leak before speaking (so it describes a target with its genres, decade, liked films and
only its common tags), and offline episodes should not fail; the guard is the safety net
for simulators that do leak (an LLM simulator, or :class:`LeakySimulator` and
:class:`PlotLeakySimulator` in the tests).

The assistant must not have learned the target either: ``tastebud eval simulate`` fits the
CF models without the simulated users' target ratings
(:func:`tastebud.evals.heldout_cf.use_heldout_recommender`) before the episodes.

:func:`run_simulation` runs episodes against :class:`tastebud.agent.Assistant` and reports
Hit@k by turn (cumulative share of episodes whose target was among the first k items
shown by that turn), average turns to a hit, give-up rate and leaks.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from .leak_guard import STOP_WORDS, CatalogVocabulary, LeakGuard, normalise_tokens

__all__ = ["STOP_WORDS", "normalise_tokens", "LeakGuard", "CatalogVocabulary", "Target", "sample_targets",
           "TemplateSimulator", "LeakySimulator", "PlotLeakySimulator", "Episode", "SimulationRun", "run_episode",
           "run_simulation"]

_GENRE_WORDS = {"Sci-Fi": "sci-fi", "Film-Noir": "film noir", "Children": "family", "(no genres listed)": ""}
_OPENINGS = ("Can you recommend a movie?", "I'm looking for something to watch tonight.",
             "Any ideas for a movie night?", "Recommend me a film, please.")
_REJECTIONS = ("None of those, sorry.", "Not quite what I want.", "Hmm, not those.", "No, something else.")


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


@dataclass
class Target:
    """A hidden target and what the simulated user may say about it.

    Attributes:
        item_id: Catalog id of the target.
        title: Its title (known to the guard, never said).
        genres: Its genres.
        year: Its release year.
        keywords: Its keywords / tags.
        history: Titles of films the user liked before, most similar to the target first.
        user: MovieLens user id the target was held out from.
        guarded: The target's distinctive tag / overview words (see
            :meth:`CatalogVocabulary.distinctive`): guarded like its title.
        overview: Its overview (never said by the template simulator).
    """

    item_id: str
    title: str
    genres: list[str] = field(default_factory=list)
    year: int | None = None
    keywords: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    user: int | None = None
    guarded: list[str] = field(default_factory=list)
    overview: str = ""

    def guard(self) -> LeakGuard:
        """The leak guard of this target: its title tokens and its guarded words."""
        return LeakGuard(self.title, self.guarded)


def sample_targets(services, n: int, *, seed: int = 0, catalog: str = "movies", history: int = 3) -> list[Target]:
    """Held-out MovieLens positives: one target (the latest positive) per user drawn with ``seed``.

    Args:
        services: :class:`tastebud.services.Services`.
        n: Number of targets (users are drawn without replacement, then reused if needed).
        seed: Random seed.
        catalog: Catalog whose items carry ``source_ids["movielens"]``.
        history: Liked films kept per target (most content-similar first, none containing a guarded token).

    Returns:
        Up to ``n`` targets (fewer only when too few users qualify).
    """
    import numpy as np

    from tastebud.bundled import load_bundled_ratings
    from tastebud.recommenders.content import catalog_vectors
    from tastebud.recommenders.training import POSITIVE_RATING

    cat = services.catalog(catalog)
    vocabulary = CatalogVocabulary(cat.items)
    vectors = catalog_vectors(services, catalog)
    by_ml = {int(it.source_ids["movielens"]): pos for pos, it in enumerate(cat.items) if "movielens" in it.source_ids}
    ratings = load_bundled_ratings()
    keep = ratings["rating"] >= POSITIVE_RATING
    per_user: dict[int, list[tuple[int, int]]] = {}
    for u, m, ts in zip(ratings["user"][keep].tolist(), ratings["movie"][keep].tolist(),
                        ratings["timestamp"][keep].tolist(), strict=True):
        if m in by_ml:
            per_user.setdefault(u, []).append((ts, by_ml[m]))
    rng = random.Random(seed)
    users = sorted(u for u, rows in per_user.items() if len(rows) >= 5)
    rng.shuffle(users)
    out: list[Target] = []
    for u in users:
        if len(out) >= n:
            break
        rows = sorted(per_user[u])
        target = cat.items[rows[-1][1]]
        guard = vocabulary.guard(target)
        if not guard.guarded or not target.genres or not target.year:
            continue
        earlier = [p for _, p in rows[:-1]]
        sims = vectors[earlier] @ vectors[rows[-1][1]]
        liked = [cat.items[earlier[i]].title for i in np.argsort(-sims)]
        liked = [t for t in dict.fromkeys(liked) if not guard.leaks(t)][:history]
        out.append(Target(target.item_id, target.title, list(target.genres), target.year, list(target.tags),
                          liked, u, sorted(guard.words), target.overview))
    return out


class TemplateSimulator:
    """Offline simulated user: template sentences built only from the target's attributes.

    Args:
        target: The hidden target.
        seed: Seed for the wording.
    """

    def __init__(self, target: Target, seed: int = 0) -> None:
        self.target = target
        self.guard = target.guard()
        self.rng = random.Random(f"{seed}:{target.item_id}")
        self.facts = {k: v for k, v in self._facts().items() if v}

    def _safe(self, clause: str) -> str:
        return "" if not clause or self.guard.leaks(clause) else clause

    def _facts(self) -> dict[str, str]:
        t = self.target
        genres = [g for g in (_GENRE_WORDS.get(g, g.lower()) for g in t.genres[:2]) if g and self._safe(g)]
        liked = [h for h in t.history[:2] if self._safe(h)]
        keywords = [w for w in t.keywords if self._safe(w)][:3]
        return {
            "genre": self._safe(f"I'm in the mood for {_article(genres[0])} {' '.join(genres)} movie.") if genres else "",
            "decade": self._safe(f"Something from the {t.year // 10 * 10}s.") if t.year else "",
            "liked": self._safe(f"I really liked {' and '.join(liked)}.") if liked else "",
            "keywords": self._safe(f"Something about {', '.join(keywords)}.") if keywords else "",
        }

    def opening(self) -> str:
        """A vague first request (one that does not leak)."""
        safe = [o for o in _OPENINGS if self._safe(o)] or ["Hi! Any suggestions?"]
        return self.rng.choice(safe)

    def _asked(self, reply: str) -> list[str]:
        text = (reply or "").lower()
        cues = {"genre": ("genre", "mood", "kind of"), "decade": ("decade", "year", "older", "newer", "recent"),
                "liked": ("loved", "liked", "enjoyed", "favourite", "favorite"), "keywords": ("about", "theme")}
        asked = [k for k, words in cues.items() if any(w in text for w in words)]
        return asked if len(asked) == 1 else []  # an open question: fall back to the default order

    def respond(self, reply: str, shown: Sequence[dict]) -> str | None:
        """The next user message, or ``None`` when the user has nothing left to say (gives up)."""
        order = self._asked(reply) + ["genre", "decade", "liked", "keywords"]
        key = next((k for k in order if k in self.facts), None)
        if key is None:
            return None
        fact = self.facts.pop(key)
        prefix = self._safe(self.rng.choice(_REJECTIONS)) if shown else ""
        return f"{prefix} {fact}".strip()


class LeakySimulator(TemplateSimulator):
    """A simulator that names its target after the first turn (tests the leak guard)."""

    def respond(self, reply: str, shown: Sequence[dict]) -> str | None:
        """Say the title outright."""
        return f"I want {self.target.title}."


class PlotLeakySimulator(TemplateSimulator):
    """A simulator that describes its target with its own overview and tags, never the title (tests the guard)."""

    def respond(self, reply: str, shown: Sequence[dict]) -> str | None:
        """Retell the plot and keywords."""
        return f"The one where {self.target.overview} Keywords: {', '.join(self.target.keywords)}."


@dataclass
class Episode:
    """One simulated conversation.

    Attributes:
        target: Target id.
        turns: User turns sent.
        hit_turn: Turn at which the target was shown (``None`` = never).
        leaked: Guarded tokens found in a simulator utterance (the episode failed).
        gave_up: The user stopped without a hit.
        messages: The user messages and the ids shown after each.
    """

    target: str
    turns: int = 0
    hit_turn: int | None = None
    leaked: list[str] = field(default_factory=list)
    gave_up: bool = False
    messages: list[dict] = field(default_factory=list)


@dataclass
class SimulationRun:
    """All episodes of a run plus its settings."""

    episodes: list[Episode]
    k: int
    max_turns: int

    def metrics(self) -> dict:
        """Hit@k by turn (cumulative), overall hit rate, average turns to hit, give-up rate, leaks."""
        n = max(len(self.episodes), 1)
        hits = [e.hit_turn for e in self.episodes if e.hit_turn is not None]
        by_turn = [round(sum(1 for h in hits if h <= t) / n, 4) for t in range(1, self.max_turns + 1)]
        return {"episodes": len(self.episodes), "k": self.k, "max_turns": self.max_turns,
                "hit": round(len(hits) / n, 4), "hit_by_turn": by_turn,
                "avg_turns_to_hit": round(sum(hits) / len(hits), 3) if hits else None,
                "give_up_rate": round(sum(e.gave_up for e in self.episodes) / n, 4),
                "leaks": sum(1 for e in self.episodes if e.leaked),
                "episodes_detail": [asdict(e) for e in self.episodes]}


def run_episode(assistant, simulator: TemplateSimulator, *, max_turns: int = 5, k: int = 10,
                user_id: str = "sim") -> Episode:
    """Talk until the target is shown, the user gives up, a leak, or ``max_turns`` user turns.

    Args:
        assistant: A :class:`tastebud.agent.Assistant` (anything with ``turn(message, user_id, thread_id)``).
        simulator: The simulated user.
        max_turns: User turns at most.
        k: The target counts when among the first ``k`` items shown.
        user_id: Fresh user (and thread) id for this episode.
    """
    target = simulator.target
    episode = Episode(target.item_id)
    message: str | None = simulator.opening()
    while message is not None and episode.turns < max_turns:
        leaked = simulator.guard.leaks(message)
        if leaked:  # checked before the assistant sees it: the episode fails
            episode.leaked = leaked
            episode.messages.append({"user": message, "leak": leaked})
            return episode
        episode.turns += 1
        result = assistant.turn(message, user_id=user_id, thread_id=user_id)
        shown = list(result.recommendations)[:k]
        ids = [r.get("item_id") for r in shown]
        episode.messages.append({"user": message, "shown": ids})
        if target.item_id in ids:
            episode.hit_turn = episode.turns
            return episode
        message = simulator.respond(result.reply, shown)
    episode.gave_up = True
    return episode


def run_simulation(services, targets: Sequence[Target], *, max_turns: int = 5, k: int = 10, seed: int = 0,
                   simulator_cls: type[TemplateSimulator] = TemplateSimulator, assistant=None,
                   progress: bool = False) -> SimulationRun:
    """Run one episode per target with a fresh user each; the assistant is the configured backend.

    User ids carry a random run id, so two runs sharing a profile store (same ``$TASTEBUD_HOME``)
    at once never hear each other's users.

    Args:
        services: :class:`tastebud.services.Services` (its settings choose the backend).
        targets: From :func:`sample_targets`.
        max_turns: User turns per episode.
        k: Hit@k cut-off.
        seed: Seed of the simulators' wording.
        simulator_cls: The simulated user's class.
        assistant: An assistant to reuse (default: a new in-memory :class:`tastebud.agent.Assistant`).
        progress: Show a tqdm progress bar.
    """
    if assistant is None:
        from tastebud.agent import Assistant

        assistant = Assistant(services, checkpointer="memory")
    episodes = []
    run_id = uuid.uuid4().hex[:8]  # concurrent runs sharing a profile store never share a user
    items = targets
    if progress:
        from tqdm import tqdm

        items = tqdm(targets, unit="episode", desc="simulate", leave=False)
    for i, target in enumerate(items):
        user_id = f"sim-{seed}-{run_id}-{i}"
        episodes.append(run_episode(assistant, simulator_cls(target, seed), max_turns=max_turns, k=k,
                                    user_id=user_id))
        forget = getattr(assistant, "forget", None)
        if forget is not None:
            forget(user_id)
    return SimulationRun(episodes, k, max_turns)
