"""FeedForwardTuner against embetter's, on the same data in one process.

    OMP_NUM_THREADS=1 .venv/bin/python bench/feedforward.py [--seeds 5] [--only speed|quality]

Speed: fit time of 500 epochs on 200x384 float32 (real review embeddings), hidden_dim=200,
batch 32, as the ratio ours / embetter's (best of a few runs each, both warmed up first).

Quality: a logistic regression, its C chosen by cross-validation on the training
points, is trained on 200 labelled points (or half the data where there is less) and
scored on every other point, on the raw embedding, on ours and on embetter's tuned
embedding. Averaged over seeds; accuracy, macro-F1 and balanced accuracy.
"""

from __future__ import annotations

import argparse
import time
import warnings

import benchdata
import numpy as np
import results
import torch

from embedwidget.finetune import FeedForwardTuner


def fit_time(make, X, y, repeats):
    make().fit(X[:32], y[:32])  # warm up imports and kernels
    times = []
    for _ in range(repeats):
        model = make()
        start = time.perf_counter()
        model.fit(X, y)
        times.append(time.perf_counter() - start)
    return min(times)


def speed(repeats=3):
    from embetter.finetune import FeedForwardTuner as EmbetterTuner

    X, y, _ = benchdata.load("reviews")
    X, y = X[:200], y[:200]
    settings = dict(n_epochs=500, learning_rate=0.01, hidden_dim=200)
    theirs = fit_time(lambda: EmbetterTuner(**settings), X, y, repeats)
    # All 500 epochs, like embetter: early stopping would make ours look faster still.
    ours = fit_time(
        lambda: FeedForwardTuner(**settings, early_stopping=False, device="cpu", random_state=0),
        X, y, repeats,
    )  # fmt: skip
    print(
        f"fit 500 epochs, 200x384 reviews, hidden 200, {torch.get_num_threads()} thread(s): "
        f"embetter {theirs:.3f}s, ours {ours:.3f}s, "
        f"ratio ours/embetter {ours / theirs:.3f} (target <= 0.25)"
    )
    return ours / theirs


def heldout_scores(X_train, y_train, X_test, y_test):
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = LogisticRegressionCV(Cs=np.logspace(-3, 3, 13), cv=5, max_iter=2000)
        pred = clf.fit(X_train, y_train).predict(X_test)
    return np.array(
        [
            accuracy_score(y_test, pred),
            f1_score(y_test, pred, average="macro"),
            balanced_accuracy_score(y_test, pred),
        ]
    )


def split(y, seed, n_train=200):
    rng = np.random.default_rng(seed)
    n_train = min(n_train, len(y) // 2)
    order = rng.permutation(len(y))
    return order[:n_train], order[n_train:]


def quality(seeds, variants):
    from embetter.finetune import FeedForwardTuner as EmbetterTuner

    rows = {}
    for name in benchdata.DATASETS:
        X, y, _ = benchdata.load(name)
        scores = {key: [] for key in ["raw", "embetter", *variants]}
        for seed in range(seeds):
            train, test = split(y, seed)
            torch.manual_seed(seed)
            tuned = {
                "raw": (X[train], X[test]),
                "embetter": _fit_transform(
                    EmbetterTuner(n_epochs=500, learning_rate=0.01, hidden_dim=200),
                    X,
                    y,
                    train,
                    test,
                ),
            }
            for key, params in variants.items():
                model = FeedForwardTuner(**params, device="cpu", random_state=seed)
                tuned[key] = _fit_transform(model, X, y, train, test)
            for key, (A, B) in tuned.items():
                scores[key].append(heldout_scores(A, y[train], B, y[test]))
        rows[name] = {key: np.mean(v, axis=0) for key, v in scores.items()}
        n_train = len(split(y, 0)[0])
        print(f"\n{name}: {n_train} labelled, {len(y) - n_train} held out, {seeds} seeds")
        print(f"  {'features':<34}{'accuracy':>9}{'macro-F1':>9}{'bal.acc':>9}{'F1-raw':>9}")
        for key, (acc, f1, bal) in rows[name].items():
            print(f"  {key:<34}{acc:9.3f}{f1:9.3f}{bal:9.3f}{f1 - rows[name]['raw'][1]:+9.3f}")
    print("\nmean over datasets (macro-F1 minus raw):")
    for key in next(iter(rows.values())):
        delta = np.mean([r[key][1] - r["raw"][1] for r in rows.values()])
        acc = np.mean([r[key][0] - r["raw"][0] for r in rows.values()])
        print(f"  {key:<34} F1 {delta:+.3f}  accuracy {acc:+.3f}")
    return rows


def _fit_transform(model, X, y, train, test):
    model.fit(X[train], y[train])
    return model.transform(X[train]), model.transform(X[test])


DEFAULTS = {
    "ours (defaults, hidden 200)": dict(hidden_dim=200),
    "ours, all 500 epochs": dict(hidden_dim=200, early_stopping=False),
}
# The settings the defaults were chosen from (--sweep); all with hidden_dim=200.
SWEEP = {
    f"{act} {epochs}ep wd={wd}{' early' if early else ''}": dict(
        hidden_dim=200, activation=act, n_epochs=epochs, weight_decay=wd, early_stopping=early
    )
    for act, epochs, wd, early in [
        ("relu", 500, 0.0, False),
        ("sigmoid", 500, 0.0, False),
        ("tanh", 500, 0.0, False),
        ("identity", 500, 0.0, False),
        ("relu", 50, 0.0, False),
        ("tanh", 50, 0.0, False),
        ("identity", 50, 0.0, False),
        ("relu", 500, 0.1, False),
        ("tanh", 500, 0.1, False),
        ("relu", 500, 0.0, True),
        ("tanh", 500, 0.0, True),
        ("tanh", 100, 0.01, False),
    ]
}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--only", choices=["speed", "quality"])
    parser.add_argument("--sweep", action="store_true", help="compare the candidate defaults")
    parser.add_argument("--threads", type=int, default=1, help="torch threads for both libraries")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with results.recording():
        if args.only != "quality":
            speed()
        if args.only != "speed":
            quality(args.seeds, SWEEP if args.sweep else DEFAULTS)
