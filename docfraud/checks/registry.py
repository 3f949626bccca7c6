"""The check registry and runner.

A check is a pure function of the :class:`~docfraud.analysis.Analysis` that yields findings.
When an input it ``needs`` is missing, the runner records a :class:`~docfraud.types.Skip`
instead of calling it: a check that could not run is an explicit outcome, never a silent pass.
A check that finds at run time that it cannot decide (the MRZ was read but the printed date of
issue was not) raises :class:`CannotRun`, which is recorded as a skip with its reason.
An exception inside a check is a bug: the runner logs it, adds ``INTERNAL.CHECK_FAILED`` and
carries on (``strict=True`` re-raises, for tests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from docfraud.analysis import Analysis
from docfraud.types import Finding, Severity, Skip

log = logging.getLogger(__name__)

CheckFn = Callable[[Analysis], Iterator[Finding]]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RegisteredCheck:
    name: str
    needs: tuple[str, ...]
    fn: CheckFn


_REGISTRY: dict[str, RegisteredCheck] = {}


class CannotRun(Exception):  # noqa: N818  (an outcome, not an error)
    """Raised by a check that lacks an input only it knows it needs; the message says which."""


def check(name: str, needs: tuple[str, ...] = ()) -> Callable[[CheckFn], CheckFn]:
    """Register ``fn`` under ``name``; ``needs`` names Analysis attributes that must be set."""

    def register(fn: CheckFn) -> CheckFn:
        if name in _REGISTRY:
            raise ValueError(f"check {name!r} registered twice")
        _REGISTRY[name] = RegisteredCheck(name, needs, fn)
        return fn

    return register


def _load_builtin_checks() -> None:
    from docfraud.checks import codes, dates, letter, mrz, portrait, tamper, viz_mrz  # noqa: F401


def list_checks() -> tuple[str, ...]:
    _load_builtin_checks()
    return tuple(sorted(_REGISTRY))


def get_check(name: str) -> RegisteredCheck:
    _load_builtin_checks()
    return _REGISTRY[name]


_PART_NAMES = {"mrz": "MRZ", "viz": "visual zone"}
"""What a skip reason calls the page's parts that a check needs (the rest by their own name)."""


def run_checks(
    analysis: Analysis, strict: bool = False
) -> tuple[tuple[Finding, ...], tuple[Skip, ...]]:
    """Run every registered check in name order."""
    findings: list[Finding] = []
    skipped: list[Skip] = []
    for name in list_checks():
        entry = _REGISTRY[name]
        missing = [n for n in entry.needs if getattr(analysis, n, None) is None]
        if missing == ["tamper"]:
            skipped.append(Skip(name, "tamper detection is off (--tamper turns it on)"))
        elif missing and _applies(analysis, missing):
            parts = " and no ".join(_PART_NAMES.get(n, n) for n in missing)
            skipped.append(Skip(name, f"no {parts} was read"))
        if missing:
            continue
        run_one(name, entry.fn, analysis, findings, skipped, strict)
    return tuple(findings), tuple(skipped)


def _applies(analysis: Analysis, missing: list[str]) -> bool:
    """Whether a check missing ``missing`` concerns this kind of page at all: letter checks do
    not concern identity documents, MRZ and visual-zone checks do not concern letters. Only
    checks that concern the page are reported as skipped."""
    if analysis.letter is not None:
        return "letter" in missing
    return "letter" not in missing


def run_one(
    name: str,
    fn: Callable[[T], Iterator[Finding]],
    subject: T,
    findings: list[Finding],
    skipped: list[Skip],
    strict: bool,
) -> None:
    """Run one check on ``subject`` (a page or a case), adding to ``findings`` / ``skipped``."""
    try:
        findings.extend(fn(subject))
    except CannotRun as reason:
        skipped.append(Skip(name, str(reason)))
    except Exception as exc:  # a bug in a check must not lose the other findings
        if strict:
            raise
        log.exception("check %s failed", name)
        findings.append(
            Finding(
                "INTERNAL.CHECK_FAILED",
                Severity.WARNING,
                f"Check {name} failed internally ({type(exc).__name__}); its result is missing.",
            )
        )
