"""Shipped theme taxonomies (YAML files read by pouls_analysis.themes.taxonomy)."""

from __future__ import annotations
