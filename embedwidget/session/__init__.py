"""What a person's session is, without any UI: the points, the store, the labels, the
selection, finding and exports (``AnnotationSession``); for training, the model, its loop
thread, the frames, doubt and suggestions (``TunerSession``, ``LearnerSession``).

The widgets adapt these to traits and commands; a script or a benchmark drives them with
no widget and no Jupyter.
"""

from embedwidget.session.annotate import AnnotationSession
from embedwidget.session.training import LearnerSession, TrainingSession, TunerSession

__all__ = ["AnnotationSession", "LearnerSession", "TrainingSession", "TunerSession"]
