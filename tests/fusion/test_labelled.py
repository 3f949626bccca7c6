"""Labelled real documents for training: labels.csv is read strictly (every bad row named by its
line, nothing trained), the split follows the content, and labelled pages weigh in the fit."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from docfraud.cli import main
from docfraud.errors import CONFIG_LABELS_INVALID, ConfigError
from docfraud.fusion.labelled import HELD_OUT_EVERY, read_labelled
from docfraud.fusion.train import fit
from docfraud.types import Finding, Severity


def _folder(tmp_path: Path, csv_text: str, files: dict[str, bytes] | None = None) -> Path:
    root = tmp_path / "labelled"
    root.mkdir()
    for name, data in (files or {"a.jpg": b"a", "b.png": b"b"}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (root / "labels.csv").write_text(csv_text, encoding="utf-8")
    return root


def _error(root: Path) -> str:
    with pytest.raises(ConfigError) as err:
        read_labelled(root)
    assert err.value.code == CONFIG_LABELS_INVALID
    return err.value.message


def test_reads_rows_with_optional_page_scan_date_and_extra_columns(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        "file,label,page,scan_date,note,officer\n"
        "a.jpg,forged,,2026-03-02,portrait replaced,K\n"
        "\n"
        "sub/c.pdf,Genuine,2,,,\n"
        "b.png,genuine\n",
        {"a.jpg": b"a", "b.png": b"b", "sub/c.pdf": b"%PDF"},
    )
    labelled = read_labelled(root)
    a, c, b = labelled.documents
    assert (a.label, a.page, a.scan_date.isoformat() if a.scan_date else None) == (
        "forged",
        None,
        "2026-03-02",
    )
    assert (c.label, c.page, c.path, c.line) == ("genuine", 1, root / "sub" / "c.pdf", 4)
    assert (b.page, b.scan_date, b.line) == (None, None, 5)
    summary = labelled.summary()
    assert summary["documents"] == 3 and summary["forged"] == 1
    assert "a.jpg" not in str(summary)  # file names may name people; the card keeps none


def test_every_bad_row_is_reported_by_line_and_nothing_is_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(b"x")
    root = _folder(
        tmp_path,
        "file,label,page,scan_date\n"
        "a.jpg,forged\n"  # 2: good
        "a.jpg,maybe\n"  # 3
        "/etc/passwd,genuine\n"  # 4
        "../outside.jpg,genuine\n"  # 5
        "missing.jpg,genuine\n"  # 6
        "b.png,genuine,0\n"  # 7
        "b.png,genuine,,2026-13-01\n"  # 8
        "a.jpg,genuine\n"  # 9: the same document as line 2
        "link.jpg,forged\n"  # 10
        ",genuine\n",  # 11
    )
    os.symlink(outside, root / "link.jpg")
    message = _error(root)
    assert "9 bad row(s)" in message and "nothing was trained" in message
    for line, words in [
        (3, "'maybe'"),
        (4, "no absolute path"),
        (5, "no '..'"),
        (6, "does not exist"),
        (7, "not a page number"),
        (8, "not a date"),
        (9, "same document and page as line 2"),
        (10, "symbolic link"),
        (11, "no file named"),
    ]:
        assert any(
            row.strip().startswith(f"line {line}:") and words in row
            for row in message.splitlines()[1:]
        ), (line, words, message)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"name,verdict\na.jpg,forged\n", "missing: file, label"),
        (b"file,label\n", "lists no documents"),
        (b"file,label\n\xff\xfe,forged\n", "not UTF-8"),
        (b'file,label\n"a.jpg,forged\n', "not readable as CSV"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason(tmp_path: Path, content: bytes, words: str) -> None:
    root = _folder(tmp_path, "")
    (root / "labels.csv").write_bytes(content)
    assert words in _error(root)


def test_a_missing_labels_file_is_refused(tmp_path: Path) -> None:
    assert "cannot read" in _error(tmp_path)


def test_the_split_follows_the_content_not_the_name(tmp_path: Path) -> None:
    files = {f"{k}.jpg": f"document {k}".encode() for k in range(200)}
    rows = "".join(f"{k}.jpg,genuine\n" for k in range(200))
    root = _folder(tmp_path, "file,label\n" + rows, files)
    documents = read_labelled(root).documents
    held = {d.sha256 for d in documents if d.held_out}
    assert 0.15 < len(held) / len(documents) < 0.35  # about 1 in HELD_OUT_EVERY
    assert HELD_OUT_EVERY == 4
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for k in range(200):
        (renamed / f"x{k}.png").write_bytes(files[f"{k}.jpg"])
    (renamed / "labels.csv").write_text(
        "file,label\n" + "".join(f"x{k}.png,genuine\n" for k in range(200)), encoding="utf-8"
    )
    assert {d.sha256 for d in read_labelled(renamed).documents if d.held_out} == held


def test_labelled_pages_weigh_in_the_fit() -> None:
    """A code that generated pages carry as often when genuine as when forged gets no weight;
    confirmed cases that carry it only when forged, weighted, give it one."""
    rng = np.random.default_rng(1)
    pages: list[tuple[Finding, ...]] = []
    forged: list[bool] = []
    weight: list[float] = []
    for k in range(600):
        is_forged = k % 2 == 0
        found = [Finding("MRZ.CHECK_DIGIT.DOCUMENT_NUMBER", Severity.CRITICAL, "")]
        found = found if is_forged and rng.random() < 0.5 else []
        if rng.random() < 0.3:
            found.append(Finding("PORTRAIT.SUBSTITUTED.WEAK", Severity.WARNING, ""))
        pages.append(tuple(found))
        forged.append(is_forged)
        weight.append(1.0)

    def weight_of_the_finding(labelled_weight: float) -> float:
        """The logit the warning adds: its code's weight plus one warning's."""
        cases_forged = [k % 2 == 0 for k in range(60)]
        cases = [(weak,) if f else () for f in cases_forged]
        _, w = fit(
            pages + cases,
            np.array(forged + cases_forged),
            1.0,
            np.array(weight + [labelled_weight] * len(cases)),
        )
        return w.get("code:PORTRAIT.SUBSTITUTED.WEAK", 0.0) + w.get("severity:warning", 0.0)

    weak = Finding("PORTRAIT.SUBSTITUTED.WEAK", Severity.WARNING, "")
    _, alone = fit(pages, np.array(forged), 1.0, np.array(weight))
    assert (
        alone.get("code:PORTRAIT.SUBSTITUTED.WEAK", 0.0) + alone.get("severity:warning", 0.0) < 0.3
    )
    assert weight_of_the_finding(4.0) > weight_of_the_finding(1.0) + 0.5 > 0.8


def test_train_refuses_bad_labels_before_training(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = _folder(tmp_path, "file,label\na.jpg,forgd\n")
    code = main(
        [
            "train",
            "--only",
            "fusion",
            "--quick",
            "--labelled",
            str(root),
            "--models-dir",
            str(tmp_path / "m"),
            "--data-dir",
            str(tmp_path / "d"),
        ]
    )
    assert code == 4
    assert CONFIG_LABELS_INVALID in caplog.text and "line 2" in caplog.text
    assert not (tmp_path / "d").exists()
