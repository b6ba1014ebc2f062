"""Imports of customer voice: readers (files -> rows), presets and mappings (rows -> fields),
values (French dates, scores), and the pipeline (validate, pseudonymise, de-duplicate, store,
quarantine). Only pipeline.py touches the database."""
