"""The ReDial benchmark: protocol on a hand-made file with known answers, bootstrap intervals,
baselines, the in-sample warning, the shared-file target count, and (slow) the chat-path system
(the page's own turn), the page = benchmark check and the CLI on the redial catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tastebud.evals.redial_bench import (
    RedialSystem,
    count_targets,
    evaluate,
    render_name,
    render_text,
)
from tastebud.evals.redial_chat import ChatSystem
from tastebud.evals.redial_report import describe_run, write_redial_report
from tastebud.evals.redial_stats import (
    CoMentionBaseline,
    PopularityBaseline,
    bootstrap_recall,
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


def test_intervals_on_two_dialogues_and_baselines_in_the_same_walk():
    # Dialogue A: ranks 1, 3, 1; B: rank 3. Every resample has R@3 = 1; R@1 is 4/6 (A twice),
    # 2/4 (A and B) or 0 (B twice, probability 1/4).
    result = evaluate(_two(), FixedSystem([ALIEN, HEAT, TOY, ALIENS, MATRIX]), ks=(1, 3),
                      baselines={"fixed": FixedSystem([TOY, HEAT, ALIENS, ALIEN, MATRIX])})
    assert result.groups == [0, 0, 0, 1]
    assert result.baselines["fixed"] == [None, 3, 2, 1]  # Alien, Aliens (Alien out), Heat, Toy Story (Matrix out)
    m = result.metrics()
    assert m["intervals"] == {"recall@1": [0.0, 0.6667], "recall@3": [1.0, 1.0]}
    assert m["baselines"]["fixed"]["recall@1"] == 0.25 and m["baselines"]["fixed"]["recall@3"] == 0.75
    assert m["differences"]["fixed"]["recall@1"]["delta"] == 0.25
    assert m["bootstrap"] == {"resamples": 1000, "seed": 0, "level": 0.95, "unit": "dialogue"}
    assert result.metrics() == m  # fixed seed: the same intervals every time


def test_bootstrap_resamples_dialogues():
    # Two dialogues, one hit and one miss: a resample holds both (R = .5), or one twice (0 or 1).
    out = bootstrap_recall({"a": [1, None], "b": [None, None]}, [0, 7], [1], reference="a")
    assert out["intervals"]["a"]["recall@1"] == [0.0, 1.0] and out["intervals"]["b"]["recall@1"] == [0.0, 0.0]
    assert out["differences"]["b"]["recall@1"] == {"delta": 0.5, "interval": [0.0, 1.0]}
    # Many targets in one dialogue are one resampling unit: R = 1 or 0 per resample.
    many = bootstrap_recall({"a": [1, 1, 1, None]}, [0, 0, 0, 1], [1], seed=3)
    assert many["intervals"]["a"]["recall@1"] == [0.0, 1.0]
    assert bootstrap_recall({"a": []}, [], [1, 10])["intervals"]["a"] == {"recall@1": [0.0, 0.0],
                                                                          "recall@10": [0.0, 0.0]}


def _tiny_catalog():
    from tastebud.catalog import Catalog, Item

    pops = {ALIEN: 5, ALIENS: 1, HEAT: 9, MATRIX: 3, TOY: 2}
    return Catalog("redial", [Item(i, i, popularity=p, source_ids={"redial": int(i[3:])}) for i, p in pops.items()])


def test_popularity_and_comention_baselines(tmp_path):
    import numpy as np

    catalog = _tiny_catalog()
    pop = PopularityBaseline(catalog)
    assert pop.rank([], 3) == [HEAT, ALIEN, MATRIX] and pop.rank([HEAT], 2) == [ALIEN, MATRIX]
    # Train dialogues: 0 = {Alien, Aliens}, 1 = {Alien, Aliens, Toy}, 2 = {Heat, Matrix}.
    path = tmp_path / "comentions.npz"
    np.savez(path, dialogue=np.array([0, 0, 1, 1, 1, 2, 2]),
             movie=np.array([79062, 90486, 79062, 90486, 80067, 176314, 85036]))
    co = CoMentionBaseline(catalog, path)
    assert co.rank([ALIEN], 4) == [ALIENS, TOY, HEAT, MATRIX]  # 2, 1, then popularity
    assert co.rank([ALIEN, MATRIX], 2) == [ALIENS, HEAT]  # Aliens 2; Heat 1 beats Toy 1 on popularity
    assert co.rank([], 2) == pop.rank([], 2)  # nothing mentioned yet: popularity
    result = evaluate(_two(), FixedSystem([ALIEN]), ks=(1, 2), baselines={"popularity": pop, "co-mention": co})
    # co-mention: Alien (nothing before: Heat, Alien → 2), Aliens (after Alien: 1), Heat (Aliens out, Toy 1 ...).
    assert result.baselines["popularity"] == [2, None, 1, None]
    assert result.baselines["co-mention"][:2] == [2, 1]


def test_in_sample_warning_and_report_header(tmp_path):
    train, tune, holdout = "1000", "1029", "1016"
    files = [tmp_path / "train_data_partial.jsonl"]
    files[0].write_text(json.dumps({"conversationId": train, "messages": []}))
    ours = describe_run(files, "train", False, [train])
    assert ours["in_sample"] and "IN-SAMPLE" in ours["warning"] and ours["in_sample_dialogues"] == 1
    assert describe_run(files, "all", False, [train, tune])["warning"]
    assert describe_run(files, "dev-holdout", False, [holdout])["warning"] is None
    assert describe_run(files, "dev-tune", False, [tune])["split_note"].startswith("tuning split")
    # A --data file: external unless it holds train dialogues of the training files.
    ext = describe_run([TWO], "all", True, ["990001", "990002"], files)
    assert ext["source"] == "external file" and not ext["in_sample"] and ext["warning"] is None
    files[0].write_text(TWO.read_text())
    mixed = describe_run([TWO], "all", True, ["990001", "990002"], files)
    assert mixed["in_sample"] and mixed["in_sample_dialogues"] == 2
    unchecked = describe_run([TWO], "all", True, ["990001"], [])
    assert "not checked" in unchecked["source"] and unchecked["warning"] is None
    result = evaluate(_two(), FixedSystem([ALIEN, HEAT]), ks=(1, 10), split="train",
                      baselines={"popularity": FixedSystem([HEAT])})
    paths = write_redial_report(result, tmp_path / "run", {}, ours)
    text = paths["markdown"].read_text()
    first = text.split("\n")[2]
    assert first.startswith("> **⚠ In-sample warning.**") and "**In-sample:** YES" in text
    assert "`train`" in text and "train_data_partial.jsonl" in text and "popularity (baseline)" in text
    saved = json.loads(paths["json"].read_text())
    assert saved["run"]["in_sample"] and "intervals" in saved and saved["baselines"]["popularity"]["intervals"]
    assert paths["recall_at_k"].is_file()
    clean = write_redial_report(result, tmp_path / "ext", {}, ext)["markdown"].read_text()
    assert "warning" not in clean.lower() and "external file" in clean and "**In-sample:** no" in clean


@pytest.mark.skipif(not SHARED.is_file(), reason="shared ReDial file not present")
def test_shared_file_target_count():
    assert count_targets(read_dialogues(SHARED)) == (16_975, 4_709, 32)


# -- the chat-path system on the redial catalog (slow) --------------------------------------------
@pytest.fixture(scope="module")
def redial_home(tmp_path_factory):
    return tmp_path_factory.mktemp("redial-home")


@pytest.fixture(scope="module")
def redial_services(redial_home):
    from tastebud.services import Services
    from tastebud.settings import Settings

    return Services(Settings(home=redial_home, catalog="redial"))


@pytest.mark.slow
def test_chat_system_keeps_the_dialogue_in_a_profile_and_ranks(redial_services):
    system = ChatSystem(redial_services)
    system.observe("seeker", "I loved Alien (1979) but I hated Heat (1995). Any scary sci-fi?")
    profile = redial_services.profiles.get(system.user)
    assert profile.ids("liked") == [ALIEN] and profile.ids("disliked") == [HEAT]
    ranked = system.rank([ALIEN], 50)
    assert len(ranked) == 50 and ALIEN not in ranked and HEAT not in ranked
    first = system.user
    system.reset()
    assert system.user != first and not system.conversation.history


@pytest.mark.slow
def test_chat_system_reads_the_recommenders_list(redial_services):
    system = ChatSystem(redial_services)
    system.observe("seeker", "Any good horror movies?")
    system.observe("recommender", "Have you seen Alien (1979) or Aliens (1986)?")
    system.observe("seeker", "I loved the first one")
    assert redial_services.profiles.get(system.user).ids("liked") == [ALIEN]
    ranked = system.rank([ALIEN, ALIENS], 10)
    assert len(ranked) == 10 and len(set(ranked)) == 10


@pytest.mark.slow
def test_chat_system_on_two_dialogues_ignores_questionnaire(redial_services):
    system = ChatSystem(redial_services)
    result = evaluate(_two(), system, ks=(1, 10, 50))
    trapped = evaluate([QuestionnaireTrap(d) for d in _two()], ChatSystem(redial_services), ks=(1, 10, 50))
    assert result.targets == 4 and trapped.ranks == result.ranks
    assert result.ranks[1] is not None and result.ranks[1] <= 10  # Aliens after "I loved Alien"


@pytest.mark.slow
def test_the_page_recommends_what_the_benchmark_ranks(redial_services):
    """One recommender: a chat turn on the page and the benchmark's adapter, fed the same
    message, give the same picks in the same order."""
    from tastebud.agent import Assistant

    message = "I loved Alien (1979) and The Matrix (1999), but no horror please. Something clever?"
    page = Assistant(redial_services, catalog="redial", checkpointer="memory").turn(
        message, user_id="page-user", thread_id="t")
    system = ChatSystem(redial_services)
    system.observe("seeker", message)
    shown = [r["item_id"] for r in page.recommendations]
    assert len(shown) == 5 and system.rank([], 5) == shown


@pytest.mark.slow
def test_cli_json(redial_services, redial_home, tmp_path):
    from tastebud.cli import app
    from typer.testing import CliRunner

    redial_services.recommender("redial")  # models trained once for the module
    out = tmp_path / "run"
    res = CliRunner().invoke(app, ["eval", "redial", "--data", str(TWO), "--json", "--k", "1,10,50",
                                   "--home", str(redial_home), "--out", str(out)])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.stdout.splitlines() if x.startswith("{"))
    metrics = json.loads(line)
    assert {"recall@1", "recall@10", "recall@50"} <= metrics.keys()
    assert metrics["targets"] == 4 and metrics["dialogues"] == 2
    assert set(metrics["intervals"]) == {"recall@1", "recall@10", "recall@50"}
    assert set(metrics["baselines"]) == {"popularity", "co-mention"}
    assert metrics["run"]["split"] == "all" and metrics["run"]["warning"] is None  # --split all implied
    assert (out / "metrics.json").is_file() and (out / "report.md").is_file() and (out / "recall_at_k.png").is_file()
    assert "external file" in (out / "report.md").read_text()


@pytest.mark.slow
def test_cli_defaults_and_in_sample_warning(redial_services, redial_home, tmp_path, monkeypatch):
    from tastebud.cli import app
    from typer.testing import CliRunner

    redial_services.recommender("redial")
    folder = tmp_path / "redial"
    folder.mkdir()
    (folder / "train_data_partial.jsonl").write_text(TWO.read_text())  # both dialogues are in the train split
    monkeypatch.setenv("TASTEBUD_REDIAL_DIR", str(folder))
    base = ["eval", "redial", "--home", str(redial_home)]
    res = CliRunner().invoke(app, base + ["--json", "--out", str(tmp_path / "default")])
    assert res.exit_code == 0, res.output
    metrics = json.loads(next(x for x in res.stdout.splitlines() if x.startswith("{")))
    assert metrics["split"] == "dev-holdout" and metrics["targets"] == 0 and not metrics["run"]["in_sample"]
    res = CliRunner().invoke(app, base + ["--split", "train", "--out", str(tmp_path / "train")])
    assert res.exit_code == 0, res.output
    assert "WARNING: IN-SAMPLE" in res.stdout and "co-mention (baseline)" in res.stdout
    assert (tmp_path / "train" / "report.md").read_text().split("\n")[2].startswith("> **⚠ In-sample warning.**")
    res = CliRunner().invoke(app, base + ["--split", "test"])
    assert res.exit_code != 0


def test_cli_rejects_bad_k(tmp_path):
    from tastebud.cli import app
    from typer.testing import CliRunner

    res = CliRunner().invoke(app, ["eval", "redial", "--data", str(TWO), "--k", "0,x", "--home", str(tmp_path)])
    assert res.exit_code != 0
