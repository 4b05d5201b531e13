"""embedwidget: finetune text embeddings with a few labels, and steer it by hand in a notebook.

Heavy libraries (torch, sentence-transformers, altair, the widget stack) load where first
needed, so ``import embedwidget`` stays fast.
"""

__version__ = "0.1.0"
__all__ = ["EmbeddingScatter", "LearnerWidget", "TunerWidget"]


def __getattr__(name):
    if name in __all__:
        from embedwidget import widgets

        return getattr(widgets, name)
    raise AttributeError(f"module 'embedwidget' has no attribute {name!r}")
