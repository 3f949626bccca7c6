"""The check registry: every check is listed, documented, and a failing check is contained."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from docfraud.analysis import Analysis
from docfraud.checks import registry
from docfraud.checks.registry import check, get_check, list_checks, run_checks
from docfraud.types import Finding, Severity

ROOT = Path(__file__).resolve().parents[2]
FINDINGS_DOC = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
CODE_LITERAL = re.compile(
    r'f?"((?:INPUT|DEP|CONFIG|MRZ|DOC|INTERNAL|VIZ_MRZ|DATE|CODE|LETTER|CASE)\.[A-Z_][A-Z_.]*(?:\{)?)'
)


def _blank() -> Analysis:
    return Analysis(
        source="blank",
        page=0,
        sha256="0" * 64,
        media_type="image/png",
        image_size=(100, 100),
        scan_date=date(2026, 1, 1),
    )


@pytest.fixture()
def temporary_check() -> Iterator[str]:
    """Register a check for one test and remove it afterwards."""
    name = "zz.test.broken"
    yield name
    registry._REGISTRY.pop(name, None)


@pytest.mark.parametrize("name", list_checks())
def test_every_check_is_callable_on_an_analysis_without_mrz(name: str) -> None:
    """With nothing read, a check either skips (its needs are missing) or runs without error."""
    entry = get_check(name)
    analysis = _blank()
    if any(getattr(analysis, need) is None for need in entry.needs):
        return
    try:
        for finding in entry.fn(analysis):
            assert isinstance(finding, Finding)
    except registry.CannotRun as reason:
        assert str(reason), "a check that cannot run says why"


def test_every_emitted_code_is_documented() -> None:
    """Codes are a contract: each literal in the source has a row in docs/findings.md."""
    codes: set[str] = set()
    for path in (ROOT / "docfraud").rglob("*.py"):
        codes.update(CODE_LITERAL.findall(path.read_text(encoding="utf-8")))
    assert len(codes) >= 15
    for code in codes:
        documented = code.replace("{", "<") if code.endswith("{") else f"`{code}`"
        assert documented in FINDINGS_DOC, code


def test_missing_input_becomes_an_explicit_skip() -> None:
    findings, skipped = run_checks(_blank(), strict=True)
    assert [f.code for f in findings] == ["MRZ.NOT_FOUND"]
    reasons = {s.check: s.reason for s in skipped}
    assert reasons["mrz.check_digits"] == "no MRZ was read"
    assert reasons["viz_mrz.surname"] == "no MRZ and no visual zone was read"
    assert reasons["tamper.regions"] == "tamper detection is off (--tamper turns it on)"
    assert all(s.reason.startswith("no ") for s in skipped if s.check != "tamper.regions")


def test_a_crashing_check_is_reported_and_the_others_still_run(temporary_check: str) -> None:
    @check(temporary_check)
    def broken(a: Analysis) -> Iterator[Finding]:
        raise ZeroDivisionError
        yield  # a generator, like every check

    findings, _ = run_checks(_blank())
    codes = [f.code for f in findings]
    assert "MRZ.NOT_FOUND" in codes
    internal = [f for f in findings if f.code == "INTERNAL.CHECK_FAILED"]
    assert len(internal) == 1
    assert internal[0].severity is Severity.WARNING
    assert temporary_check in internal[0].message
    with pytest.raises(ZeroDivisionError):
        run_checks(_blank(), strict=True)


def test_names_are_unique(temporary_check: str) -> None:
    check(temporary_check)(lambda a: iter(()))
    with pytest.raises(ValueError, match="registered twice"):
        check(temporary_check)(lambda a: iter(()))
