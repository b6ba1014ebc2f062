"""Signals of the annotations app (listeners: callbacks, rollups).

``annotated`` is sent after feedback texts were (re-)annotated, with ``feedback_ids``;
``analysis_finished`` once a whole analysis pass is over (after an import, a field report).
"""

from django.dispatch import Signal

annotated = Signal()
analysis_finished = Signal()
