"""Sent after feedback texts were (re-)annotated, with ``feedback_ids``: callbacks and
rollups listen to it instead of being called from here."""

from django.dispatch import Signal

annotated = Signal()
