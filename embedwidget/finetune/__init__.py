"""Finetune embeddings with a few labels: scikit-learn transformers on top of vectors."""

from embedwidget.finetune.feedforward import FeedForwardTuner, ForwardFinetuner

__all__ = ["FeedForwardTuner", "ForwardFinetuner"]
