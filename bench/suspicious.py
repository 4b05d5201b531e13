"""Does ``suspicious_labels()`` find the wrong labels, and better than cleanlab?

    OMP_NUM_THREADS=1 .venv/bin/python bench/suspicious.py [--seeds 5] [--steps 500]
        [--datasets reviews bbc-news ucla-courses fast-food]

A simulated labeller, per data set and seed, makes 200 labels in the store as a person
would in the widget:

- 160 points drawn at random, each labelled on its own (one action each), 5% of them
  (8) slips: a wrong class drawn at random;
- one hasty lasso: a random unlabelled point and its 39 nearest unlabelled neighbours
  in the raw embedding (cosine), 40 points given their majority true label in one
  action, so its minority is labelled wrong.

Then a ``TunerSession`` trains FeedForwardTuner's defaults as the widget does
(``fit(--steps)``, which stops early once training converges), and each ranking of the
200 labels is scored by its precision at k, k the number of wrong labels:

- ours: ``suspicious_labels(session, n=200)``;
- cleanlab: ``cleanlab.filter.find_label_issues(ranked_by="self_confidence")`` on the
  3-fold cross-validated ``predict_proba`` of a ``LogisticRegression()`` on the raw
  embedding (the issue's reference), its issues first, then the other labels by
  self-confidence (when it flags fewer than k);
- random: the wrong share, k / 200 (what a random order scores on average);
- ablations of ours: "no history" (every label treated as given alone), "no twins" (the
  grouped logistic regression alone).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings

import benchdata
import numpy as np
import results
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict

from embedwidget.finetune import FeedForwardTuner
from embedwidget.session import TunerSession
from embedwidget.session import suspicious as sus

SINGLES, SLIPS, LASSO = 160, 8, 40


def plain(label):
    return label.item() if isinstance(label, np.generic) else label


def simulated_labels(X, y, seed):
    """``(actions, truth)``: the labeller's actions, each (points, labels), in order."""
    rng = np.random.default_rng(seed)
    classes = np.unique(y)
    singles = rng.choice(len(y), SINGLES, replace=False)
    given = y[singles].copy()
    for i in rng.choice(SINGLES, SLIPS, replace=False):
        given[i] = rng.choice(classes[classes != y[singles[i]]])
    free = np.setdiff1d(np.arange(len(y)), singles)
    unit = X / np.linalg.norm(X, axis=1, keepdims=True)
    centre = rng.choice(free)
    lasso = free[np.argsort(-(unit[free] @ unit[centre]), kind="stable")[:LASSO]]
    values, counts = np.unique(y[lasso], return_counts=True)
    actions = [([i], [g]) for i, g in zip(singles.tolist(), given.tolist(), strict=True)]
    actions.append((lasso.tolist(), [values[counts.argmax()]] * LASSO))
    return actions


def precision_at_k(order, wrong):
    k = wrong.sum()
    return wrong[np.asarray(order)[:k]].mean()


def cleanlab_order(X, codes):
    """The issue's reference: cleanlab's label issues ranked by self-confidence on
    3-fold cross-validated logistic regression probabilities; then the rest."""
    from cleanlab.filter import find_label_issues

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proba = cross_val_predict(
            LogisticRegression(max_iter=1000), X, codes, cv=3, method="predict_proba"
        )
        issues = find_label_issues(codes, proba, return_indices_ranked_by="self_confidence")
    confidence = proba[np.arange(len(codes)), codes]
    rest = [i for i in np.argsort(confidence, kind="stable") if i not in set(issues)]
    return np.r_[issues, rest].astype(np.int64)


def ablation_order(session, rows, codes, history=True, twins=True):
    """Ours without the history of the labels, or without the twins."""
    groups, sizes = sus.sweeps(session.store, rows, codes)
    if not history:
        groups, sizes = np.arange(len(rows)), np.ones(len(rows), dtype=np.int64)
    k = len(session.model.classes_)
    _, p_wrong = sus.judge(session, rows, codes, groups, sizes, k, twins=twins)
    return np.argsort(-p_wrong, kind="stable")


def one_run(X, y, seed, steps):
    session = TunerSession(FeedForwardTuner(random_state=seed, device="cpu"), X)
    for points, labels in simulated_labels(X, y, seed):
        session.label_each(points, [plain(label) for label in labels])
    began = time.perf_counter()
    session.fit(steps)
    trained = time.perf_counter() - began
    rows, given = session.labels.labelled()
    wrong = np.array([str(g) != str(t) for g, t in zip(given, y[rows], strict=True)])
    classes = [str(c) for c in session.model.classes_.tolist()]
    codes = np.array([classes.index(str(g)) for g in given.tolist()])
    began = time.perf_counter()
    frame = sus.suspicious_labels(session, n=len(rows))
    seconds = time.perf_counter() - began
    ours = np.searchsorted(rows, frame["index"].to_numpy())
    out = {
        "k": int(wrong.sum()),
        "lasso wrong": int(wrong[sus.sweeps(session.store, rows, codes)[1] > 1].sum()),
        "steps": session.steps,
        "ours": precision_at_k(ours, wrong),
        "cleanlab": precision_at_k(cleanlab_order(X[rows], codes), wrong),
        "random": wrong.mean(),
        "no history": precision_at_k(ablation_order(session, rows, codes, history=False), wrong),
        "no twins": precision_at_k(ablation_order(session, rows, codes, twins=False), wrong),
        "train s": trained,
        "find s": seconds,
    }
    session.close()
    return out


COLUMNS = ["ours", "cleanlab", "random", "no history", "no twins"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument(
        "--datasets", nargs="+", default=["reviews", "bbc-news", "ucla-courses", "fast-food"]
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(
        f"Precision at k of the wrong labels among 200 ({SINGLES} one by one with {SLIPS} "
        f"slips, one lasso of {LASSO} given its majority label), k = the number wrong; "
        f"the session trained with fit({args.steps}) (stops once converged)."
    )
    header = f"{'data set':<14}{'seed':>5}{'k':>4}{'lasso':>6}{'steps':>6}" + "".join(
        f"{c:>11}" for c in COLUMNS
    )
    means = {}
    for name in args.datasets:
        X, y, _ = benchdata.load(name)
        y = np.asarray(y)
        print(f"\n{header}")
        runs = []
        for seed in range(args.seeds):
            run = one_run(X, y, seed, args.steps)
            runs.append(run)
            print(
                f"{name:<14}{seed:>5}{run['k']:>4}{run['lasso wrong']:>6}{run['steps']:>6}"
                + "".join(f"{run[c]:>11.3f}" for c in COLUMNS),
                flush=True,
            )
            print(f"  (train {run['train s']:.1f}s, find {run['find s']:.2f}s)", file=sys.stderr)
        means[name] = {c: np.mean([r[c] for r in runs]) for c in COLUMNS}
        means[name]["se"] = np.std([r["ours"] - r["cleanlab"] for r in runs], ddof=1) / np.sqrt(
            len(runs)
        )
        means[name]["find s"] = np.mean([r["find s"] for r in runs])
    print(
        f"\nMeans over {args.seeds} seeds. Targets: mean over data sets of ours - cleanlab "
        ">= +0.05; ours >= 2x random on every data set."
    )
    print(
        f"{'data set':<14}" + "".join(f"{c:>11}" for c in COLUMNS)
        + f"{'ours-clean':>11}{'± se':>7}{'x random':>9}{'find s':>8}"
    )  # fmt: skip
    for name, m in means.items():
        print(
            f"{name:<14}" + "".join(f"{m[c]:>11.3f}" for c in COLUMNS)
            + f"{m['ours'] - m['cleanlab']:>+11.3f}{m['se']:>7.3f}"
            + f"{m['ours'] / m['random']:>9.1f}{m['find s']:>8.2f}"
        )  # fmt: skip
    gain = np.mean([m["ours"] - m["cleanlab"] for m in means.values()])
    worst = min(m["ours"] / m["random"] for m in means.values())
    print(f"mean ours - cleanlab: {gain:+.3f}; worst ours / random: {worst:.1f}x")


if __name__ == "__main__":
    with results.recording():
        main()
