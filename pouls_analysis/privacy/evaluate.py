"""Precision and recall of the pseudonymiser per kind, on a labelled JSON Lines file.

Each line is ``{"text": ..., "spans": [{"start": 0, "end": 5, "kind": "name"}, ...],
"split": "tune" | "test"}``. Two matchings are reported, span by span and per kind:

* ``exact``: a predicted span is right when a gold span has the same kind, start and end;
* ``overlap``: a predicted span is right when it overlaps a gold span of the same kind, and a
  gold span is found when a predicted span of the same kind overlaps it.

``leak`` is the share of gold characters that no predicted span (of any kind) covers: what
would still be readable after pseudonymisation.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.privacy.pseudonymise import KINDS, Pseudonymiser, Span

__all__ = ["Labelled", "evaluate", "load_labelled", "score"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    spans: tuple[tuple[int, int, str], ...]
    split: str


def load_labelled(path: Path | str) -> list[Labelled]:
    """Read a labelled JSON Lines file; a malformed line raises InvalidInputError."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                spans = tuple(
                    (int(s["start"]), int(s["end"]), str(s["kind"])) for s in raw["spans"]
                )
                text = str(raw["text"])
            except (ValueError, KeyError, TypeError) as exc:
                raise InvalidInputError(
                    f"{path}:{number}: expected {{'text', 'spans': [{{start, end, kind}}]}}, "
                    f"got {line[:80]!r} ({exc})."
                ) from exc
            bad = [s for s in spans if s[2] not in KINDS or not 0 <= s[0] < s[1] <= len(text)]
            if bad:
                raise InvalidInputError(
                    f"{path}:{number}: spans {bad} are out of the text or of unknown kind; "
                    f"kinds are {list(KINDS)}."
                )
            rows.append(Labelled(text, spans, str(raw.get("split", "test"))))
    return rows


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def score(
    gold: Sequence[Sequence[tuple[int, int, str]]], predicted: Sequence[Sequence[Span]]
) -> dict[str, Any]:
    """Per-kind precision and recall (exact and overlap matching) and the character leak."""
    result: dict[str, Any] = {}
    leaked = total = 0
    for kind in KINDS:
        c: dict[str, int] = dict.fromkeys(
            ("gold", "predicted", "exact", "overlap_p", "overlap_r"), 0
        )
        for g_all, p_all in zip(gold, predicted, strict=True):
            g = [(s, e) for s, e, k in g_all if k == kind]
            p = [(s.start, s.end) for s in p_all if s.kind == kind]
            c["gold"] += len(g)
            c["predicted"] += len(p)
            c["exact"] += len(set(g) & set(p))
            c["overlap_p"] += sum(any(s < ge and gs < e for gs, ge in g) for s, e in p)
            c["overlap_r"] += sum(any(s < ge and gs < e for s, e in p) for gs, ge in g)
        result[kind] = {
            "gold": c["gold"],
            "predicted": c["predicted"],
            "exact": {
                "precision": _ratio(c["exact"], c["predicted"]),
                "recall": _ratio(c["exact"], c["gold"]),
            },
            "overlap": {
                "precision": _ratio(c["overlap_p"], c["predicted"]),
                "recall": _ratio(c["overlap_r"], c["gold"]),
            },
        }
    for g_all, p_all in zip(gold, predicted, strict=True):
        covered = {i for s in p_all for i in range(s.start, s.end)}
        for s, e, _ in g_all:
            total += e - s
            leaked += sum(i not in covered for i in range(s, e))
    result["leak"] = {"gold_chars": total, "unmasked_share": _ratio(leaked, total)}
    return result


def evaluate(rows: Sequence[Labelled], pseudonymiser: Pseudonymiser) -> dict[str, Any]:
    """Scores on all rows and on each split, plus the speed of ``find_all`` on all rows."""
    started = time.perf_counter()
    predicted = pseudonymiser.find_all([r.text for r in rows])
    seconds = time.perf_counter() - started
    report: dict[str, Any] = {"texts": len(rows)}
    for name in ("all", *sorted({r.split for r in rows})):
        idx = [i for i, r in enumerate(rows) if name in ("all", r.split)]
        report[name] = {
            "texts": len(idx),
            **score([rows[i].spans for i in idx], [predicted[i] for i in idx]),
        }
    report["texts_per_second"] = round(len(rows) / seconds, 1) if seconds else None
    return report
