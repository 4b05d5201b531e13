"""What a tuner does to the picture and to what the embedding knows, on held-out data.

    OMP_NUM_THREADS=1 .venv/bin/python bench/quality.py [--seeds 5] [--kind feedforward]

For every data set of ``benchdata`` and every seed, 200 items (half the set where there
are fewer) are labelled and the rest held out. Each method learns from the labelled
items only; on the held-out items two numbers are scored:

- picture: the macro-F1 of a logistic regression on the 2-D PCA of the held-out points'
  embedding, by 5-fold cross-validation (how notebook 04 measures the picture one labels
  from);
- macro-F1: a logistic regression, C chosen by cross-validation on the labelled items,
  trained on the labelled items' embedding and scored on the held-out ones (does the
  embedding still know what the raw one knew?).

Methods: the raw embedding; scikit-learn's NeighborhoodComponentsAnalysis (full rank);
embetter's tuner of the same kind and ours, each with its defaults (``--variants`` adds
the design candidates of ``VARIANTS``). Every number is a mean over seeds, every
difference from raw has its standard error, paired by seed. Results of raw, NCA and
embetter are cached in ``bench/.cache`` (they do not change with our code).
"""

from __future__ import annotations

import argparse
import json
import warnings

import benchdata
import numpy as np
import results
import torch
from feedforward import split

from embedwidget.finetune import ContrastiveTuner, FeedForwardTuner

OURS = {"feedforward": FeedForwardTuner, "contrastive": ContrastiveTuner}
# Design candidates, scored with --variants --raw-only --seeds 3 on seeds 100-102 (the
# defaults are reported on seeds 0-4). Mean over the data sets, picture / macro-F1 minus
# raw: FeedForwardTuner with relu (the old default) +0.089 / +0.027, the other relu and
# identity/tanh rows within 0.008 / 0.023 of it (all 500 epochs lost 0.023 F1); sigmoid
# (now the default) +0.105 / +0.031, its picture ahead of relu's on every data set, its
# macro-F1 on all but the 20-class one (+0.001 against +0.012).
# ContrastiveTuner at learning_rate 0.001 (the old default) +0.024 / -0.004; 0.003
# +0.046 / -0.004; 0.01 +0.094 / +0.015 (without weight decay); residual=False -0.123 /
# -0.010 and loss="cosine" +0.053 / +0.004 (both at 0.001). On seeds 0-4 the defaults'
# table compares 0.01 with and without weight decay.
# Later screens (seeds 100-102 unless said; picture / macro-F1 minus raw, mean; worst F1):
# FeedForwardTuner weight decay 0.01 / 0.1, learning rate 0.003, patience 20: within
# 0.005 of the defaults; input dropout (`dropout`) 0.2 / 0.5 with patience 20 on seeds
# 0-9: +0.109 / +0.022 and +0.109 / +0.021 against the defaults' +0.111 / +0.022 (BBC
# News F1 -0.015 / -0.016 against -0.018). ContrastiveTuner learning rate 0.03 +0.089 /
# +0.021; 0.03 with weight decay 0.1 +0.094 / +0.017 (UCLA F1 -0.044); patience 6, margin
# 1.0, n_neg 7: +0.085, +0.077, +0.085 (defaults +0.085 / +0.022, worst -0.027); the
# kept projection x @ P halved or whitened +0.082 / +0.085; scale_residual=True +0.008 /
# +0.003 (worst F1 -0.010: it mostly keeps none of the correction).
# On seeds 0-9 (defaults +0.092 / +0.010, worst F1 -0.030; NCA +0.105 / +0.024):
# ContrastiveTuner hidden_dim 128 / 256 / 384 +0.090 / +0.106 / +0.095 with F1 +0.016 /
# +0.016 / +0.020 (worst -0.027 / -0.035 / -0.031); three similar partners an item instead
# of one (pairs_from_labels patched, n_pos=3) +0.098 / +0.008 (UCLA -0.054), with batch
# 64 +0.108 / +0.006 (UCLA -0.066); two and batch 64 +0.094 / +0.006. FeedForwardTuner
# hidden_dim 128 / 384 (seeds 100-102): +0.101 / +0.033 and +0.100 / +0.030 against the
# defaults' +0.105 / +0.031. FeedForwardTuner on seeds 0-9 (defaults +0.111 / +0.022, worst
# F1 -0.018): validation_fraction 0.2 +0.108 / +0.019 (-0.025); batch_size 64 +0.110 /
# +0.024 (-0.020); weight_decay 1.0 +0.105 / +0.022 (-0.015); learning rate 0.03 +0.110 /
# +0.021 (-0.018); no early stopping, 30 / 100 epochs +0.111 / +0.014 and +0.105 / +0.005.
# ContrastiveTuner on seeds 0-9 (defaults +0.092 / +0.010, worst -0.030): the push of
# dissimilar pairs is what moves the picture, one dissimilar partner an item +0.029 /
# -0.010 and margin 0.3 +0.043 / -0.005; margin 0.6 / 0.7 +0.087 / +0.085; n_neg 5 +0.098
# / +0.011 (-0.033); batch 64 +0.096 / +0.012 (-0.034); learning rate 0.02 +0.097 / +0.008
# (-0.040); n_neg 5 with margin 0.7, batch 64 or batch 128 +0.089, +0.085, +0.089.
VARIANTS = {
    "feedforward": {
        "relu (the old default)": {"activation": "relu"},
        "relu, all 500 epochs": {"activation": "relu", "early_stopping": False},
        "relu, patience 30": {"activation": "relu", "n_iter_no_change": 30},
        "identity": {"activation": "identity"},
        "tanh": {"activation": "tanh"},
    },
    "contrastive": {
        "lr 0.001 (the old default)": {"learning_rate": 0.001},
        "lr 0.003, no decay": {"learning_rate": 0.003, "weight_decay": 0.0},
        "lr 0.01, no decay": {"weight_decay": 0.0},
        "residual=False, lr 0.001": {"residual": False, "learning_rate": 0.001},
        "loss=cosine, lr 0.001, no decay": {
            "loss": "cosine",
            "learning_rate": 0.001,
            "weight_decay": 0.0,
        },
    },
}
BASELINE_CACHE = benchdata.CACHE / "quality-baselines.json"


def picture_f1(Z, y):
    """Macro-F1 of a cross-validated logistic regression on the 2-D PCA of ``Z``."""
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import cross_val_predict

    coords = PCA(n_components=2, random_state=0).fit_transform(Z)
    predicted = cross_val_predict(LogisticRegression(max_iter=1000), coords, y, cv=5)
    return f1_score(y, predicted, average="macro")


def probe_f1(Z_train, y_train, Z_test, y_test):
    """Held-out macro-F1 of a logistic regression whose C is chosen by 5-fold CV."""
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.metrics import f1_score

    clf = LogisticRegressionCV(Cs=np.logspace(-3, 3, 13), cv=5, max_iter=2000)
    return f1_score(y_test, clf.fit(Z_train, y_train).predict(Z_test), average="macro")


def scores(fitted, X, y, train, test):
    """[picture, macro-F1] of a fitted transformer (None: the raw embedding)."""
    Z_train, Z_test = X[train], X[test]
    if fitted is not None:
        Z_train, Z_test = fitted.transform(Z_train), fitted.transform(Z_test)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [picture_f1(Z_test, y[test]), probe_f1(Z_train, y[train], Z_test, y[test])]


def baseline(kind, method, X, y, train, test, seed):
    """Fit raw / NCA / embetter's tuner of ``kind`` on the labelled items."""
    from sklearn.neighbors import NeighborhoodComponentsAnalysis

    if method == "raw":
        return None
    if method == "NCA":
        nca = NeighborhoodComponentsAnalysis(n_components=None, max_iter=50, random_state=seed)
        return nca.fit(X[train], y[train])
    from embetter.finetune import ContrastiveTuner as TheirContrastive
    from embetter.finetune import FeedForwardTuner as TheirFeedForward

    torch.manual_seed(seed)
    np.random.seed(seed)
    codes = np.unique(y[train], return_inverse=True)[1]  # embetter wants 0..k-1
    theirs = TheirFeedForward() if kind == "feedforward" else TheirContrastive()
    return theirs.fit(X[train], codes)


def run(kind, seeds, variants, n_train=200, baselines=("NCA", "embetter")):
    cache = json.loads(BASELINE_CACHE.read_text()) if BASELINE_CACHE.exists() else {}
    methods = {"raw": None, **dict.fromkeys(baselines), "ours (defaults)": {}, **variants}
    table = {}
    for name in benchdata.DATASETS:
        X, y, _ = benchdata.load(name)
        per_seed = {key: [] for key in methods}
        for seed in seeds:
            train, test = split(y, seed, n_train)
            for key, params in methods.items():
                if params is None:  # a baseline: cached by data set, seed and method
                    tag = f"{name}/{seed}/{n_train}/{key if key != 'embetter' else kind}"
                    if tag not in cache:
                        model = baseline(kind, key, X, y, train, test, seed)
                        cache[tag] = scores(model, X, y, train, test)
                        BASELINE_CACHE.write_text(json.dumps(cache))
                    per_seed[key].append(cache[tag])
                    continue
                model = OURS[kind](**params, device="cpu", random_state=seed)
                model.set_params(show_progress_bar=False).fit(X[train], y[train])
                per_seed[key].append(scores(model, X, y, train, test))
        table[name] = {key: np.asarray(v) for key, v in per_seed.items()}
        print_dataset(name, y, seeds, n_train, table[name])
    print_summary(kind, table)
    return table


def print_dataset(name, y, seeds, n_train, rows):
    n_labelled = len(split(y, 0, n_train)[0])
    print(
        f"\n{name}: {len(np.unique(y))} classes, {n_labelled} labelled, "
        f"{len(y) - n_labelled} held out, seeds {seeds.start}-{seeds.stop - 1}"
    )
    columns = ("picture", "-raw", "± s.e.", "F1", "-raw", "± s.e.")
    print(f"  {'embedding':<36}" + "".join(f"{c:>8}" for c in columns))
    for key, v in rows.items():
        mean, (d, se) = v.mean(axis=0), paired(v, rows["raw"])
        cells = (
            f"{mean[0]:8.3f}{d[0]:+8.3f}{se[0]:8.3f}",
            f"{mean[1]:8.3f}{d[1]:+8.3f}{se[1]:8.3f}",
        )
        print(f"  {key:<36}" + "".join(cells))


def paired(v, raw):
    """Mean difference from raw and its standard error, paired by seed."""
    diff = v - raw
    se = diff.std(axis=0, ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else np.zeros(2)
    return diff.mean(axis=0), se


def print_summary(kind, table):
    print(f"\n{kind}: mean over data sets, minus raw (± s.e.); worst data set")
    for key in next(iter(table.values())):
        diffs = [paired(rows[key], rows["raw"]) for rows in table.values()]
        d = np.mean([m for m, _ in diffs], axis=0)
        se = np.sqrt(sum(s**2 for _, s in diffs)) / len(diffs)
        worst = np.min([m for m, _ in diffs], axis=0)
        print(
            f"  {key:<36} picture {d[0]:+.3f} ± {se[0]:.3f} (worst {worst[0]:+.3f})  "
            f"macro-F1 {d[1]:+.3f} ± {se[1]:.3f} (worst {worst[1]:+.3f})"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=[*OURS, "both"], default="both")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--variants", action="store_true", help="score VARIANTS on seeds 100-")
    parser.add_argument("--labels", type=int, default=200)
    parser.add_argument(
        "--first-seed", type=int, default=None,
        help="first seed (default 100 with --variants, else 0)",
    )  # fmt: skip
    parser.add_argument("--raw-only", action="store_true", help="no NCA or embetter rows")
    parser.add_argument(
        "--try", dest="tries", action="append", default=[], metavar="NAME=JSON",
        help='one more setting of ours, e.g. --try \'lr=0.003={"learning_rate": 0.003}\'',
    )  # fmt: skip
    args = parser.parse_args()
    torch.set_num_threads(1)
    first = args.first_seed if args.first_seed is not None else 100 if args.variants else 0
    with results.recording():
        for kind in OURS if args.kind == "both" else [args.kind]:
            variants = VARIANTS[kind] if args.variants else {}
            variants |= {k: json.loads(v) for k, v in (t.rsplit("=", 1) for t in args.tries)}
            baselines = () if args.raw_only else ("NCA", "embetter")
            run(kind, range(first, first + args.seeds), variants, args.labels, baselines)
