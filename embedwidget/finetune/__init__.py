"""Finetune embeddings with a few labels: scikit-learn transformers on top of vectors."""

from embedwidget.finetune.contrastive import ContrastiveTuner
from embedwidget.finetune.contrastive_learner import ContrastiveLearner
from embedwidget.finetune.feedforward import FeedForwardTuner, ForwardFinetuner
from embedwidget.finetune.pairs import (
    Pairs,
    pair_texts,
    pairs_from_groups,
    pairs_from_labels,
    pairs_from_records,
)
from embedwidget.finetune.sbert import SbertLearner, SbertTuner

__all__ = [
    "ContrastiveLearner",
    "ContrastiveTuner",
    "FeedForwardTuner",
    "ForwardFinetuner",
    "Pairs",
    "pair_texts",
    "pairs_from_groups",
    "pairs_from_labels",
    "pairs_from_records",
    "SbertLearner",
    "SbertTuner",
]
