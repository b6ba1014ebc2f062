"""Save and load fitted estimators: a joblib file and a metadata JSON beside it.

``save_model(model, "sentiment.joblib")`` writes ``sentiment.joblib`` and
``sentiment.joblib.json``. ``load_model`` reads the JSON first and refuses, before
unpickling anything, a file written by another version of ``pouls_analysis`` or
scikit-learn (``ModelVersionError``): pickled estimators are only safe to reuse with the
code that wrote them. Refit the model, or install the versions the message names.

Only load files you wrote yourself: joblib files are pickles and can run code.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any, TypedDict, cast

import joblib
import sklearn

from pouls_analysis.exceptions import InvalidInputError, ModelVersionError

__all__ = ["ModelMetadata", "load_model", "read_metadata", "save_model"]

logger = logging.getLogger(__name__)

FORMAT = 1


class ModelMetadata(TypedDict):
    """The JSON written beside each saved model."""

    format: int
    class_name: str
    module: str
    pouls_analysis_version: str
    sklearn_version: str
    saved_at: str


def _versions() -> tuple[str, str]:
    from pouls_analysis import __version__

    return __version__, sklearn.__version__


def _metadata_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def save_model(model: Any, path: str | Path) -> ModelMetadata:
    """Write ``model`` to ``path`` (joblib) and its metadata to ``path + ".json"``.

    Parameters
    ----------
    model : estimator
        A fitted estimator (anything picklable).
    path : str or Path
        Target file; its folder must exist.

    Returns
    -------
    ModelMetadata
        What was written to the JSON file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> meta = save_model({"seuil": 0.5}, folder / "modele.joblib")
    >>> load_model(folder / "modele.joblib")
    {'seuil': 0.5}
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise InvalidInputError(f"cannot save to {target}: folder {target.parent} does not exist.")
    package_version, sklearn_version = _versions()
    metadata = ModelMetadata(
        format=FORMAT,
        class_name=type(model).__name__,
        module=type(model).__module__,
        pouls_analysis_version=package_version,
        sklearn_version=sklearn_version,
        saved_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    joblib.dump(model, target, compress=3)
    _metadata_path(target).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    logger.info("model %s saved (%s bytes)", metadata["class_name"], target.stat().st_size)
    return metadata


def read_metadata(path: str | Path) -> ModelMetadata:
    """Read the metadata JSON of a saved model (raises InvalidInputError when unreadable)."""
    meta_path = _metadata_path(Path(path))
    try:
        raw = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInputError(
            f"{meta_path} is missing: models are saved with save_model, which writes it."
        ) from None
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInputError(f"{meta_path} is not readable JSON ({exc}).") from exc
    keys = set(ModelMetadata.__annotations__)
    if not isinstance(raw, dict) or not keys <= set(raw):
        raise InvalidInputError(f"{meta_path} must be a JSON object with the keys {sorted(keys)}.")
    return cast(ModelMetadata, {k: raw[k] for k in ModelMetadata.__annotations__})


def load_model(path: str | Path, *, expected_class: str | None = None) -> Any:
    """Load a model saved by ``save_model`` after checking its versions.

    Parameters
    ----------
    path : str or Path
    expected_class : str or None
        When given, the saved class name must be this one.

    Raises
    ------
    ModelVersionError
        The model was written by another pouls_analysis or scikit-learn version, or in an
        unknown format.
    InvalidInputError
        The files are missing or unreadable, or the class is not the expected one.
    """
    target = Path(path)
    metadata = read_metadata(target)
    package_version, sklearn_version = _versions()
    if metadata["format"] != FORMAT:
        raise ModelVersionError(
            f"{target} uses model file format {metadata['format']!r}; this version reads "
            f"format {FORMAT}. Refit the model."
        )
    mismatches = [
        f"{name} {saved} (installed: {installed})"
        for name, saved, installed in (
            ("pouls_analysis", metadata["pouls_analysis_version"], package_version),
            ("scikit-learn", metadata["sklearn_version"], sklearn_version),
        )
        if saved != installed
    ]
    if mismatches:
        raise ModelVersionError(
            f"{target} was saved with {', '.join(mismatches)}. A model is only loaded by the "
            "versions that saved it: refit it with the installed versions, or install those."
        )
    if expected_class is not None and metadata["class_name"] != expected_class:
        raise InvalidInputError(
            f"{target} holds a {metadata['class_name']}, expected a {expected_class}."
        )
    if not target.is_file():
        raise InvalidInputError(f"{target} is missing (its metadata file exists).")
    return joblib.load(target)
