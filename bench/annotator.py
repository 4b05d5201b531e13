"""Does "Select 20 doubtful" pick better than chance? A simulated annotator says.

    OMP_NUM_THREADS=1 .venv/bin/python bench/annotator.py [--only quality|speed|oracle]
        [--seeds 5] [--rounds 10] [--steps 100] [--draws 2] [--datasets reviews ...]

Quality. Per data set and seed: a stratified quarter of the points is held out; the
rest is the pool the annotator labels from, starting with a few labels per class
(about 20 in all, at least 2 a class). Then rounds of: train the tuner as the widget
does, through the session behind it, with no widget (``TunerSession.fit(steps)``, one
partial_fit on everything labelled a step), press "Select 20 doubtful"
(``select_doubtful(20)``), and reveal those points' labels (``label``). Rounds stop at
``--rounds`` or when half the pool is labelled. The random arm starts from the same
labels and takes 20 unlabelled points at random a round (averaged over ``--draws``
draws, to measure chance with less noise).

After every round a logistic regression (C chosen by 3-fold cross-validation, on
macro-F1) is trained on the labelled points' raw embedding and scored on the held-out
points: macro-F1, so that a rare class counts as much as a common one. The table gives
each arm's mean over rounds, ± the standard error over seeds, and the difference
paired by seed. The last column, the score with every pool point labelled, is the
ceiling a pick order works under: where random's mean over rounds already comes near it,
no order of picks can beat random by much.

Oracle (``--only oracle``, not in the default run). Is being doubtful, or even being
wrong, what makes a point worth labelling here? Picks made with the probe itself: its
own 20 most doubtful points, and 20 of the points it gets wrong (an oracle that sees
every label), against random picks on the same splits.

Speed. One pick among 1M points, against the doubt of every point alone and the old
pick (the top 20 of a full sort), in the same process."""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import benchdata
import numpy as np
import results
import torch
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.metrics import f1_score, make_scorer
from sklearn.model_selection import StratifiedKFold, train_test_split

from embedwidget.finetune import FeedForwardTuner
from embedwidget.session import TunerSession
from embedwidget.session.doubt import doubt, pick_doubtful

BATCH = 20  # what the toolbar's button asks for


def _macro_f1(y_true, y_pred):
    return f1_score(y_true, y_pred, average="macro")


# Not scoring="f1_macro": LogisticRegressionCV (scikit-learn 1.9) rebuilds that scorer
# with a pos_label on two-class data and fails; a function without `labels` it leaves be.
MACRO_F1 = make_scorer(_macro_f1)


def heldout_f1(labelled, X, y, X_test, y_test):
    """Macro-F1 on the held-out points of a logistic regression on the labelled ones."""
    labelled = np.asarray(labelled)
    _, counts = np.unique(y[labelled], return_counts=True)
    cv = StratifiedKFold(n_splits=min(3, counts.min()), shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter at the extreme Cs
        # C chosen by the score reported: by accuracy, a skewed set's CV picks a C so
        # small that every point gets the common class.
        clf = LogisticRegressionCV(Cs=np.logspace(-1, 2, 4), cv=cv, scoring=MACRO_F1, max_iter=1000)
        pred = clf.fit(X[labelled], y[labelled]).predict(X_test)
    return f1_score(y_test, pred, average="macro")


def starting_labels(y, rng, total=20):
    """A few labelled points per class, about ``total`` in all (at least 2 per class)."""
    classes = np.unique(y)
    per_class = max(2, total // len(classes))
    return np.concatenate(
        [rng.choice(np.flatnonzero(y == c), per_class, replace=False) for c in classes]
    )


def _plain(label):
    """A numpy scalar label as the Python int or str the widget takes."""
    return label.item() if isinstance(label, np.generic) else label


def doubtful_arm(X, y, start, rounds, steps, seed, on_test):
    """Scores after each round of the widget's own doubtful picks."""
    tuner = FeedForwardTuner(random_state=seed, device="cpu")
    known = np.full(len(y), None, dtype=object)
    known[start] = [_plain(label) for label in y[start]]
    w = TunerSession(tuner, X, labels=known.tolist())
    labelled, scores = list(start), []
    for _ in range(rounds):
        w.fit(steps)
        picked = w.select_doubtful(BATCH)
        for label in np.unique(y[picked]):
            w.label(picked[y[picked] == label], _plain(label))
        labelled.extend(picked.tolist())
        scores.append(on_test(labelled))
    w.close()
    return scores


def random_arm(y, start, rounds, seed, on_test, draws):
    """Scores after each round of 20 points drawn at random among the unlabelled ones,
    averaged over ``draws`` draws (chance's expected score, with less noise)."""
    rng = np.random.default_rng(seed + 1000)
    unlabelled = np.setdiff1d(np.arange(len(y)), start)
    scores = np.zeros(rounds)
    for _ in range(draws):
        order = rng.permutation(unlabelled)
        scores += [
            on_test(np.concatenate([start, order[: BATCH * r]])) for r in range(1, rounds + 1)
        ]
    return scores / draws


class Task(NamedTuple):
    """One data set split for one seed: the pool, its starting labels, the scorer."""

    X: np.ndarray
    y: np.ndarray
    start: np.ndarray
    rounds: int
    on_test: Callable


def tasks(name, seeds, rounds):
    """For each seed: a stratified quarter of ``name`` held out, the rest the pool."""
    X_all, y_all, _ = benchdata.load(name)
    y_all = np.asarray(y_all)
    for seed in seeds:
        rng = np.random.default_rng(seed)
        pool, test = train_test_split(
            np.arange(len(y_all)), test_size=0.25, stratify=y_all, random_state=seed
        )
        X, y = X_all[pool], y_all[pool]
        start = starting_labels(y, rng)
        # Stop at half the pool: once nearly every point is labelled, both arms hold
        # the same points and the order they came in no longer shows.
        n_rounds = min(rounds, (len(pool) // 2 - len(start)) // BATCH)
        on_test = partial(heldout_f1, X=X, y=y, X_test=X_all[test], y_test=y_all[test])
        yield seed, Task(X, y, start, n_rounds, on_test)


def run(name, seeds, rounds, steps, draws):
    doubtful, random, ceiling = [], [], []
    for seed, t in tasks(name, seeds, rounds):
        doubtful.append(np.mean(doubtful_arm(t.X, t.y, t.start, t.rounds, steps, seed, t.on_test)))
        random.append(np.mean(random_arm(t.y, t.start, t.rounds, seed, t.on_test, draws)))
        ceiling.append(t.on_test(np.arange(len(t.y))))
    arms = np.array(doubtful), np.array(random), np.array(ceiling)
    return *arms, t.rounds, len(np.unique(t.y))


def probe_arm(t, seed, errors):
    """Scores after each round of 20 picks made with the probe itself (a logistic
    regression on the labelled points' raw embedding): its 20 most doubtful points, or,
    with ``errors``, 20 drawn at random among the points it gets wrong (an oracle that
    knows every label: the most informative points, if being wrong is what informs)."""
    rng = np.random.default_rng(seed + 2000)
    labelled, scores = t.start, []
    for _ in range(t.rounds):
        unlabelled = np.setdiff1d(np.arange(len(t.y)), labelled)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            probe = LogisticRegression(max_iter=1000).fit(t.X[labelled], t.y[labelled])
        proba = probe.predict_proba(t.X[unlabelled])
        if errors:
            wrong = unlabelled[probe.classes_[proba.argmax(axis=1)] != t.y[unlabelled]]
            rest = np.setdiff1d(unlabelled, wrong)
            order = np.concatenate([rng.permutation(wrong), rng.permutation(rest)])
            picked = order[:BATCH]
        else:
            picked = unlabelled[np.argsort(-doubt(proba), kind="stable")[:BATCH]]
        labelled = np.concatenate([labelled, picked])
        scores.append(t.on_test(labelled))
    return scores


def oracle(args):
    """How much can picking by being wrong gain at all? Picks made with the probe's own
    doubt and with its known errors, against random picks, on the same splits."""
    print(
        f"macro-F1 held out, mean over rounds of {BATCH} picks minus random's (mean of "
        f"{args.draws} draws), ± standard error over {args.seeds} seeds; picks by the probe "
        "(a logistic regression on the labelled points)"
    )
    print(f"{'data set':<14} {'random':>13}  {'probe doubt':>14}  {'probe errors':>14}")
    for name in args.datasets:
        scores = np.array(
            [
                [
                    np.mean(random_arm(t.y, t.start, t.rounds, seed, t.on_test, args.draws)),
                    np.mean(probe_arm(t, seed, errors=False)),
                    np.mean(probe_arm(t, seed, errors=True)),
                ]
                for seed, t in tasks(name, range(args.seeds), args.rounds)
            ]
        )
        random, doubtful, errors = scores.T
        print(
            f"{name:<14} {mean_se(random):>13}  {mean_se(doubtful - random, '+'):>14}  "
            f"{mean_se(errors - random, '+'):>14}",
            flush=True,
        )


def mean_se(values, sign=""):
    se = values.std(ddof=1) / np.sqrt(len(values))
    return f"{values.mean():{sign}.3f} ± {se:.3f}"


def quality(args):
    print(
        f"macro-F1 held out, mean over rounds of {BATCH} picks, ± standard error over "
        f"{args.seeds} seeds; {args.steps} training steps a round; random: mean of "
        f"{args.draws} draws a seed"
    )
    print(f"{'data set':<14} {'classes':>7} {'rounds':>6}  {'doubtful':>13}  {'random':>13}  "
          f"{'difference':>14}  {'all labelled':>13}")  # fmt: skip
    gains = []
    for name in args.datasets:
        began = time.perf_counter()
        doubtful, random, ceiling, n_rounds, n_classes = run(
            name, range(args.seeds), args.rounds, args.steps, args.draws
        )
        gains.append((doubtful - random).mean())
        print(
            f"{name:<14} {n_classes:>7} {n_rounds:>6}  {mean_se(doubtful):>13}  "
            f"{mean_se(random):>13}  {mean_se(doubtful - random, '+'):>14}  "
            f"{mean_se(ceiling):>13}  ({time.perf_counter() - began:.0f}s)",
            flush=True,
        )
    print(f"mean difference over the data sets: {np.mean(gains):+.3f} (target >= +0.02)")


def best_of(repeats, call):
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return min(times)


def doubt_of(proba, candidates):
    return doubt(proba[candidates])


def old_pick(proba, candidates):
    return candidates[np.argsort(-doubt_of(proba, candidates), kind="stable")[:BATCH]]


def speed(n_points=1_000_000, hidden_dim=50, repeats=5):
    """A pick among 1M unlabelled points, against the doubt of every point alone (the
    least any pick must do) and the old pick (the top 20 of a full sort)."""
    rng = np.random.default_rng(0)
    embedding = rng.normal(size=(n_points, hidden_dim)).astype(np.float32)
    candidates = np.arange(n_points)
    print(f"one pick of {BATCH} among {n_points:,} points, {hidden_dim}-d embedding, best of "
          f"{repeats}:")  # fmt: skip
    for n_classes in (2, 20):
        proba = rng.dirichlet(np.full(n_classes, 0.3), size=n_points).astype(np.float32)
        pick = best_of(repeats, partial(pick_doubtful, proba, candidates, BATCH, embedding))
        alone = best_of(repeats, partial(doubt_of, proba, candidates))
        old = best_of(repeats, partial(old_pick, proba, candidates))
        print(
            f"  {n_classes:>2} classes: pick {pick:.3f}s; doubt alone {alone:.3f}s "
            f"(pick/doubt {pick / alone:.2f}); old top-{BATCH} by full sort {old:.3f}s "
            f"(pick/old {pick / old:.2f})"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["quality", "speed", "oracle"])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--steps", type=int, default=100, help="training steps a round")
    parser.add_argument("--draws", type=int, default=2, help="random draws a seed")
    parser.add_argument("--datasets", nargs="+", default=list(benchdata.DATASETS))
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.only == "oracle":
        oracle(args)
        return
    if args.only != "speed":
        quality(args)
    if args.only != "quality":
        speed()


if __name__ == "__main__":
    with results.recording():
        main()
