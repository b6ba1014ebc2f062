"""Themes: taxonomies, ThemeModel, discovery of uncovered texts and verbatim choice."""

from __future__ import annotations

from pouls_analysis.themes.discovery import DiscoveredTheme, ThemeDiscoverer
from pouls_analysis.themes.lexical import LemmaAnalyzer, LemmaDoc
from pouls_analysis.themes.model import TextThemes, ThemeMention, ThemeModel
from pouls_analysis.themes.polarity import AspectPolarityModel
from pouls_analysis.themes.taxonomy import Taxonomy, TaxonomyError, Theme, load_taxonomy
from pouls_analysis.themes.verbatims import Verbatim, contains_personal_data, select_verbatims

__all__ = [
    "AspectPolarityModel",
    "DiscoveredTheme",
    "LemmaAnalyzer",
    "LemmaDoc",
    "Taxonomy",
    "TaxonomyError",
    "TextThemes",
    "Theme",
    "ThemeDiscoverer",
    "ThemeMention",
    "ThemeModel",
    "Verbatim",
    "contains_personal_data",
    "load_taxonomy",
    "select_verbatims",
]
