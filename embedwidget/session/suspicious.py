"""Which labels (or pairs) are wrong: the ones the rest of what a person made says are.

A label is suspicious when a model that did not learn from it predicts another class.
Two models give such held-out predictions here:

- a logistic regression on the raw embedding, fitted once per fold with the folds
  grouped by action: every label given in one action (a lasso of 40 points) is held out
  together, so its own neighbours, labelled in the same sweep, cannot vouch for it;
- the session's twins (see ``calibration``): copies of the live model trained on every
  label but their fold's, for the labels given on their own.

Where both speak, their probabilities are averaged in log space; each is calibrated
with a temperature fitted on the labels given one by one (those a person looked at).

The history of a label sets how much the person's word counts against the models'. A
label given to one point is wrong rarely (``SLIP``, a slip of the hand, to any other
class); a label a lasso gave to ``s`` points was looked at as a region, not point by
point, so its prior chance of being wrong rises towards even as ``s`` grows (see
``prior_wrong``). Bayes' rule with the held-out probabilities ``p`` then gives each
label's chance of being wrong,

    P(wrong) = (1 - p_given) e q / ((1 - p_given) e q + p_given (1 - e)),

``e`` the prior and ``q`` the chance a wrong label is this one (``1 / (K - 1)`` for a
slip; 1 for a lasso, which gives one label to every point it holds). Measured against
cleanlab's ``find_label_issues`` on a simulated labeller in ``bench/suspicious.py``.

Pairs (``contradicting_pairs``): a pair contradicts the rest when its similarity is far
from what the pairs around it say (pairs whose ends lie near its two ends).
"""

from __future__ import annotations

import warnings

import numpy as np

SLIP = 0.05  # how often a label given to one point is wrong, before any evidence
FOLDS = 5  # folds of the held-out logistic regression
NEIGHBOUR_PAIRS = 10  # the pairs around a pair that vote on it
SHARPNESS = 0.1  # how fast a pair's vote fades as its ends lie farther (in cosine)
TINY = 1e-12


def suspicious_labels(session, n=None):
    """The labelled points whose labels are most likely wrong, most suspicious first.

    Parameters
    ----------
    session : TunerSession
        A trained session whose model has ``predict_proba``.
    n : int or None, default=None
        How many to list; ``None`` lists those more likely wrong than right
        (``p_wrong > 0.5``).

    Returns
    -------
    DataFrame
        index, text, label (as given), suggestion (the most likely other class),
        confidence (the chance the suggestion is right), p_wrong (the chance the label
        is wrong) and action_size (how many points the action that gave the label gave
        it to: 1 for a point labelled alone, or given its label up front).
    """
    import pandas as pd

    check_can_judge(session)
    session.sync()
    with session.lock:
        rows, given = session.labels.labelled()
        classes = np.asarray(session.model.classes_)
        names = [str(c) for c in classes.tolist()]
        code_of = {name: k for k, name in enumerate(names)}
        unknown = sorted({str(v) for v in given.tolist()} - set(code_of))
        if unknown:
            raise ValueError(
                f"The model has not seen the label(s) {unknown}: train on them (fit() or "
                "start()) before looking for wrong labels."
            )
        codes = np.array([code_of[str(v)] for v in given.tolist()], dtype=np.int64)
        groups, sizes = sweeps(session.store, rows, codes)
    proba, p_wrong = judge(session, rows, codes, groups, sizes, len(classes))
    others = proba.copy()
    others[np.arange(len(codes)), codes] = -1
    best = others.argmax(axis=1)
    # The chance of the suggestion: its share of the wrong mass, by the held-out models.
    alternative = proba[np.arange(len(codes)), best] / np.maximum(
        1 - proba[np.arange(len(codes)), codes], TINY
    )
    order = np.argsort(-p_wrong, kind="stable")
    order = order[: (p_wrong > 0.5).sum()] if n is None else order[: check_n(n)]
    vocab = [session.labels.match(name) for name in names]
    return pd.DataFrame(
        {
            "index": rows[order],
            "text": session.texts_at(rows[order]),
            "label": pd.Series(given[order], dtype=object),
            "suggestion": pd.Series([vocab[c] for c in best[order].tolist()], dtype=object),
            "confidence": np.clip(p_wrong * alternative, 0, 1)[order],
            "p_wrong": p_wrong[order],
            "action_size": sizes[order],
        }
    )


def check_can_judge(session):
    session.require_predictions("judge labels")
    session.sync()
    _, given = session.labels.labelled()
    if len(set(given.tolist())) < 2 or len(given) < 3:
        raise ValueError(
            f"Finding wrong labels needs labels of at least two classes and three labels "
            f"in all; there are {len(given)} of {len(set(given.tolist()))} class(es)."
        )


def check_n(n):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be None or an int >= 0; got {n!r}.")
    return int(n)


def sweeps(store, rows, codes):
    """``(groups, sizes)`` of the labelled points ``rows`` (label codes ``codes``): the
    sweep each label came in, and how many points that sweep labelled. A sweep is the
    points one action gave one label (a lasso; a point labelled alone is a sweep of
    one); a label given up front (not in the store) is a sweep of its own."""
    points, actions, _ = store.label_actions()
    where = np.minimum(np.searchsorted(points, rows), max(len(points) - 1, 0))
    made = points[where] == rows if len(points) else np.zeros(len(rows), dtype=bool)
    action = -1 - np.arange(len(rows), dtype=np.int64)  # up front: one sweep each
    action[made] = actions[where[made]]
    _, groups, sizes = np.unique(
        np.c_[action, codes], axis=0, return_inverse=True, return_counts=True
    )
    groups = groups.ravel()
    return groups, sizes[groups]


def prior_wrong(sizes, slip=SLIP):
    """The chance a label is wrong before any evidence, by the size of its sweep: a
    point labelled alone was looked at (``slip``); of a lasso of ``s`` points, one was
    looked at as much as one in ``s``, the others are as likely wrong as right."""
    sizes = np.asarray(sizes, dtype=np.float64)
    return slip / sizes + 0.5 * (1 - 1 / sizes)


def wrong_label_chance(sizes, n_classes):
    """``q``: the chance that a wrong label is the one given. A sweep gave its label to
    whatever each point was (1); a slip picks any other class."""
    return np.where(np.asarray(sizes) > 1, 1.0, 1 / max(n_classes - 1, 1))


def judge(session, rows, codes, groups, sizes, n_classes, twins=True):
    """``(proba, p_wrong)``: each labelled point's held-out class probabilities and its
    label's chance of being wrong (``twins=False``: the logistic regression alone)."""
    proba = held_out_proba(session, rows, codes, groups, sizes, n_classes, twins)
    prior, q = prior_wrong(sizes), wrong_label_chance(sizes, n_classes)
    return proba, wrong_probability(proba, codes, prior, q)


def wrong_probability(proba, codes, prior, q):
    """Each label's chance of being wrong, by Bayes' rule: held-out class
    probabilities ``proba``, the label's prior chance of being wrong, and ``q``."""
    p = np.clip(proba[np.arange(len(codes)), codes], TINY, 1 - TINY)
    wrong = (1 - p) * prior * q
    return wrong / (wrong + p * (1 - prior))


# -- held-out probabilities ----------------------------------------------------------------


def held_out_proba(session, rows, codes, groups, sizes, n_classes, twins=True):
    """Each labelled point's class probabilities by models that did not learn its
    label: the grouped logistic regression's, and where the point was labelled alone
    and a twin holds it out, their geometric mean with the twin's. Where no held-out
    model was shown the point's class (a class labelled once, or in one lasso only),
    the live model's calibrated probabilities stand in."""
    alone = sizes == 1
    proba = calibrated(cached_logistic(session, rows, codes, groups, n_classes), codes, alone)
    twins = twin_proba(session, rows, codes, n_classes) if twins else np.full_like(proba, np.nan)
    twinned = alone & ~np.isnan(twins[:, 0])
    if twinned.any():
        twins[twinned] = calibrated(twins[twinned], codes[twinned], np.ones(twinned.sum(), bool))
        both = np.sqrt(np.maximum(proba, TINY) * np.maximum(twins, TINY))
        both = both / both.sum(axis=1, keepdims=True)
        proba[twinned] = np.where(np.isnan(both), twins, both)[twinned]
    unseen = np.isnan(proba[:, 0])
    if unseen.any():
        proba[unseen] = session.proba(rows[unseen])
    return proba


def cached_logistic(session, rows, codes, groups, n_classes):
    """``grouped_logistic`` of the labelled points, kept on the session until the labels
    or their sweeps change: the background estimate asks for it after each step."""
    key = (rows.tobytes(), codes.tobytes(), groups.tobytes(), n_classes)
    kept = getattr(session, "_held_out_logistic", None)
    if kept is None or kept[0] != key:
        kept = key, grouped_logistic(session.X[rows], codes, groups, n_classes)
        session._held_out_logistic = kept
    return kept[1].copy()


def grouped_logistic(X, codes, groups, n_classes, folds=FOLDS):
    """Held-out probabilities of a logistic regression on ``X``, in folds that keep each
    sweep (``groups``) whole; NaN rows for points of a class their fold's model was not
    shown."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    proba = np.full((len(codes), n_classes), np.nan)
    folds = min(folds, len(np.unique(groups)))
    if folds < 2:
        return proba
    for train, test in GroupKFold(n_splits=folds).split(X, codes, groups):
        seen = np.unique(codes[train])
        test = test[np.isin(codes[test], seen)]
        if len(seen) < 2 or not len(test):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter on a few labels
            model = LogisticRegression(max_iter=1000).fit(X[train], codes[train])
        proba[test] = 0
        proba[np.ix_(test, model.classes_)] = model.predict_proba(X[test])
    return proba


def twin_proba(session, rows, codes, n_classes):
    """The session's twins' probabilities for the points of their own folds; NaN rows
    where no twin holds a point out or its twin was not shown its class."""
    from sklearn import config_context

    calibration = session.calibration
    out = np.full((len(rows), n_classes), np.nan)
    folds = calibration.fold[rows]
    for k, twin in list(calibration.twins.items()):
        mine = folds == k
        # Twin k trained on the labels of the other folds: has it seen each class?
        seen = np.zeros(n_classes, dtype=bool)
        seen[codes[(folds != k) & (folds >= 0)]] = True
        mine &= seen[codes]
        if not mine.any():
            continue
        with config_context(assume_finite=True):
            out[mine] = twin.predict_proba(session.model_input(rows[mine]))
    return out


def calibrated(proba, codes, on):
    """``proba`` at the temperature that best fits the labels of the points ``on``
    (of all, when fewer than two); NaN rows stay NaN."""
    from embedwidget.session.calibration import fit_temperature, temper

    known = ~np.isnan(proba[:, 0])
    on = on & known
    if on.sum() < 2:
        on = known
    if on.sum() < 2:
        return proba
    temperature, _ = fit_temperature(np.log(np.maximum(proba[on], TINY)), codes[on])
    out = proba.copy()
    out[known] = temper(proba[known], temperature)
    return out


def fix_labels(session, frame):
    """Give each point of ``frame`` (from ``suspicious_labels``) its suggestion, as one
    undoable action; returns the action's id. Refuses, changing nothing, when a point's
    label is no longer the one the frame lists (relabelled or unlabelled since)."""
    check_columns(frame, ("index", "label", "suggestion"))
    index = frame["index"].to_numpy(dtype=np.int64)
    session.sync()
    with session.lock:
        now = session.labels.at(index)
    changed = [int(i) for i, was, is_ in zip(index, frame["label"], now, strict=True) if was != is_]
    if changed:
        raise ValueError(
            f"The labels of points {changed[:10]} changed since they were listed: list "
            "the suspicious labels again before fixing them."
        )
    return session.label_each(index, frame["suggestion"].tolist())


# -- pairs ---------------------------------------------------------------------------------


def contradicting_pairs(session, n=None):
    """The pairs made by hand that most contradict the rest, most contradicting first.

    Each pair's expected similarity is what the pairs around it say: the
    ``NEIGHBOUR_PAIRS`` pairs whose two ends lie nearest its two ends, either way round,
    in the raw embedding, weighted by how near. The learned embedding would be the
    worse judge: it learns the wrong pairs too (after a hundred steps a planted wrong
    pair's ends lie where its label put them), so it is only shown (``distance``).

    Parameters
    ----------
    session : LearnerSession
        A trained session; pairs given up front count as evidence, only those in the
        store are listed (they are the ones ``fix_pairs`` can change).
    n : int or None, default=None
        How many to list; ``None`` lists those whose score is above 0.5.

    Returns
    -------
    DataFrame
        a, b, similar, text_a, text_b, expected (the similarity the pairs around it
        suggest), score (``|similar - expected|``) and distance (the cosine distance of
        its ends in the learned embedding).
    """
    import pandas as pd

    if not session.is_fitted():
        raise ValueError("Train first (start() or fit()): the model cannot judge pairs yet.")
    session.sync()
    with session.lock:
        a, b, similar, _ = session.pairs
    ga, gb, gs = session.given_pairs
    all_a, all_b, all_s = np.r_[a, ga], np.r_[b, gb], np.r_[similar, gs].astype(np.float64)
    if len(all_a) < 3:
        raise ValueError(
            f"Finding contradicting pairs needs at least three pairs; there are {len(all_a)}."
        )
    raw = unit_rows(session.X[np.r_[all_a, all_b]])
    expected = neighbour_vote(raw[: len(all_a)], raw[len(all_a) :], all_s)[: len(a)]
    score = np.abs(similar - expected)
    order = np.argsort(-score, kind="stable")
    order = order[: (score > 0.5).sum()] if n is None else order[: check_n(n)]
    a, b = a[order], b[order]
    learned = unit_rows(session.model.transform(session.model_input(np.r_[a, b])))
    return pd.DataFrame(
        {
            "a": a,
            "b": b,
            "similar": similar[order],
            "text_a": session.texts_at(a),
            "text_b": session.texts_at(b),
            "expected": expected[order],
            "score": score[order],
            "distance": 1 - (learned[: len(a)] * learned[len(a) :]).sum(axis=1),
        }
    )


def unit_rows(X):
    X = np.asarray(X, dtype=np.float64)
    return X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), TINY)


def neighbour_vote(u, v, similar, k=NEIGHBOUR_PAIRS):
    """Each pair's similarity as the pairs nearest it say (itself left out): pairs are
    near when their ends are, either way round, in the embedding (rows ``u``, ``v``
    of unit length)."""
    uu, vv, uv, vu = u @ u.T, v @ v.T, u @ v.T, v @ u.T
    near = np.maximum(uu + vv, uv + vu) / 2
    np.fill_diagonal(near, -np.inf)
    k = min(k, len(similar) - 1)
    nearest = np.argpartition(-near, k - 1, axis=1)[:, :k]
    near = np.take_along_axis(near, nearest, axis=1)
    weight = np.exp((near - near.max(axis=1, keepdims=True)) / SHARPNESS)
    return (weight * similar[nearest]).sum(axis=1) / weight.sum(axis=1)


def fix_pairs(session, frame):
    """Turn each pair of ``frame`` (from ``contradicting_pairs``) the other way (similar
    ``s`` becomes ``1 - s``), as one undoable action; returns the action's id. Refuses,
    changing nothing, when a pair is no longer in the store as listed."""
    check_columns(frame, ("a", "b", "similar"))
    a, b = frame["a"].to_numpy(dtype=np.int64), frame["b"].to_numpy(dtype=np.int64)
    listed = frame["similar"].to_numpy(dtype=np.float64)
    session.sync()
    with session.lock:
        sa, sb, ss, _ = session.pairs
    now = {
        (min(i, j), max(i, j)): s
        for i, j, s in zip(sa.tolist(), sb.tolist(), ss.tolist(), strict=True)
    }
    changed = [
        (int(i), int(j))
        for i, j, s in zip(a, b, listed, strict=True)
        if now.get((min(i, j), max(i, j))) is None or abs(now[min(i, j), max(i, j)] - s) > 1e-6
    ]
    if changed:
        raise ValueError(
            f"The pairs {changed[:10]} are no longer in the store as listed: list the "
            "contradicting pairs again before fixing them."
        )
    return session.add_pairs(a, b, 1.0 - listed, how="zip")


def check_columns(frame, columns):
    missing = [c for c in columns if c not in getattr(frame, "columns", ())]
    if missing:
        raise ValueError(f"frame must have the columns {list(columns)}; {missing} missing.")
