"""The ReDial benchmark: protocol on a hand-made file with known answers, the shared-file
target count, and (slow) the offline system and the CLI on the redial catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tastebud.evals.redial_bench import (
    OfflineSystem,
    RedialSystem,
    count_targets,
    evaluate,
    render_name,
    render_text,
)
from tastebud.redial import read_dialogues

DATA = Path(__file__).parent / "data"
TWO = DATA / "redial_two_dialogues.jsonl"
SHARED = Path("/work/shared/data/redial/train_data_partial.jsonl")
ALIEN, ALIENS, HEAT, MATRIX, TOY = "rd:79062", "rd:90486", "rd:176314", "rd:85036", "rd:80067"


class FixedSystem(RedialSystem):
    """Ranks a fixed list (minus exclusions) and records what it was shown."""

    def __init__(self, order: list[str]) -> None:
        self.order, self.log, self.calls = order, [], []

    def reset(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def observe(self, role: str, text: str) -> None:
        self.seen.append((role, text))

    def rank(self, exclude, n):
        self.calls.append((list(self.seen), sorted(exclude)))
        return [i for i in self.order if i not in exclude][:n]


class QuestionnaireTrap:
    """A dialogue whose questionnaire fields raise when touched."""

    def __init__(self, dialogue) -> None:
        self._d = dialogue

    def __getattr__(self, name):
        if name in ("seeker_answers", "recommender_answers", "liked"):
            raise AssertionError(f"the benchmark read the questionnaire ({name})")
        return getattr(self._d, name)


def _two():
    return list(read_dialogues(TWO))


def test_render_cleans_names():
    assert render_name("Aliens  (1986)") == "Aliens (1986)"
    assert render_name("Matrix, The (1999)") == "The Matrix (1999)"
    assert render_name("Fast &amp; Furious ") == "Fast & Furious"
    assert render_text("see @1 and @2", {1: "Heat  (1995)"}) == "see Heat (1995) and a movie"
    assert render_text("see @2", {}, fallback=lambda mid: f"film {mid}") == "see film 2"


def test_count_on_two_dialogues():
    # A: Alien (no text before), Aliens (named twice: once; Alien again: not counted), Heat.
    # B: Toy Story; The Matrix was named by the seeker first: not a target.
    assert count_targets(_two()) == (4, 2, 1)


def test_known_answers_with_a_fixed_ranking():
    system = FixedSystem([ALIEN, HEAT, TOY, ALIENS, MATRIX])
    result = evaluate(_two(), system, ks=(1, 2, 3))
    # ranks: Alien 1 (nothing excluded), Aliens 3 (Alien excluded), Heat 1, Toy Story 3 (Matrix excluded)
    assert result.ranks == [1, 3, 1, 3]
    assert (result.targets, result.dialogues, result.empty_context) == (4, 2, 1)
    assert result.recall(1) == 0.5 and result.recall(2) == 0.5 and result.recall(3) == 1.0
    assert result.metrics()["recall@1"] == 0.5


def test_system_sees_only_earlier_text_with_titles_and_exclusions():
    system = FixedSystem([ALIEN])
    evaluate(_two(), system, ks=(10,))
    (ctx1, ex1), (ctx2, ex2), (ctx3, ex3), (ctx4, ex4) = system.calls
    assert ctx1 == [] and ex1 == []  # a recommender message with no text before it
    assert ctx2 == [("recommender", "Alien (1979) is a classic, seen it?"),
                    ("seeker", "I loved Alien (1979) ! Something like it?")]
    assert ex2 == [ALIEN]
    assert ctx3[-1] == ("seeker", "Seen Aliens (1986) already. What else?") and ex3 == sorted([ALIEN, ALIENS])
    assert ctx4 == [("seeker", "hi, I like The Matrix (1999)")] and ex4 == [MATRIX]
    assert not any("@" in text for ctx, _ in system.calls for _, text in ctx)


def test_questionnaire_is_never_read(tmp_path):
    # The questionnaires mark every target as suggested: a system reading them would score 1.0.
    baseline = evaluate(_two(), FixedSystem([MATRIX, ALIENS, ALIEN, TOY, HEAT]), ks=(1,))
    trapped = evaluate([QuestionnaireTrap(d) for d in _two()], FixedSystem([MATRIX, ALIENS, ALIEN, TOY, HEAT]),
                       ks=(1,))
    assert trapped.ranks == baseline.ranks and baseline.recall(1) < 1.0
    # Same dialogues with other questionnaires give the same result.
    flipped = tmp_path / "flipped.jsonl"
    lines = []
    for line in TWO.read_text().splitlines():
        raw = json.loads(line)
        raw["initiatorQuestions"] = {"1": {"suggested": 1, "seen": 0, "liked": 1}}
        raw["respondentQuestions"] = []
        lines.append(json.dumps(raw))
    flipped.write_text("\n".join(lines))
    again = evaluate(read_dialogues(flipped), FixedSystem([MATRIX, ALIENS, ALIEN, TOY, HEAT]), ks=(1,))
    assert again.ranks == baseline.ranks


def test_bad_ks():
    with pytest.raises(ValueError):
        evaluate(_two(), FixedSystem([]), ks=(0,))


@pytest.mark.skipif(not SHARED.is_file(), reason="shared ReDial file not present")
def test_shared_file_target_count():
    assert count_targets(read_dialogues(SHARED)) == (16_975, 4_709, 32)


# -- the offline system on the redial catalog (slow) --------------------------------------------
@pytest.fixture(scope="module")
def redial_home(tmp_path_factory):
    return tmp_path_factory.mktemp("redial-home")


@pytest.fixture(scope="module")
def redial_services(redial_home):
    from tastebud.services import Services
    from tastebud.settings import Settings

    return Services(Settings(home=redial_home, catalog="redial"))


@pytest.mark.slow
def test_offline_system_state_and_ranking(redial_services):
    system = OfflineSystem(redial_services)
    system.observe("seeker", "I loved Alien (1979) but I hated Heat (1995). Any scary sci-fi?")
    items, query, _ = system.request()
    assert items[ALIEN] > 0 and items[HEAT] < 0
    assert query
    ranked = system.rank([ALIEN], 50)
    assert len(ranked) == 50 and ALIEN not in ranked and HEAT not in ranked
    system.reset()
    assert system.request()[0] == {}


@pytest.mark.slow
def test_offline_system_uses_the_latest_wanted_genres(redial_services):
    system = OfflineSystem(redial_services)
    system.observe("seeker", "Any good horror movies?")
    system.observe("recommender", "Sure, what else do you like?")
    system.observe("seeker", "Actually I'd rather watch a comedy.")
    _, query, _ = system.request()
    assert "Comedy" in query and "Horror" not in query
    ranked = system.rank([], 10)
    assert len(ranked) == 10 and len(set(ranked)) == 10


@pytest.mark.slow
def test_offline_system_on_two_dialogues_ignores_questionnaire(redial_services):
    system = OfflineSystem(redial_services)
    result = evaluate(_two(), system, ks=(1, 10, 50))
    trapped = evaluate([QuestionnaireTrap(d) for d in _two()], system, ks=(1, 10, 50))
    assert result.targets == 4 and trapped.ranks == result.ranks
    assert result.ranks[1] is not None and result.ranks[1] <= 10  # Aliens after "I loved Alien"


@pytest.mark.slow
def test_cli_json(redial_services, redial_home, tmp_path):
    from typer.testing import CliRunner

    from tastebud.cli import app

    redial_services.recommender("redial")  # models trained once for the module
    out = tmp_path / "run"
    res = CliRunner().invoke(app, ["eval", "redial", "--data", str(TWO), "--json", "--k", "1,10,50",
                                   "--home", str(redial_home), "--out", str(out)])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.stdout.splitlines() if x.startswith("{"))
    metrics = json.loads(line)
    assert {"recall@1", "recall@10", "recall@50"} <= metrics.keys()
    assert metrics["targets"] == 4 and metrics["dialogues"] == 2
    assert (out / "metrics.json").is_file() and (out / "report.md").is_file() and (out / "recall_at_k.png").is_file()


def test_cli_rejects_bad_k(tmp_path):
    from typer.testing import CliRunner

    from tastebud.cli import app

    res = CliRunner().invoke(app, ["eval", "redial", "--data", str(TWO), "--k", "0,x", "--home", str(tmp_path)])
    assert res.exit_code != 0
