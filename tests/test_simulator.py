"""The user simulator: leak guard, template answers, episodes against a fake assistant, and
(slow) a few episodes against the offline assistant on the shipped movie catalog."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tastebud.evals.simulator import (
    LeakGuard,
    LeakySimulator,
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


@pytest.mark.slow
def test_offline_assistant_episodes(real_services):
    from tastebud.evals.simulator import sample_targets

    targets = sample_targets(real_services, 3, seed=1)
    assert len(targets) == 3
    assert targets == sample_targets(real_services, 3, seed=1)  # deterministic
    for t in targets:
        assert t.genres and t.year and LeakGuard(t.title).guarded
        assert not any(LeakGuard(t.title).leaks(h) for h in t.history)
    run = run_simulation(real_services, targets, max_turns=3, k=10)
    m = run.metrics()
    assert m["episodes"] == 3 and m["leaks"] == 0 and len(m["hit_by_turn"]) == 3
    for e in run.episodes:
        assert e.turns >= 1 and all(not LeakGuard(t.title).leaks(x["user"])
                                    for t in targets if t.item_id == e.target for x in e.messages)
