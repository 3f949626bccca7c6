"""The stop-list: CSV import (bad rows by line number), lookups, findings and the adapter seam."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docfraud.cli import main
from docfraud.config import Settings
from docfraud.errors import ConfigError, InputError
from docfraud.fusion.verdict import default_fusion, fraud_score
from docfraud.report.json import finding_to_dict
from docfraud.store import Store
from docfraud.store import watchlist as wl
from docfraud.store.watchlist import (
    StoreWatchlist,
    WatchlistEntry,
    apply_findings,
    import_csv,
    load_watchlist,
    watchlist_findings,
)
from docfraud.types import Finding, Severity
from tests.store.test_db import BACKENDS, T0, FakeClock, open_store

HEADER = "issuing_state,document_number,status,portrait_hash,note,listed_on"
GOOD = (
    "UTO,X4R 7215K0,stolen,,reported by the holder,2026-03-01\n"
    "D<<,c01x00t47,Lost,ABCDEF0123456789,,\n"
)
MRZ_BOX = [40, 610, 900, 120]
VIZ_BOX = [600, 120, 180, 30]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    yield from open_store(request.param, tmp_path, FakeClock())


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    yield from open_store("sqlite", tmp_path, FakeClock())


def write(tmp_path: Path, content: str | bytes, name: str = "national-list.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


def page(
    number: str | None = "X4R7215K0",
    state: str = "UTO",
    viz_number: str | None = None,
    findings: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One page's report as analysis_to_dict writes it (the keys the stop-list reads)."""
    mrz = None
    if number is not None:
        mrz = {
            "format": "TD3",
            "fields": {"issuing_state": state, "document_number": number, "nationality": state},
            "region": MRZ_BOX,
        }
    viz_fields = []
    if viz_number is not None:
        viz_fields = [
            {"name": "nationality", "text": "UTOPIAN", "value": "UTO", "region": [1, 2, 3, 4]},
            {"name": "document_number", "text": viz_number, "value": viz_number, "region": VIZ_BOX},
        ]
    return {
        "source": "passport.jpg",
        "page": 0,
        "document": {"kind": "passport", "issuing_state": state if mrz else None},
        "mrz": mrz,
        "viz": {"fields": viz_fields, "specimen_marked": False, "text_lines": 9},
        "verdict": "genuine",
        "fraud_score": 0.0,
        "findings": list(findings or []),
    }


class ListedAdapter:
    """An operator's adapter: every document of UTO numbered X… is listed as stolen."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store

    def lookup(self, issuing_state: str, document_number: str) -> list[WatchlistEntry]:
        if issuing_state == "UTO" and document_number.startswith("X"):
            return [WatchlistEntry(issuing_state, document_number, "stolen", "national-sltd")]
        return []


def create_no_lookup(settings: Settings, store: Store) -> object:
    return object()


class BrokenSource:
    def lookup(self, issuing_state: str, document_number: str) -> list[WatchlistEntry]:
        raise ConnectionError("the national system is down")


# --- schema -------------------------------------------------------------------------------------


@pytest.mark.filterwarnings(  # the O/0 lookup index: tests/store/test_db.py checks it
    "ignore:Skipped unsupported reflection of expression-based index"
)
def test_the_migration_creates_the_watchlist_table(store: Store) -> None:
    with store.engine.connect() as connection:
        inspector = sa.inspect(connection)
        columns = {c["name"]: c["nullable"] for c in inspector.get_columns("watchlist")}
        unique = inspector.get_unique_constraints("watchlist")
    assert columns == {
        "id": False,
        "issuing_state": False,
        "document_number": False,
        "portrait_hash": True,
        "status": False,
        "source": False,
        "note": True,
        "listed_on": True,
        "imported_at": False,
    }
    assert [u["column_names"] for u in unique] == [["issuing_state", "document_number", "source"]]


# --- import -------------------------------------------------------------------------------------


def test_import_a_good_file(store: Store, tmp_path: Path) -> None:
    report = import_csv(store, write(tmp_path, HEADER + "\n" + GOOD))
    assert (report.source, report.rows, report.imported, report.updated, report.bad) == (
        "national-list",
        2,
        2,
        0,
        0,
    )
    assert report.bad_rows == ()
    [stolen] = store.find_watchlist("UTO", "X4R7215K0")
    assert stolen == WatchlistEntry(
        issuing_state="UTO",
        document_number="X4R7215K0",
        status="stolen",
        source="national-list",
        portrait_hash=None,
        note="reported by the holder",
        listed_on=date(2026, 3, 1),
        imported_at=stolen.imported_at,
    )
    assert stolen.imported_at is not None and stolen.imported_at >= T0
    [lost] = store.find_watchlist("D", "C01X00T47")
    assert (lost.status, lost.portrait_hash, lost.note, lost.listed_on) == (
        "lost",
        "abcdef0123456789",
        None,
        None,
    )
    assert store.count_watchlist() == [("national-list", "lost", 1), ("national-list", "stolen", 1)]


def test_bad_rows_are_reported_with_their_line_numbers(store: Store, tmp_path: Path) -> None:
    content = (
        b"\xef\xbb\xbf"  # a byte-order mark, as Excel writes UTF-8
        + (
            HEADER + "\n"  # 1
            "UTO,X4R7215K0,stolen,,,2026-03-01\n"  # 2 good
            "UTO,L898902C3,lost\n"  # 3 too few values
            "UTO,L898902C3,lost,,,,extra\n"  # 4 too many
            "UT0,L898902C3,lost,,,\n"  # 5 state with a digit
            "UTOP,L898902C3,lost,,,\n"  # 6 four letters
            ",L898902C3,lost,,,\n"  # 7 no issuing state
            "UTO,  ,lost,,,\n"  # 8 empty number
            "UTO,L898-902C3,lost,,,\n"  # 9 punctuation in the number
            "UTO,L898902C3,found,,,\n"  # 10 unknown status
            "UTO,L898902C3,,,,\n"  # 11 no status
            "UTO,L898902C3,lost,,,2026-02-30\n"  # 12 no such day
            "UTO,L898902C3,lost,,,01/03/2026\n"  # 13 not ISO
            "UTO,L898902C3,lost,xyz,,\n"  # 14 not hex
            "UTO,L898902C3,lost,abc,,\n"  # 15 odd length
            "uto,x4r 7215k0,lost,,,\n"  # 16 duplicate of line 2, once normalised
            "\n"  # 17 blank: skipped, not reported
            'UTO,L898902C3,lost,,"two-line\nnote",2026-13-01\n'  # 18-19: reported at 18
            "UTO,ZE184226B,revoked,,\xe9,\n"  # 20 is written below as Latin-1
            "D,C01X00T47,fraudulent,,,\n"  # 21 good
        ).encode()
    )
    content = content.replace("\xe9".encode(), b"\xe9")  # a byte that is not UTF-8
    report = import_csv(store, write(tmp_path, content))
    assert [(bad.line, bad.reason) for bad in report.bad_rows] == [
        (3, "3 values where the header has 6 columns"),
        (4, "7 values where the header has 6 columns"),
        (5, "issuing state 'UT0' is not a 3-letter code (D for Germany)"),
        (6, "issuing state 'UTOP' is not a 3-letter code (D for Germany)"),
        (7, "no issuing_state"),
        (8, "no document_number"),
        (9, "the document number has characters other than A-Z and 0-9"),
        (
            10,
            "status 'found' is not one of fraudulent, invalidated, lost, revoked, stolen, "
            "stolen_blank",
        ),
        (11, "no status"),
        (12, "listed_on '2026-02-30' is not a date (YYYY-MM-DD)"),
        (13, "listed_on '01/03/2026' is not a date (YYYY-MM-DD)"),
        (14, "portrait_hash is not a hexadecimal digest of 16 to 128 digits"),
        (15, "portrait_hash is not a hexadecimal digest of 16 to 128 digits"),
        (16, "duplicate of line 2 (same issuing state and document number)"),
        (18, "listed_on '2026-13-01' is not a date (YYYY-MM-DD)"),
        (20, "not UTF-8 text"),
    ]
    assert (report.rows, report.imported, report.bad) == (18, 2, 16)
    assert [e.status for e in store.find_watchlist("UTO", "X4R7215K0")] == ["stolen"]
    assert [e.status for e in store.find_watchlist("D", "C01X00T47")] == ["fraudulent"]
    assert store.find_watchlist("UTO", "L898902C3") == []


def test_an_unclosed_quote_is_one_bad_row_that_says_so(store: Store, tmp_path: Path) -> None:
    content = HEADER + '\nUTO,"X4R7215K0,stolen,,,\nUTO,L898902C3,lost,,,\n'
    report = import_csv(store, write(tmp_path, content))
    assert [(b.line, b.reason) for b in report.bad_rows] == [
        (2, "2 values where the header has 6 columns (it runs to line 3: a quote left open?)")
    ]


def test_reimporting_is_idempotent_and_an_updated_list_updates(
    store: Store, tmp_path: Path
) -> None:
    path = write(tmp_path, HEADER + "\n" + GOOD)
    import_csv(store, path)
    [before] = store.find_watchlist("UTO", "X4R7215K0")
    again = import_csv(store, path)
    assert (again.imported, again.updated, again.unchanged, again.bad) == (0, 0, 2, 0)
    assert store.find_watchlist("UTO", "X4R7215K0") == [before]  # imported_at did not move
    changed = GOOD.replace("stolen,,reported by the holder", "fraudulent,,forged data page")
    update = import_csv(store, write(tmp_path, HEADER + "\n" + changed))
    assert (update.imported, update.updated, update.unchanged) == (0, 1, 1)
    [after] = store.find_watchlist("UTO", "X4R7215K0")
    assert (after.status, after.note) == ("fraudulent", "forged data page")
    assert after.imported_at is not None and before.imported_at is not None
    assert after.imported_at > before.imported_at
    other = import_csv(store, path, source="interpol-extract")  # another list: its own entries
    assert other.imported == 2
    assert [e.source for e in store.find_watchlist("UTO", "X4R7215K0")] == [
        "interpol-extract",
        "national-list",
    ]


def test_a_large_list_is_written_in_chunks(sqlite_store: Store, tmp_path: Path) -> None:
    rows = "".join(f"UTO,A{n:08d},lost,,,\n" for n in range(1234))
    path = write(tmp_path, HEADER + "\n" + rows)
    assert import_csv(sqlite_store, path).imported == 1234
    assert import_csv(sqlite_store, path).unchanged == 1234
    assert sqlite_store.count_watchlist() == [("national-list", "lost", 1234)]


def test_semicolons_tabs_and_extra_columns(sqlite_store: Store, tmp_path: Path) -> None:
    semicolons = "Document_Number;Issuing_State;Status;Holder\nX4R7215K0;UTO;stolen;someone\n"
    report = import_csv(sqlite_store, write(tmp_path, semicolons), source="a")
    assert (report.imported, report.ignored_columns) == (1, ("holder",))
    tabs = "issuing_state\tdocument_number\tstatus\r\nUTO\tL898902C3\trevoked\r\n"
    assert import_csv(sqlite_store, write(tmp_path, tabs), source="b").imported == 1
    assert [e.source for e in sqlite_store.find_watchlist("UTO", "L898902C3")] == ["b"]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\n" + HEADER.encode(),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"issuing_state,document_number\nUTO,X4R7215K0\n",
        b"issuing_state,document_number,status,status\n",
        HEADER.encode("utf-16"),
        b"\xff\xfe" + b"issuing_state,document_number,status\n",
    ],
    ids=["empty", "blank-first", "png", "no-status", "repeated", "utf-16", "not-utf-8"],
)
def test_a_file_that_is_not_a_stop_list_is_refused(
    sqlite_store: Store, tmp_path: Path, content: bytes
) -> None:
    with pytest.raises(InputError) as caught:
        import_csv(sqlite_store, write(tmp_path, content))
    assert caught.value.code == "WATCHLIST.BAD_FILE"
    assert caught.value.exit_code == 2
    assert sqlite_store.count_watchlist() == []


def test_a_missing_or_oversized_file_is_refused(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InputError) as missing:
        import_csv(sqlite_store, tmp_path / "nothing.csv")
    assert missing.value.code == "INPUT.NOT_FOUND"
    with pytest.raises(InputError) as folder:
        import_csv(sqlite_store, tmp_path)
    assert folder.value.code == "INPUT.NOT_FOUND"
    monkeypatch.setattr(wl, "MAX_FILE_BYTES", 10)
    with pytest.raises(InputError) as large:
        import_csv(sqlite_store, write(tmp_path, HEADER + "\n" + GOOD))
    assert large.value.code == "WATCHLIST.TOO_LARGE"


@pytest.mark.parametrize("source", ["", "   ", "x" * 101])
def test_a_list_needs_a_usable_name(sqlite_store: Store, tmp_path: Path, source: str) -> None:
    with pytest.raises(ConfigError):
        import_csv(sqlite_store, write(tmp_path, HEADER + "\n" + GOOD), source=source)


def test_only_the_first_bad_rows_are_listed(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wl, "MAX_REPORTED_BAD_ROWS", 3)
    report = import_csv(sqlite_store, write(tmp_path, HEADER + "\n" + "UTO,,lost,,,\n" * 10))
    assert report.bad == 10
    assert [b.line for b in report.bad_rows] == [2, 3, 4]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(max_size=400))
def test_import_never_raises_on_any_rows(sqlite_store: Store, tmp_path: Path, body: str) -> None:
    report = import_csv(sqlite_store, write(tmp_path, HEADER + "\n" + body))
    assert report.rows == report.imported + report.updated + report.unchanged + report.bad
    assert all(bad.line >= 2 for bad in report.bad_rows)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_import_only_reports_or_refuses_the_file(
    sqlite_store: Store, tmp_path: Path, content: str | bytes
) -> None:
    try:
        import_csv(sqlite_store, write(tmp_path, content))
    except InputError as error:
        assert error.code == "WATCHLIST.BAD_FILE"


# --- lookups and the adapter seam ---------------------------------------------------------------


def test_lookup_normalises_what_it_is_given(sqlite_store: Store, tmp_path: Path) -> None:
    import_csv(sqlite_store, write(tmp_path, HEADER + "\n" + GOOD))
    source = StoreWatchlist(sqlite_store)
    assert [e.document_number for e in source.lookup("uto", "x4r 7215k0")] == ["X4R7215K0"]
    assert [e.document_number for e in source.lookup("UTO", "X4R7215K0<<")] == ["X4R7215K0"]
    assert [e.status for e in source.lookup("D<<", "C01X00T47")] == ["lost"]
    assert source.lookup("UTO", "X4R7215K1") == []
    assert source.lookup("", "") == []


def test_lookup_reads_o_and_0_alike(sqlite_store: Store, tmp_path: Path) -> None:
    """As link analysis does: OCR-B's O and 0 differ by a few pixels, and two swaps can leave the
    check digit valid."""
    import_csv(sqlite_store, write(tmp_path, HEADER + "\n" + GOOD))
    source = StoreWatchlist(sqlite_store)
    assert [e.document_number for e in source.lookup("D", "CO1XOOT47")] == ["C01X00T47"]
    assert [e.document_number for e in source.lookup("D", "C01XO0T47")] == ["C01X00T47"]
    assert source.lookup("D", "CQ1X00T47") == []  # only O and 0


def test_a_hit_on_a_number_listed_with_o_for_0_says_so(sqlite_store: Store, tmp_path: Path) -> None:
    import_csv(sqlite_store, write(tmp_path, HEADER + "\n" + GOOD))
    [hit] = watchlist_findings(
        page("CO1XOOT47", state="D", viz_number="C01X00T47"), StoreWatchlist(sqlite_store)
    )
    assert hit["message"].startswith(
        "Document no. CO1XOOT47 of D (listed as C01X00T47: the letter O and the digit 0 count as "
        "one) is on the stop-list"
    )
    assert hit["evidence"]["listed_number"] == "C01X00T47"
    assert hit["evidence"]["read_from"] == "mrz"  # the printed reading is the same key: one finding


def test_load_watchlist_defaults_to_the_store(sqlite_store: Store) -> None:
    assert isinstance(load_watchlist(Settings(), sqlite_store), StoreWatchlist)


def test_load_watchlist_calls_the_configured_adapter(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCFRAUD_WATCHLIST_ADAPTER", "tests.store.test_watchlist:ListedAdapter")
    settings = Settings()
    source = load_watchlist(settings, sqlite_store)
    assert isinstance(source, ListedAdapter)
    assert (source.settings, source.store) == (settings, sqlite_store)
    assert [f["code"] for f in watchlist_findings(page(), source)] == ["WATCHLIST.HIT"]


@pytest.mark.parametrize(
    "adapter",
    [
        "tests.store.test_watchlist",
        ":ListedAdapter",
        "tests.store.no_such_module:factory",
        "tests.store.test_watchlist:no_such_factory",
        "tests.store.test_watchlist:create_no_lookup",
        "tests.store.test_watchlist:BrokenSource",  # takes no (settings, store)
    ],
)
def test_a_bad_adapter_setting_is_a_config_error(sqlite_store: Store, adapter: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_watchlist(Settings(watchlist_adapter=adapter), sqlite_store)
    assert caught.value.code == "CONFIG.INVALID"


# --- findings and the verdict -------------------------------------------------------------------


@pytest.fixture
def listed(sqlite_store: Store, tmp_path: Path) -> StoreWatchlist:
    import_csv(sqlite_store, write(tmp_path, HEADER + "\n" + GOOD))
    return StoreWatchlist(sqlite_store)


def test_a_listed_mrz_is_a_critical_hit(listed: StoreWatchlist) -> None:
    [hit] = watchlist_findings(page(viz_number="X4R7215K0"), listed)
    sample = finding_to_dict(Finding("X", Severity.CRITICAL, "m"))
    assert hit.keys() == sample.keys()
    assert hit == {
        "code": "WATCHLIST.HIT",
        "severity": "critical",
        "message": "Document no. X4R7215K0 of UTO is on the stop-list 'national-list' as stolen "
        "(listed 2026-03-01).",
        "field": "document_number",
        "region": MRZ_BOX,
        "page": 0,
        "regions": [
            {"source": "passport.jpg", "page": 0, "box": MRZ_BOX},
            {"source": "passport.jpg", "page": 0, "box": VIZ_BOX},
        ],
        "evidence": {
            "issuing_state": "UTO",
            "document_number": "X4R7215K0",
            "read_from": "mrz",
            "listed_number": "X4R7215K0",
            "lists": "national-list",
            "status": "stolen",
            "listed_on": "2026-03-01",
        },
        "contribution": None,  # set when apply_findings decides the verdict
    }


def test_a_clean_document_has_no_finding(listed: StoreWatchlist) -> None:
    assert watchlist_findings(page("L898902C3", viz_number="L898902C3"), listed) == []
    assert watchlist_findings(page("X4R7215K0", state="D"), listed) == []  # another State's
    assert watchlist_findings({}, listed) == []
    assert watchlist_findings({"mrz": "garbage", "viz": {"fields": [None, 3]}}, listed) == []


def test_without_an_mrz_the_printed_number_is_looked_up(listed: StoreWatchlist) -> None:
    [hit] = watchlist_findings(page(None, viz_number="X4R 7215K0"), listed)
    assert hit["message"].startswith("Document no. printed X4R7215K0 of UTO is on")
    assert hit["region"] == VIZ_BOX
    assert hit["evidence"]["read_from"] == "viz"


def test_a_printed_number_that_differs_from_the_mrz_is_looked_up_too(
    listed: StoreWatchlist,
) -> None:
    """A listed passport whose MRZ was altered to pass: the printed number still hits."""
    [hit] = watchlist_findings(page("L898902C3", viz_number="X4R7215K0"), listed)
    assert (hit["evidence"]["read_from"], hit["region"]) == ("viz", VIZ_BOX)


def test_several_lists_make_one_finding(sqlite_store: Store, tmp_path: Path) -> None:
    import_csv(sqlite_store, write(tmp_path, HEADER + "\n" + GOOD), source="a-list")
    lost = "issuing_state,document_number,status\nUTO,X4R7215K0,lost\n"
    import_csv(sqlite_store, write(tmp_path, lost), source="b-list")
    [hit] = watchlist_findings(page(), StoreWatchlist(sqlite_store))
    assert hit["message"] == (
        "Document no. X4R7215K0 of UTO is on the stop-lists 'a-list' as stolen "
        "(listed 2026-03-01) and 'b-list' as lost."
    )
    assert hit["evidence"]["status"] == "stolen, lost"


def test_a_list_that_cannot_be_consulted_is_reported_not_missed() -> None:
    [finding] = watchlist_findings(page(), BrokenSource())
    assert (finding["code"], finding["severity"]) == ("WATCHLIST.UNAVAILABLE", "info")
    assert finding["evidence"] == {"error": "ConnectionError"}


def test_apply_findings_makes_a_genuine_page_suspicious(listed: StoreWatchlist) -> None:
    earlier = [
        finding_to_dict(Finding("MRZ.OCR.REPAIRED", Severity.INFO, "a repair")),
        finding_to_dict(Finding("DATE.EXPIRED", Severity.WARNING, "expired")),
    ]
    document = page(findings=earlier)
    document["fraud_score"] = 0.2
    hits = watchlist_findings(document, listed)
    result = apply_findings(document, hits)
    expected = fraud_score(
        [
            Finding("DATE.EXPIRED", Severity.WARNING, ""),
            Finding("WATCHLIST.HIT", Severity.CRITICAL, ""),
        ]
    )
    assert (result["verdict"], result["fraud_score"]) == ("suspicious", expected)
    shares = [f["contribution"] for f in result["findings"]]
    assert shares[0] == 0.0 and shares[2] > shares[1] >= 0.0  # the hit weighs most
    assert sum(shares) == pytest.approx(expected - default_fusion().floor, abs=1e-3)
    assert [f["code"] for f in result["findings"]] == [
        "MRZ.OCR.REPAIRED",
        "DATE.EXPIRED",
        "WATCHLIST.HIT",
    ]
    assert document["findings"] == earlier and document["verdict"] == "genuine"  # not modified
    assert apply_findings(result, hits) == result  # applying twice adds nothing
    assert apply_findings(page(), []) == page()


def test_apply_findings_keeps_the_unreadable_rule(listed: StoreWatchlist) -> None:
    """The verdict module's rule: without a readable MRZ a page stays unreadable."""
    not_found = finding_to_dict(Finding("MRZ.NOT_FOUND", Severity.WARNING, "no MRZ"))
    document = page(None, viz_number="X4R7215K0", findings=[not_found])
    result = apply_findings(document, watchlist_findings(document, listed))
    assert result["verdict"] == "unreadable"
    # the critical hit would make a readable page suspicious (tests/fusion/test_verdict.py)
    assert result["fraud_score"] > default_fusion().floor
    assert {"code": "WATCHLIST.HIT", "severity": "critical"}.items() <= result["findings"][
        -1
    ].items()


def test_apply_findings_refuses_an_unknown_severity() -> None:
    with pytest.raises(ValueError, match="severity"):
        apply_findings(page(), [{"code": "X", "severity": "fatal"}])


# --- command line -------------------------------------------------------------------------------


def test_the_command_imports_and_lists(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DOCFRAUD_DATABASE_URL", raising=False)
    path = write(tmp_path, HEADER + "\n" + GOOD + "UTO,,lost,,,\n")
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["watchlist", "import", str(path), "--source", "national-sltd", *data]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == {
        "source": "national-sltd",
        "rows": 3,
        "imported": 2,
        "updated": 0,
        "unchanged": 0,
        "bad_rows": 1,
    }
    assert "line 4: no document_number\n" in err
    assert main(["watchlist", "list", *data]) == 0
    out, _ = capsys.readouterr()
    assert [json.loads(line) for line in out.splitlines()] == [
        {"source": "national-sltd", "status": "lost", "entries": 1},
        {"source": "national-sltd", "status": "stolen", "entries": 1},
    ]
    not_csv = write(tmp_path, b"\x00\x01\x02", name="blob.csv")
    assert main(["watchlist", "import", str(not_csv), *data]) == 2
    assert "WATCHLIST.BAD_FILE" in caplog.text


# --- portraits ----------------------------------------------------------------------------------

PORTRAIT = bytes(range(7, 39))  # a 256-bit hash, as a report's portrait.hash holds it
PORTRAIT_BOX = [40, 60, 180, 230]


def _flipped(digest: bytes, bits: int) -> str:
    """The hash with its first ``bits`` bits inverted, in hex."""
    value = bytearray(digest)
    for k in range(bits):
        value[k // 8] ^= 0x80 >> (k % 8)
    return bytes(value).hex()


def with_portrait(document: dict[str, Any], digest_hex: str) -> dict[str, Any]:
    return {**document, "portrait": {"hash": digest_hex, "region": PORTRAIT_BOX}}


@pytest.fixture
def listed_portrait(sqlite_store: Store, tmp_path: Path) -> StoreWatchlist:
    rows = (
        "issuing_state,document_number,status,portrait_hash\n"
        f"UTO,K7W9211M2,fraudulent,{PORTRAIT.hex()}\n"
        "UTO,A1234567,stolen,0123456789abcdef\n"  # another scheme's hash: kept, not compared
    )
    import_csv(sqlite_store, write(tmp_path, rows), source="known-forgeries")
    return StoreWatchlist(sqlite_store)


def test_store_lists_the_entries_with_a_portrait(store: Store, tmp_path: Path) -> None:
    rows = f"issuing_state,document_number,status,portrait_hash\nUTO,K7W9211M2,lost,{'ab' * 32}\n"
    import_csv(store, write(tmp_path, rows + "UTO,X4R7215K0,stolen,\n"))
    [entry] = store.watchlist_portraits()
    assert (entry.document_number, entry.portrait_hash) == ("K7W9211M2", "ab" * 32)


def test_a_listed_portrait_is_a_critical_hit(listed_portrait: StoreWatchlist) -> None:
    document = with_portrait(page("L898902C3"), _flipped(PORTRAIT, 30))
    [hit] = watchlist_findings(document, listed_portrait)
    assert (hit["code"], hit["severity"], hit["field"]) == (
        "WATCHLIST.PORTRAIT_HIT",
        "critical",
        "portrait",
    )
    assert hit["message"] == (
        "The portrait is the photo listed with document no. K7W9211M2 of UTO on the stop-list "
        "'known-forgeries' as fraudulent (30 of 256 bits of its hash differ); compare the faces."
    )
    assert hit["region"] == PORTRAIT_BOX
    assert hit["evidence"]["differing_bits"] == "30"


def test_a_portrait_farther_than_the_limit_or_unhashed_is_no_hit(
    listed_portrait: StoreWatchlist,
) -> None:
    far = _flipped(PORTRAIT, wl.PORTRAIT_HASH_MAX_BITS + 1)
    assert watchlist_findings(with_portrait(page("L898902C3"), far), listed_portrait) == []
    assert watchlist_findings(with_portrait(page("L898902C3"), "zz" * 32), listed_portrait) == []
    assert watchlist_findings(page("L898902C3"), listed_portrait) == []


def test_number_and_portrait_hits_are_two_findings(listed_portrait: StoreWatchlist) -> None:
    document = with_portrait(page("K7W9211M2"), PORTRAIT.hex())
    codes = [f["code"] for f in watchlist_findings(document, listed_portrait)]
    assert codes == ["WATCHLIST.HIT", "WATCHLIST.PORTRAIT_HIT"]


class BrokenPortraits(ListedAdapter):
    def portrait_entries(self) -> list[WatchlistEntry]:
        raise TimeoutError("the national system is slow")


def test_portraits_are_compared_only_where_the_source_lists_them(sqlite_store: Store) -> None:
    document = with_portrait(page("L898902C3"), PORTRAIT.hex())
    assert watchlist_findings(document, ListedAdapter(Settings(), sqlite_store)) == []
    [finding] = watchlist_findings(document, BrokenPortraits(Settings(), sqlite_store))
    assert (finding["code"], finding["region"]) == ("WATCHLIST.UNAVAILABLE", PORTRAIT_BOX)


class ListedPortraits(ListedAdapter):
    """An operator's adapter that lists one portrait (compared without the store's cache)."""

    def portrait_entries(self) -> list[WatchlistEntry]:
        return [WatchlistEntry("UTO", "K7W9211M2", "stolen", "national-sltd", PORTRAIT.hex())]


def test_an_adapters_listed_portrait_is_a_hit(sqlite_store: Store) -> None:
    document = with_portrait(page("L898902C3"), _flipped(PORTRAIT, 12))
    [hit] = watchlist_findings(document, ListedPortraits(Settings(), sqlite_store))
    assert (hit["code"], hit["evidence"]["differing_bits"]) == ("WATCHLIST.PORTRAIT_HIT", "12")


def test_the_portrait_index_is_read_again_only_after_an_import(
    sqlite_store: Store, listed_portrait: StoreWatchlist, tmp_path: Path
) -> None:
    first = listed_portrait.portrait_index()
    assert listed_portrait.portrait_index() is first  # nothing changed: no second read
    other = _flipped(PORTRAIT, 128)
    document = with_portrait(page("L898902C3"), other)
    assert watchlist_findings(document, listed_portrait) == []
    rows = f"issuing_state,document_number,status,portrait_hash\nUTO,Z1111111,lost,{other}\n"
    import_csv(sqlite_store, write(tmp_path, rows), source="another-list")
    assert listed_portrait.portrait_index() is not first
    [hit] = watchlist_findings(document, listed_portrait)
    assert hit["evidence"]["document_number"] == "Z1111111"


def test_the_index_counts_differing_bits_as_a_plain_comparison_does() -> None:
    rng = np.random.default_rng(5)
    hashes = [rng.bytes(wl.HASH_BYTES) for _ in range(50)]
    index = wl.PortraitIndex(
        WatchlistEntry("UTO", f"N{i}", "lost", "l", h.hex()) for i, h in enumerate(hashes)
    )
    query = hashes[7]
    plain = [
        int(
            np.count_nonzero(
                np.unpackbits(np.frombuffer(h, np.uint8) ^ np.frombuffer(query, np.uint8))
            )
        )
        for h in hashes
    ]
    within = index.within(query, 120)
    assert [(d, e.document_number) for d, e in within] == [
        (d, f"N{i}") for i, d in enumerate(plain) if d <= 120
    ]
    assert (0, "N7") in [(d, e.document_number) for d, e in within]
