"""Names for the regions of the picture: the words that set each region's texts apart.

The picture is cut into regions by k-means on the 2-D positions (what a person sees as
a region is a patch of the picture, not a cluster of the high-dimensional embedding),
and each region is named by a class-based TF-IDF over its texts: a word scores high in a
region when it is frequent there and rare in the texts as a whole. Both run on a fixed
random sample of the points, so the cost does not grow with the data set.
"""

from __future__ import annotations

import re

import numpy as np

# Scraped texts hold HTML line breaks ("<br />"): breaks, not words (as js/text.js reads them).
LINE_BREAK = re.compile(r"<br\s*/?>", flags=re.I)

SAMPLE = 8_000  # texts read to name the regions
KMEANS_SAMPLE = 20_000  # positions the regions are fitted on


def default_regions(n):
    """About one region for every few hundred points, between 2 and 12."""
    return int(np.clip(round(np.sqrt(n / 25)), 2, 12))


def topics(positions, texts, n_regions=None, n_keywords=3, random_state=0):
    """The regions of the picture ``positions`` (n, 2) and the words that name them.

    Returns a DataFrame with one row per region, largest first: region (its number),
    keywords (the ``n_keywords`` words most specific to the region's texts, joined by
    ", "), size (its number of points), x, y (the region's centre, where a label can
    stand).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> positions = np.r_[rng.normal(0, 1, (50, 2)), rng.normal(9, 1, (50, 2))]
    >>> texts = ["fresh apple pie"] * 50 + ["engine oil change"] * 50
    >>> sorted(topics(positions, texts, n_regions=2, n_keywords=2)["keywords"])
    ['apple, fresh', 'change, engine']
    """
    import pandas as pd

    positions = np.asarray(positions, dtype=np.float32)
    n = len(positions)
    if texts is None or len(texts) != n:
        raise ValueError("Naming regions needs one text per point: pass texts=.")
    k = default_regions(n) if n_regions is None else int(n_regions)
    if not 1 <= k <= n:
        raise ValueError(f"n_regions must be between 1 and the number of points ({n}); got {k}.")
    rng = np.random.default_rng(random_state)
    region, middles = regions(positions, k, rng, random_state)
    keywords = region_keywords(texts, region, k, n_keywords, rng)
    frame = pd.DataFrame(
        {
            "region": np.arange(k),
            "keywords": keywords,
            "size": np.bincount(region, minlength=k),
            "x": middles[:, 0],
            "y": middles[:, 1],
        }
    )
    return frame.sort_values("size", ascending=False, kind="stable").reset_index(drop=True)


def regions(positions, k, rng, random_state=0):
    """Each point's region (k-means on the 2-D positions, fitted on a sample of
    KMEANS_SAMPLE of them) and the regions' centres (k, 2)."""
    from sklearn.cluster import KMeans

    n = len(positions)
    fit_rows = rng.choice(n, KMEANS_SAMPLE, replace=False) if n > KMEANS_SAMPLE else slice(None)
    kmeans = KMeans(k, n_init=1, random_state=random_state).fit(positions[fit_rows])
    return kmeans.predict(positions), kmeans.cluster_centers_


def region_keywords(texts, region, k, n_keywords, rng):
    """The ``n_keywords`` words most specific to each of the k regions' texts, joined by
    ", " ("" for a region without any), read from a sample of SAMPLE texts."""
    from sklearn.feature_extraction.text import CountVectorizer

    n = len(region)
    sample = np.sort(rng.choice(n, SAMPLE, replace=False)) if n > SAMPLE else np.arange(n)
    vectorizer = CountVectorizer(
        stop_words="english",
        token_pattern=r"(?u)\b[^\W\d_]{2,}\b",
        preprocessor=lambda text: LINE_BREAK.sub(" ", text.lower()),
    )
    try:
        counts = vectorizer.fit_transform([texts[i] for i in sample])
    except ValueError:  # no word at all in the sample (numbers, one-letter texts)
        return [""] * k
    # Class-based TF-IDF: term frequency within a region, times how rare the term is
    # across regions (log(1 + average words per region / the term's total count)).
    member = np.zeros((k, len(sample)), dtype=np.float32)
    member[region[sample], np.arange(len(sample))] = 1
    per_region = np.asarray((counts.T @ member.T).T)  # (k, vocabulary)
    words_in = per_region.sum(axis=1, keepdims=True)
    tf = per_region / np.maximum(words_in, 1)
    idf = np.log1p(words_in.mean() / np.maximum(per_region.sum(axis=0), 1))
    score = tf * idf
    vocabulary = vectorizer.get_feature_names_out()
    keywords = []
    for r in range(k):
        best = np.argsort(-score[r])[:n_keywords]
        keywords.append(", ".join(vocabulary[best[score[r, best] > 0]]))
    return keywords
