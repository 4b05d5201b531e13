"""The Jupyter widgets (anywidget): the scatter a person labels in, and its training twins."""

from embedwidget.widgets.scatter import EmbeddingScatter
from embedwidget.widgets.training import LearnerWidget, TunerWidget

__all__ = ["EmbeddingScatter", "LearnerWidget", "TunerWidget"]
