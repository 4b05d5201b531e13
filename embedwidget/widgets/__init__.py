"""The Jupyter widgets (anywidget): the scatter a person labels in, and its training twins."""

from embedwidget.widgets.scatter import EmbeddingScatter

__all__ = ["EmbeddingScatter"]
