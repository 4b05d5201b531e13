"""embedwidget: finetune text embeddings with a few labels, and steer it by hand in a notebook.

Heavy libraries (torch, sentence-transformers, altair) load where first needed, so
``import embedwidget`` stays fast.
"""

__version__ = "0.1.0"
