"""Write the collaborative-filtering evaluation: ``metrics.json``, ``report.md``, a PNG chart."""

from __future__ import annotations

from pathlib import Path

__all__ = ["markdown_table", "write_cf_report"]

_COLUMNS = ("recall@20", "ndcg@20", "coverage", "diversity")


def markdown_table(metrics: dict) -> str:
    """The metrics of every model as a Markdown table (one row per model)."""
    k = metrics.get("k", 20)
    cols = [c.replace("@20", f"@{k}") for c in _COLUMNS]
    lines = ["| model | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    for name, row in metrics["models"].items():
        lines.append(f"| {name} | " + " | ".join(f"{row.get(c, 0):.4f}" for c in cols) + " |")
    split = metrics.get("split", {})
    lines += ["", f"{split.get('protocol', '')} split, {split.get('heldout_users', '?')} held-out users "
              f"({split.get('train_users', '?')} for training), seed {metrics.get('seed')}, "
              f"EASE λ = {metrics.get('ease_lambda')} (chosen on a dev split of the training users), "
              f"hybrid MMR λ = {metrics.get('hybrid', {}).get('mmr_lambda')}. Coverage = share of the "
              f"{split.get('items', '?')} catalog items shown to at least one user; diversity = mean pairwise "
              "1 − cosine of item embeddings within a list."]
    if metrics.get("ease_vs_popularity") is not None:
        lines += ["", f"EASE / popularity {cols[0]}: **{metrics['ease_vs_popularity']:.3f}×**."]
    if metrics.get("folds"):
        lines += ["", f"| fold | held-out users | EASE λ | " + " | ".join(metrics["models"]) + " | EASE / popularity |",
                  "|---:|---:|---:|" + "---:|" * (len(metrics["models"]) + 1)]
        for i, fold in enumerate(metrics["folds"], 1):
            scores = " | ".join(f"{fold[cols[0]].get(name, 0):.4f}" for name in metrics["models"])
            lines.append(f"| {i} | {fold['heldout_users']} | {fold['ease_lambda']:g} | {scores} | "
                         f"{fold['ease_vs_popularity']:.3f} |")
    return "\n".join(lines) + "\n"


def write_cf_report(metrics: dict, out: Path) -> dict[str, Path]:
    """Write ``metrics.json``, ``report.md`` and ``metrics.png`` (bar chart) into ``out``.

    Returns:
        The paths, keyed ``json``, ``markdown`` and ``png``.
    """
    import numpy as np

    from .reports import write_report

    k = metrics.get("k", 20)
    cols = [c.replace("@20", f"@{k}") for c in _COLUMNS]
    names = list(metrics["models"])

    def chart(ax) -> None:
        width = 0.8 / max(1, len(names))
        x = np.arange(len(cols))
        for i, name in enumerate(names):
            ax.bar(x + i * width, [metrics["models"][name].get(c, 0) for c in cols], width, label=name)
        ax.set_xticks(x + width * (len(names) - 1) / 2, cols)
        ax.set_ylabel("score")
        ax.set_title(f"CF offline evaluation ({metrics.get('catalog')}, strong generalisation)")
        ax.legend(fontsize=8)

    paths = write_report(out, metrics, markdown_table(metrics), {"metrics": chart},
                         title="Collaborative filtering: offline evaluation")
    paths["png"] = paths.pop("metrics")
    return paths
