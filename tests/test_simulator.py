"""The user simulator: leak guard, template answers, episodes against a fake assistant, and
(slow) a few episodes against the offline assistant on the shipped movie catalog."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tastebud.catalog import Item
from tastebud.evals.simulator import (
    CatalogVocabulary,
    LeakGuard,
    LeakySimulator,
    PlotLeakySimulator,
    SimulationRun,
    Target,
    TemplateSimulator,
    normalise_tokens,
    run_episode,
    run_simulation,
)

MATRIX = Target("ml:2571", "The Matrix", ["Action", "Sci-Fi"], 1999,
                ["virtual reality", "the matrix reloaded", "cyberpunk", "matrices"], ["Aliens", "The Matrix Reloaded",
                                                                                    "Terminator 2"])


@dataclass
class FakeResult:
    reply: str
    recommendations: list[dict] = field(default_factory=list)


class FakeAssistant:
    """Shows the target once the user has said ``reveal_after`` messages; records every message."""

    def __init__(self, target_id: str, reveal_after: int | None = None) -> None:
        self.target_id, self.reveal_after, self.heard, self.users = target_id, reveal_after, [], {}

    def turn(self, message, *, user_id, thread_id):
        self.heard.append(message)
        self.users[user_id] = self.users.get(user_id, 0) + 1
        items = [{"item_id": f"ml:{i}"} for i in range(1, 6)]
        if self.reveal_after is not None and self.users[user_id] >= self.reveal_after:
            items.insert(2, {"item_id": self.target_id})
        return FakeResult("What genre are you in the mood for?", items)


def test_normalise_tokens():
    assert normalise_tokens("Amélie, THE Aliens!") == ["amelie", "the", "alien"]
    assert normalise_tokens("") == []
    assert normalise_tokens("Glass access processes bus") == ["glass", "access", "processe", "bus"]
    words = normalise_tokens("Hackers, glasses, access, bosses and Amélie's kisses")
    assert normalise_tokens(" ".join(words)) == words  # idempotent: guarded tokens can be normalised again
    assert LeakGuard("X", ["access"]).leaks("I need access") == ["access"]


def test_leak_guard_tokens_and_stop_words():
    guard = LeakGuard("The Lord of the Rings")
    assert guard.tokens == {"lord", "ring"}
    assert guard.leaks("something with a RING in it") == ["ring"]
    assert guard.leaks("the best of the fantasy films") == []
    assert LeakGuard("Aliens").leaks("an alien movie") == ["alien"]
    assert LeakGuard("Amélie").leaks("like amelie") == ["amelie"]
    assert not LeakGuard("Up").guarded  # no content token: never sampled
    assert LeakGuard("Scary Movie").tokens == {"scary"}  # "movie" / "film" identify nothing


def test_opening_avoids_title_words():
    target = Target("ml:1", "Night Tonight Please", ["Comedy"], 2001)
    sims = [TemplateSimulator(target, seed) for seed in range(10)]
    assert all(not s.guard.leaks(s.opening()) for s in sims)


def test_template_simulator_never_leaks():
    sim = TemplateSimulator(MATRIX)
    said = [sim.opening()]
    while (msg := sim.respond("Tell me more", [{"item_id": "ml:1"}])) is not None:
        said.append(msg)
    assert len(said) == 5  # opening + genre, decade, liked, keywords
    assert all(not sim.guard.leaks(m) for m in said)
    assert any("sci-fi" in m for m in said) and any("1990s" in m for m in said)
    assert any("Aliens" in m for m in said) and not any("Reloaded" in m for m in said)
    assert any("cyberpunk" in m for m in said)


def test_template_simulator_answers_the_question_asked():
    sim = TemplateSimulator(MATRIX)
    assert "1990s" in sim.respond("Which decade do you prefer?", [])
    assert "liked" in sim.respond("Tell me a film you loved.", [])


def test_leaky_simulator_fails_the_episode():
    assistant = FakeAssistant(MATRIX.item_id, reveal_after=3)
    episode = run_episode(assistant, LeakySimulator(MATRIX), max_turns=5)
    assert episode.leaked == ["matrix"]
    assert episode.hit_turn is None and episode.turns == 1
    assert len(assistant.heard) == 1 and "Matrix" not in assistant.heard[0]  # the leak never reached it
    run = SimulationRun([episode], k=10, max_turns=5)
    assert run.metrics()["leaks"] == 1 and run.metrics()["hit"] == 0.0


def test_episode_hit_and_metrics():
    hit = run_episode(FakeAssistant(MATRIX.item_id, reveal_after=3), TemplateSimulator(MATRIX), max_turns=5)
    assert hit.hit_turn == 3 and not hit.gave_up and not hit.leaked
    miss = run_episode(FakeAssistant(MATRIX.item_id), TemplateSimulator(MATRIX), max_turns=5)
    assert miss.hit_turn is None and miss.gave_up and miss.turns == 5
    late = run_episode(FakeAssistant(MATRIX.item_id, reveal_after=3), TemplateSimulator(MATRIX), max_turns=5, k=2)
    assert late.hit_turn is None  # shown third: not within k=2
    m = SimulationRun([hit, miss], k=10, max_turns=5).metrics()
    assert m["hit_by_turn"] == [0.0, 0.0, 0.5, 0.5, 0.5]
    assert m["avg_turns_to_hit"] == 3.0 and m["give_up_rate"] == 0.5 and m["leaks"] == 0


def test_run_simulation_with_fake_assistant_uses_fresh_users():
    assistant = FakeAssistant(MATRIX.item_id, reveal_after=2)
    run = run_simulation(None, [MATRIX, MATRIX], assistant=assistant, max_turns=3)
    assert [e.hit_turn for e in run.episodes] == [2, 2]
    assert list(assistant.users.values()) == [2, 2]  # one fresh user per episode
    again = run_simulation(None, [MATRIX], assistant=assistant, max_turns=3)
    assert again.episodes[0].hit_turn == 2 and len(assistant.users) == 3  # a second run: new users too


MATRIX_ITEM = Item("ml:2571", "The Matrix", 1999, ["Action", "Sci-Fi"],
                   "A computer hacker learns that reality is a simulation run by machines.",
                   ["virtual reality", "cyberpunk", "dystopia", "fight", "woman director"])


def _vocabulary() -> CatalogVocabulary:
    """The Matrix among 300 films: 'dystopia', 'fight', 'action' and the like are common, its plot words are not."""
    fillers = [Item(f"x:{i}", f"Filler {i}", 1990, ["Action"],
                    "A story of a fight in a dystopia; looking for something, a woman director" if i % 2 else
                    "Another action story about a dystopia", ["dystopia", "fight"]) for i in range(300)]
    return CatalogVocabulary([*fillers, MATRIX_ITEM])


def test_vocabulary_distinctive_words():
    vocab = _vocabulary()
    words = vocab.distinctive(MATRIX_ITEM)
    assert {"hacker", "reality", "virtual", "cyberpunk", "simulation", "computer", "machine"} <= set(words)
    assert not {"dystopia", "fight", "woman", "director", "story"} & set(words)  # common across the catalog
    assert not {"that", "the", "is", "by", "a"} & set(words)  # stop words, short tokens
    lonely = Item("y:1", "Lonely", overview="Looking for something to watch tonight with a robot")
    assert CatalogVocabulary([lonely]).distinctive(lonely) == ["robot"]  # everyday request words never count
    guard = vocab.guard(MATRIX_ITEM)
    assert guard.title_tokens == {"matrix"} and guard.guarded
    assert guard.leaks("the one with the Hackers and the virtual world") == ["hacker", "virtual"]
    assert guard.leaks("a dystopian action film with a fight") == []
    assert LeakGuard("Heat", ["Robbers", "the"]).words == {"robber"}


def test_template_simulator_keeps_to_common_words_under_the_full_guard():
    vocab = _vocabulary()
    target = Target(MATRIX_ITEM.item_id, MATRIX_ITEM.title, MATRIX_ITEM.genres, 1999, MATRIX_ITEM.tags,
                    ["Aliens", "Hackers"], guarded=vocab.distinctive(MATRIX_ITEM), overview=MATRIX_ITEM.overview)
    sim = TemplateSimulator(target)
    said = [sim.opening()]
    while (msg := sim.respond("Tell me more", [{"item_id": "ml:1"}])) is not None:
        said.append(msg)
    assert all(not sim.guard.leaks(m) for m in said)
    assert not any("cyberpunk" in m or "virtual" in m or "Hackers" in m for m in said)
    assert any("dystopia" in m for m in said) and any("Aliens" in m for m in said)


def test_plot_leaky_simulator_is_caught_without_saying_the_title():
    vocab = _vocabulary()
    target = Target(MATRIX_ITEM.item_id, MATRIX_ITEM.title, MATRIX_ITEM.genres, 1999, MATRIX_ITEM.tags,
                    guarded=vocab.distinctive(MATRIX_ITEM), overview=MATRIX_ITEM.overview)
    assistant = FakeAssistant(target.item_id, reveal_after=2)
    episode = run_episode(assistant, PlotLeakySimulator(target), max_turns=5)
    said = episode.messages[-1]["user"]
    assert "matrix" not in said.lower()  # no title token: only the stronger guard catches it
    assert not LeakGuard(target.title).leaks(said)
    assert {"hacker", "cyberpunk", "reality"} <= set(episode.leaked)
    assert episode.hit_turn is None and episode.turns == 1 and said not in assistant.heard


@pytest.mark.slow
def test_offline_assistant_episodes(real_services):
    from tastebud.evals.simulator import sample_targets

    targets = sample_targets(real_services, 3, seed=1)
    assert len(targets) == 3
    assert targets == sample_targets(real_services, 3, seed=1)  # deterministic
    vocab = CatalogVocabulary(real_services.catalog("movies").items)
    for t in targets:
        assert t.genres and t.year and LeakGuard(t.title).guarded
        assert t.guarded == vocab.distinctive(real_services.catalog("movies").get(t.item_id))
        assert not any(t.guard().leaks(h) for h in t.history)
    run = run_simulation(real_services, targets, max_turns=3, k=10)
    m = run.metrics()
    assert m["episodes"] == 3 and m["leaks"] == 0 and len(m["hit_by_turn"]) == 3
    for e in run.episodes:
        assert e.turns >= 1 and all(not t.guard().leaks(x["user"])
                                    for t in targets if t.item_id == e.target for x in e.messages)
