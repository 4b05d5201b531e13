"""Is the live model's confidence honest, and does training stop once it has converged?

    OMP_NUM_THREADS=1 .venv/bin/python bench/calibration.py [--seeds 3] [--labels 20 200]
        [--steps 300 2000] [--datasets reviews bbc-news ucla-courses fast-food]

Per data set, seed and number of labels (20: a few per class as ``annotator.py`` starts,
at least 2 a class; 200: a stratified sample), a ``TunerSession`` trains
FeedForwardTuner's defaults as the widget does (``fit(steps)``, one partial_fit on every
label a step) and is scored on the unlabelled points after each of ``--steps`` steps
(convergence is turned off for this part, so the steps are made):

- ECE: expected calibration error of the top label, 10 equal-width bins of confidence;
- sure / wrong: the share of unlabelled points suggested at >= 99%, and the share of
  those suggestions that are wrong;
- acc: accuracy of the suggestions.

Probabilities compared: a logistic regression (C by cross-validation on the same labels,
``LogisticRegressionCV``), the live model's own (``model.predict_proba``: before this
bench's change, what the person saw), the session's (``session.proba``: the temperature
fitted on the twins' held-out predictions, see ``embedwidget/session/calibration.py``),
and the alternatives measured: the same twins with no prior on the temperature or a
tighter one, and a slice of the labels held back from the live model (a fifth of each
class by a fixed draw per point, at least one when the class has 3 labels or more),
with the temperature fitted on it; "acc -slice" is what holding it back costs.

Convergence: a session with the defaults trains with ``fit(--max-steps)``, which stops
early when training converges; then one more step (``fit(1)``), and how far the median
point moved in it, as a share of the picture's width.
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
from annotator import starting_labels
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import StratifiedKFold, train_test_split

from embedwidget.finetune import FeedForwardTuner
from embedwidget.session import TunerSession
from embedwidget.session.calibration import fit_temperature, temper
from embedwidget.session.convergence import Convergence, median_movement

SLICE = 0.2  # the held-back alternative: this share of each class
PRIORS = {"no prior": 1e6, "prior 0.5": 0.5}  # the twins' alternatives (the default: 2)


def ece(proba, truth, bins=10):
    """Expected calibration error of the top label (``truth``: class positions)."""
    confidence, right = proba.max(axis=1), proba.argmax(axis=1) == truth
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    return sum(
        (which == b).mean() * abs(right[which == b].mean() - confidence[which == b].mean())
        for b in range(bins)
        if (which == b).any()
    )


def scores(proba, truth):
    """ECE, share suggested at >= 99%, wrong among those, accuracy."""
    sure = proba.max(axis=1) >= 0.99
    right = proba.argmax(axis=1) == truth
    wrong = float((~right[sure]).mean()) if sure.any() else 0.0
    return {"ece": ece(proba, truth), "sure": sure.mean(), "wrong": wrong, "acc": right.mean()}


def labelled_points(y, seed, n_labels):
    rng = np.random.default_rng(seed)
    if n_labels <= 20:
        return starting_labels(y, rng, n_labels)
    rows, _ = train_test_split(
        np.arange(len(y)), train_size=n_labels, stratify=y, random_state=seed
    )
    return np.sort(rows)


def held_back_slice(rows, y, seed):
    """The slice alternative: a fifth of each class by a fixed draw per point, at least
    one when the class has 3 labels or more, never leaving a class fewer than 2."""
    draw = np.random.default_rng(seed + 500).random(rows.max() + 1)
    held = []
    for label in np.unique(y[rows]):
        mine = rows[y[rows] == label]
        slice_ = mine[draw[mine] < SLICE]
        if not len(slice_) and len(mine) >= 3:
            slice_ = mine[[np.argmin(draw[mine])]]
        held.extend(slice_[: max(0, len(mine) - 2)].tolist())
    return np.array(sorted(held), dtype=np.int64)


def logistic(X, y, rows):
    _, counts = np.unique(y[rows], return_counts=True)
    cv = StratifiedKFold(n_splits=min(3, counts.min()), shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return LogisticRegressionCV(Cs=np.logspace(-2, 3, 8), cv=cv, max_iter=2000).fit(
            X[rows], y[rows]
        )


def session_on(X, y, rows, seed, converge=False):
    known = np.full(len(y), None, dtype=object)
    known[rows] = [label.item() if isinstance(label, np.generic) else label for label in y[rows]]
    session = TunerSession(FeedForwardTuner(random_state=seed, device="cpu"), X, labels=known)
    if not converge:
        session.convergence = Convergence(window=10**9)
    return session


def one_run(X, y, seed, n_labels, steps):
    """Scores of every kind of probability after each number of ``steps``."""
    rows = labelled_points(y, seed, n_labels)
    unlabelled = np.setdiff1d(np.arange(len(y)), rows)
    code_of = {c: i for i, c in enumerate(np.unique(y).tolist())}
    truth = np.array([code_of[c] for c in y[unlabelled].tolist()])
    held = held_back_slice(rows, y, seed)
    out = {"lr": scores(logistic(X, y, rows).predict_proba(X[unlabelled]), truth)}
    live = session_on(X, y, rows, seed)
    sliced = session_on(X, y, np.setdiff1d(rows, held), seed)
    sliced.calibration.template = None  # no twins: the slice calibrates it
    for n in steps:
        live.fit(n - live.steps)
        raw = live.model.predict_proba(X[unlabelled])
        out[f"raw@{n}"] = scores(raw, truth)
        out[f"twins@{n}"] = scores(live.proba(unlabelled), truth)
        found = live.calibration.held_out(rows, y[rows], lambda r: X[r], live.model.classes_)
        for name, prior in PRIORS.items():
            t, _ = fit_temperature(*found, prior=prior)
            out[f"{name}@{n}"] = scores(temper(raw, t), truth)
        sliced.fit(n - sliced.steps)
        raw = sliced.model.predict_proba(X[unlabelled])
        out[f"-slice@{n}"] = scores(raw, truth)
        if len(held):
            logits = np.log(np.maximum(sliced.model.predict_proba(X[held]), 1e-300))
            t, _ = fit_temperature(logits, np.array([code_of[c] for c in y[held].tolist()]))
            out[f"slice@{n}"] = scores(temper(raw, t), truth)
    live.close()
    sliced.close()
    return out


def convergence_run(X, y, seed, n_labels, max_steps):
    """Steps until converged (None if not by ``max_steps``), seconds, the median
    movement of one more step (share of the picture's width) and the ECE then."""
    rows = labelled_points(y, seed, n_labels)
    session = session_on(X, y, rows, seed, converge=True)
    began = time.perf_counter()
    session.fit(max_steps)
    seconds = time.perf_counter() - began
    converged = session.convergence.step if session.converged else None
    status = session.status
    before = session.positions.copy()
    session.fit(1)
    moved = median_movement(before, session.positions)
    unlabelled = np.setdiff1d(np.arange(len(y)), rows)
    code_of = {c: i for i, c in enumerate(np.unique(y).tolist())}
    truth = np.array([code_of[c] for c in y[unlabelled].tolist()])
    calibrated = ece(session.proba(unlabelled), truth)
    session.close()
    return converged, seconds, moved, calibrated, status


def mean(runs, key, field):
    values = [run[key][field] for run in runs if key in run]
    return np.mean(values) if values else np.nan


def calibration_tables(args):
    kinds = ["lr", "raw", "twins", *PRIORS, "slice"]
    by_set = {}
    for name in args.datasets:
        X, y, _ = benchdata.load(name)
        y = np.asarray(y)
        for n_labels in args.labels:
            began = time.perf_counter()
            runs = [one_run(X, y, seed, n_labels, args.steps) for seed in range(args.seeds)]
            by_set[name, n_labels] = runs
            seconds = time.perf_counter() - began
            print(f"  ({name}, {n_labels} labels: {seconds:.0f}s)", file=sys.stderr, flush=True)
    print(
        "The 20 labels are a few a class, at least 2 (annotator.py's start); the 200 a "
        "stratified sample. slice: '-' where no class could spare a label."
    )
    for n_labels in args.labels:
        for n in args.steps:
            print(
                f"\nECE on the unlabelled points, {n_labels} labels, after {n} steps; mean of "
                f"{args.seeds} seeds; target: twins <= lr + 0.02 on every data set (worst: "
                "the largest twins - lr of a seed); acc of the live model, and what the "
                "slice held back from it costs"
            )
            print(f"{'data set':<14}" + "".join(f"{k:>10}" for k in kinds)
                  + f"{'worst':>8}{'acc':>7}{'-slice':>8}")  # fmt: skip
            for name in args.datasets:
                runs = by_set[name, n_labels]
                cells = [mean(runs, "lr" if k == "lr" else f"{k}@{n}", "ece") for k in kinds]
                worst = max(r[f"twins@{n}"]["ece"] - r["lr"]["ece"] for r in runs)
                acc = mean(runs, f"raw@{n}", "acc")
                cost = mean(runs, f"-slice@{n}", "acc") - acc
                table = "".join("         -" if np.isnan(c) else f"{c:>10.3f}" for c in cells)
                cost = "       -" if np.isnan(cells[-1]) else f"{cost:>+8.3f}"
                print(f"{name:<14}{table}{worst:>+8.3f}{acc:>7.3f}{cost}")
            print(
                f"suggestions at >= 99%: share of the unlabelled points / wrong among them "
                f"({n_labels} labels, {n} steps; target wrong <= 3%)"
            )
            for name in args.datasets:
                runs = by_set[name, n_labels]
                cells = [
                    f"{mean(runs, key, 'sure'):.2f}/{mean(runs, key, 'wrong'):.3f}"
                    for key in ("lr", f"raw@{n}", f"twins@{n}")
                ]
                print(f"{name:<14} lr {cells[0]:>11}  raw {cells[1]:>11}  twins {cells[2]:>11}")


def cost_table(args, steps=300):
    """What the twins cost: ``fit(steps)`` with and without them, same labels."""
    name = args.datasets[0]
    X, y, _ = benchdata.load(name)
    y = np.asarray(y)
    print(f"\nWhat the twins cost: seconds for fit({steps}) on {name} ({len(y):,} points), "
          "frames included, with the twins and without (seed 0)")  # fmt: skip
    for n_labels in args.labels:
        rows = labelled_points(y, 0, n_labels)
        times = []
        for twins in (True, False):
            session = session_on(X, y, rows, 0)
            if not twins:
                session.calibration.template = None
            began = time.perf_counter()
            session.fit(steps)
            times.append(time.perf_counter() - began)
            session.close()
        print(f"  {len(rows)} labels: {times[0]:.1f}s with, {times[1]:.1f}s without "
              f"({times[0] / times[1]:.1f}x)")  # fmt: skip


def convergence_table(args):
    print(
        f"\nConvergence: fit({args.max_steps}) stops once converged; then fit(1): how far "
        "the median point moved, share of the picture's width (target <= 1%); "
        "per seed"
    )
    print(f"{'data set':<14} {'labels':>6}  {'converged at step':<22} {'seconds':<18} "
          f"{'one more step':<24} {'ECE then':<18}")  # fmt: skip
    for name in args.datasets:
        X, y, _ = benchdata.load(name)
        y = np.asarray(y)
        for n_labels in args.labels:
            runs = [
                convergence_run(X, y, seed, n_labels, args.max_steps) for seed in range(args.seeds)
            ]
            steps = ", ".join("-" if r[0] is None else str(r[0]) for r in runs)
            seconds = ", ".join(f"{r[1]:.0f}" for r in runs)
            moved = ", ".join(f"{r[2]:.2%}" for r in runs)
            calibrated = ", ".join(f"{r[3]:.3f}" for r in runs)
            print(f"{name:<14} {n_labels:>6}  {steps:<22} {seconds:<18} {moved:<24} "
                  f"{calibrated:<18}", flush=True)  # fmt: skip
    print(f"status once converged reads like: {runs[-1][4]!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["calibration", "convergence", "cost"])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--labels", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--steps", type=int, nargs="+", default=[300, 2000])
    parser.add_argument("--max-steps", type=int, default=3000)
    parser.add_argument(
        "--datasets", nargs="+", default=["reviews", "bbc-news", "ucla-courses", "fast-food"]
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.only in (None, "calibration"):
        calibration_tables(args)
    if args.only in (None, "convergence"):
        convergence_table(args)
    if args.only in (None, "cost"):
        cost_table(args)


if __name__ == "__main__":
    with results.recording():
        main()
