"""analyze(): run the stages in order over every page of one input, and nothing else."""

from __future__ import annotations

import hashlib
import logging
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TypeVar

import cv2
import numpy as np
import numpy.typing as npt

from docfraud import __version__
from docfraud.analysis import Analysis
from docfraud.checks.registry import run_checks
from docfraud.config import AnalysisConfig
from docfraud.errors import CONFIG_CALIBRATION_INVALID, ConfigError, DocfraudError, InputError
from docfraud.fusion.model import Fusion, load_fusion, read_model_thresholds
from docfraud.fusion.verdict import decide, explained
from docfraud.imaging.ghost import GhostVerdict, GhostVerifier
from docfraud.imaging.load import LoadedDocument, load_bytes, load_path
from docfraud.imaging.portrait import PortraitLocation, PortraitPrint, find_portrait, portrait_hash
from docfraud.imaging.portraitnet import PortraitEmbedder, portrait_crop
from docfraud.imaging.rectify import DocumentQuad, locate_document, outside_document
from docfraud.imaging.substitution import SubstitutionModel, SubstitutionScore
from docfraud.imaging.tampernet import TamperDetector
from docfraud.mrz.codes import lookup_state
from docfraud.mrz.parse import MrzData
from docfraud.mrz.read import MrzReading, read_mrz
from docfraud.ocr.letter import read_letter
from docfraud.ocr.recognizer import LineRecognizer, create_recognizer
from docfraud.ocr.viz import read_card_front, read_viz
from docfraud.types import Finding, LetterReading, Severity, Verdict, VizReading

log = logging.getLogger(__name__)

T = TypeVar("T")

STAGE_FAILED = "INTERNAL.STAGE_FAILED"

_STAGE_PARTS = {
    "mrz": "the MRZ",
    "document": "the document's outline",
    "text": "the visual zone or letter text",
    "portrait": "the portrait",
    "tamper": "the tamper map",
}
"""What each reading stage gives the page, as a stage failure's message names it."""

TextParts = tuple[VizReading | None, LetterReading | None, DocumentQuad | None]
"""The visual zone, the letter, and the outline of the page they were read in."""
PortraitParts = tuple[
    tuple[PortraitLocation, PortraitPrint] | None, SubstitutionScore | None, GhostVerdict | None
]
"""The portrait with its print, its substitution score and the ghost portrait's verdict."""

PageHook = Callable[[Analysis, npt.NDArray[np.uint8]], None]
"""Called with each page's analysis and its decoded (H, W, 3) BGR pixels."""


class Analyzer:
    """Holds what is costly to build (the recogniser) and analyses inputs one by one."""

    def __init__(self, config: AnalysisConfig | None = None, fusion: Fusion | None = None) -> None:
        self.config = config = config or AnalysisConfig()
        self.recognizer: LineRecognizer = create_recognizer(config.recognizer, config.models_dir)
        self.portraits = PortraitEmbedder(config.models_dir)
        self.tamper = TamperDetector(config.models_dir) if config.detect_tampering else None
        self.substitution = (
            SubstitutionModel.load(config.models_dir) if config.check_portraits else None
        )
        self.ghosts = GhostVerifier(config.models_dir) if config.check_portraits else None
        self.fusion = fusion or load_fusion(config.models_dir, config.calibration)
        if config.calibration is not None:
            self._use_site_thresholds(config.calibration)

    def _use_site_thresholds(self, calibration: Path) -> None:
        """A site's alarm and notice thresholds (``docfraud calibrate``) replace the training's
        for the models they were measured on; a calibration of another model version is
        refused, as its thresholds mean other probabilities."""
        site = read_model_thresholds(calibration)
        for name, model in (
            ("portrait_substitution", self.substitution),
            ("tamper_net", self.tamper),
            ("ghost_net", self.ghosts),
        ):
            if model is None or name not in site:
                continue
            if site[name].version != model.version:
                raise ConfigError(
                    CONFIG_CALIBRATION_INVALID,
                    f"Calibration {calibration} was made for {site[name].version}, the model is "
                    f"{model.version}; run `docfraud calibrate` again.",
                )
        if self.substitution is not None and "portrait_substitution" in site:
            t = site["portrait_substitution"]
            self.substitution = replace(self.substitution, alarm=t.alarm, notice=t.notice)
        if self.ghosts is not None and "ghost_net" in site:
            self.ghosts.alarm = site["ghost_net"].alarm
            self.ghosts.notice = site["ghost_net"].notice
        if self.tamper is not None and "tamper_net" in site:
            self.tamper.alarm = site["tamper_net"].alarm
            self.tamper.notice = site["tamper_net"].notice

    def analyze_path(
        self, path: str | Path, on_page: PageHook | None = None
    ) -> tuple[Analysis, ...]:
        """Every page of the file at ``path``; ``on_page`` is called with each page's analysis
        and its decoded pixels (evidence images), so the input is decoded once."""
        return self._analyze(str(path), lambda: load_path(path, self.config.limits), path, on_page)

    def analyze_bytes(
        self, data: bytes, source: str, on_page: PageHook | None = None
    ) -> tuple[Analysis, ...]:
        return self._analyze(source, lambda: load_bytes(data, self.config.limits), data, on_page)

    def _analyze(
        self,
        source: str,
        load: Callable[[], LoadedDocument],
        raw: str | Path | bytes,
        on_page: PageHook | None,
    ) -> tuple[Analysis, ...]:
        today = self.config.scan_date or date.today()
        t0 = time.perf_counter()
        try:
            doc = load()
        except InputError as err:
            return (_unreadable(source, raw, today, err, self._versions()),)
        ingest_ms = (time.perf_counter() - t0) * 1000 / max(1, len(doc.pages))
        pages = [
            self._analyze_page(source, doc, page.index, page.bgr, today, ingest_ms)
            for page in doc.pages
        ]
        pixels = {page.index: page.bgr for page in doc.pages}
        analyses = self.read_fronts_with_backs(pages, lambda a: pixels[a.page])
        if on_page is not None:
            for analysis in analyses:
                on_page(analysis, pixels[analysis.page])
        return analyses

    def read_fronts_with_backs(
        self,
        analyses: Sequence[Analysis],
        pixels: Callable[[Analysis], npt.NDArray[np.uint8]],
    ) -> tuple[Analysis, ...]:
        """``analyses`` presented together (the pages of one input, the files of a case), each
        card front read again with the MRZ of its back where one of them is its back
        (:func:`~docfraud.ocr.viz.read_card_front`) and concluded again.

        ``pixels`` gives the image of each :func:`unpaired_front`'s page.
        """
        backs = [
            (a, a.mrz.data)
            for a in analyses
            if a.letter is None and a.mrz is not None and a.mrz.data and plausible_mrz(a.mrz.data)
        ]
        if not backs:
            return tuple(analyses)
        return tuple(
            self._read_front_again(a, pixels(a), backs) if unpaired_front(a) else a
            for a in analyses
        )

    def _read_front_again(
        self,
        front: Analysis,
        bgr: npt.NDArray[np.uint8],
        backs: list[tuple[Analysis, MrzData]],
    ) -> Analysis:
        t0 = time.perf_counter()
        faults: list[Finding] = []
        alone = front.viz
        assert alone is not None
        kept: tuple[VizReading, MrzData | None] = (alone, None)
        viz, used = self._stage(
            "text",
            faults,
            lambda: read_card_front(bgr, front.outline, alone, [data for _, data in backs]),
            kept,
        )
        if used is None and not faults:
            return front
        if used is not None:
            back = next(b for b, data in backs if data is used)
            viz = replace(viz, other_side=f"{back.source} page {back.page}")
        ms = (time.perf_counter() - t0) * 1000
        timings = tuple(
            (stage, round(spent + ms, 2) if stage in ("text", "total") else spent)
            for stage, spent in front.timings_ms
        )
        again = replace(front, viz=viz, faults=front.faults + tuple(faults))
        return replace(self.conclude(again), timings_ms=timings)

    def _analyze_page(
        self,
        source: str,
        doc: LoadedDocument,
        index: int,
        bgr: npt.NDArray[np.uint8],
        today: date,
        ingest_ms: float,
    ) -> Analysis:
        t0 = time.perf_counter()
        faults: list[Finding] = []
        gray = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
        mrz = self._stage(
            "mrz", faults, lambda: document_mrz(gray, read_mrz(gray, self.recognizer, today)), None
        )
        t1 = time.perf_counter()
        outline = self._stage(
            "document",
            faults,
            lambda: locate_document(
                gray,
                mrz.candidate if mrz else None,
                mrz.format.value if mrz and mrz.format else None,
                faint_edges=True,
            ),
            None,
        )
        t2 = time.perf_counter()
        unread: TextParts = (None, None, outline)
        viz, letter, page = self._stage(
            "text", faults, lambda: self._read_text(bgr, gray, outline, mrz), unread
        )
        if letter is not None:  # what looked like an MRZ was lines of the letter's text
            mrz, outline = None, page
        elif mrz is not None and mrz.data is not None and not_an_mrz(mrz.data):
            mrz = None  # lines of some text read on the MRZ lattice: not one field is an MRZ's
        t_text = time.perf_counter()
        no_portrait: PortraitParts = (None, None, None)
        portrait, substitution, ghost = self._stage(
            "portrait", faults, lambda: self._portrait_checks(bgr, mrz, outline), no_portrait
        )
        t_portrait = time.perf_counter()
        tamper = self._stage(
            "tamper", faults, lambda: self.tamper(bgr) if self.tamper is not None else None, None
        )
        t_tamper = time.perf_counter()
        analysis = Analysis(
            source=source,
            page=index,
            sha256=doc.sha256,
            media_type=doc.media_type,
            image_size=(int(bgr.shape[1]), int(bgr.shape[0])),
            scan_date=today,
            mrz=mrz,
            outline=outline,
            viz=viz,
            letter=letter,
            portrait=portrait,
            substitution=substitution,
            ghost=ghost,
            tamper=tamper,
            faults=tuple(faults),
            versions=self._versions(),
        )
        analysis = self.conclude(analysis)
        t3 = time.perf_counter()
        timings = (
            ("ingest", round(ingest_ms, 2)),
            ("mrz", round((t1 - t0) * 1000, 2)),
            ("document", round((t2 - t1) * 1000, 2)),
            ("text", round((t_text - t2) * 1000, 2)),
            ("portrait", round((t_portrait - t_text) * 1000, 2)),
            ("tamper", round((t_tamper - t_portrait) * 1000, 2)),
            ("checks", round((t3 - t_tamper) * 1000, 2)),
            ("total", round(ingest_ms + (t3 - t0) * 1000, 2)),
        )
        return replace(analysis, timings_ms=timings)

    def conclude(self, analysis: Analysis) -> Analysis:
        """``analysis`` with its findings, verdict and score: every check run on what was read,
        then the fusion. Pure, so ``docfraud calibrate`` can conclude again under other model
        thresholds without reading the page twice."""
        findings, skipped = run_checks(analysis, strict=self.config.strict)
        findings = analysis.faults + findings
        verdict, score = decide(findings, self.fusion)
        return replace(
            analysis,
            findings=explained(findings, self.fusion),
            skipped=skipped,
            verdict=verdict,
            fraud_score=score,
        )

    def _stage(self, stage: str, faults: list[Finding], run: Callable[[], T], failed: T) -> T:
        """``run()``, or ``failed`` where it raises: a bug in one reading stage costs the page
        what that stage gives (the checks that need it are then skipped), not the page, and
        ``INTERNAL.STAGE_FAILED`` says which part is missing. docfraud's own errors (a missing
        dependency) still propagate, and ``strict`` re-raises everything (tests)."""
        try:
            return run()
        except DocfraudError:
            raise
        except Exception as exc:
            if self.config.strict:
                raise
            # the stack without the exception's text, which may quote the document
            stack = "".join(traceback.format_tb(exc.__traceback__))
            log.error("stage %s failed: %s\n%s", stage, type(exc).__name__, stack)
            faults.append(
                Finding(
                    STAGE_FAILED,
                    Severity.WARNING,
                    f"Reading {_STAGE_PARTS[stage]} failed internally ({type(exc).__name__}); "
                    "the checks that need it did not run. Examine this part by eye.",
                    evidence=(("stage", stage), ("error", type(exc).__name__)),
                )
            )
            return failed

    def _portrait_checks(
        self, bgr: npt.NDArray[np.uint8], mrz: MrzReading | None, outline: DocumentQuad | None
    ) -> PortraitParts:
        """The portrait with its print, how likely it was substituted, and the ghost's verdict."""
        portrait = self._portrait(bgr, mrz, outline)
        substitution = (
            self.substitution(bgr, portrait[0].quad)
            if portrait is not None and self.substitution is not None
            else None
        )
        ghost = (
            self.ghosts(bgr, portrait[0], mrz.data.format.value)
            if portrait is not None and self.ghosts is not None and mrz and mrz.data
            else None
        )
        return portrait, substitution, ghost

    def _read_text(
        self,
        bgr: npt.NDArray[np.uint8],
        gray: npt.NDArray[np.uint8],
        outline: DocumentQuad | None,
        mrz: MrzReading | None,
    ) -> TextParts:
        """The visual zone of an identity document, or the letter (with the page's outline from
        its edges) when the page is one.

        A page with a plausible MRZ is an identity document. Otherwise it is a letter when it
        reads as one (a letter's text lines can pass for an MRZ's, but not for a plausible one),
        else an identity document whose visual zone is read with whatever MRZ there is (a
        forged MRZ is implausible too) or none (a card's front).
        """
        if not self.config.read_text:
            return None, None, outline
        data = mrz.data if mrz is not None else None
        if data is not None and plausible_mrz(data):
            return read_viz(bgr, outline, data), None, outline
        # a letter's page: its own edges only, never a block of text told from the background
        if mrz is None:
            page = outline if outline is not None and outline.source == "edges" else None
        else:
            page = locate_document(gray, None, None)
        letter = read_letter(bgr, page)
        if letter is not None:
            return None, letter, page
        return read_viz(bgr, outline, data), None, outline

    def _portrait(
        self, bgr: npt.NDArray[np.uint8], mrz: MrzReading | None, outline: DocumentQuad | None
    ) -> tuple[PortraitLocation, PortraitPrint] | None:
        """The portrait of an MRZ page and its print (for links across a seizure), else None."""
        if mrz is None or mrz.data is None or outline is None:
            return None
        found = find_portrait(
            bgr, outline.corners, mrz.data.format.value, predicted=outline.source == "mrz"
        )
        if found is None:
            return None
        try:
            digest = portrait_hash(bgr, found.quad)
        except ValueError:  # a sliver at the image's edge
            return None
        vector = self.portraits.embed(portrait_crop(bgr, found.quad)[None])[0]
        return found, PortraitPrint.of(digest, vector)

    def _versions(self) -> tuple[tuple[str, str], ...]:
        versions: tuple[tuple[str, str], ...] = (
            ("docfraud", __version__),
            ("mrz_recognizer", self.recognizer.version),
            ("portrait_net", self.portraits.version),
            ("fusion", self.fusion.version),
            ("thresholds", self.fusion.thresholds.source),
        )
        if self.substitution is not None:
            versions += (("portrait_substitution", self.substitution.version),)
        if self.ghosts is not None:
            versions += (("ghost_net", self.ghosts.version),)
        if self.tamper is not None:
            versions += (("tamper_net", self.tamper.version),)
        return versions


def unpaired_front(a: Analysis) -> bool:
    """``a`` is an identity document's side without an MRZ (a card's front) not yet read with
    the MRZ of its other side."""
    return a.letter is None and a.mrz is None and a.viz is not None and not a.viz.other_side


def plausible_mrz(data: MrzData) -> bool:
    """An MRZ a document could carry: a known document code and issuing State, dates that are
    dates. Lines of ordinary text read on the MRZ lattice fail this almost surely."""
    return (
        _known_code(data.document_code)
        and lookup_state(data.issuing_state) is not None
        and data.birth_date is not None
        and data.expiry_date is not None
    )


def document_mrz(gray: npt.NDArray[np.uint8], mrz: MrzReading | None) -> MrzReading | None:
    """The MRZ read on a page, unless no document could carry it (:func:`plausible_mrz`) and it
    lies wholly outside the identity document the page's edges outline: a woven or tiled
    background read on the MRZ lattice beside a card. Kept, that reading placed the card where
    the background is, so nothing printed on it was read, and its check digits became findings
    on a genuine card. An implausible MRZ on the document (a forged one) stays, to be reported.
    """
    if mrz is None or mrz.data is None or plausible_mrz(mrz.data):
        return mrz
    return None if outside_document(gray, mrz.candidate) else mrz


def not_an_mrz(data: MrzData) -> bool:
    """Not one field an MRZ holds reads as one: no known document code, issuing State or
    nationality, no date. A forged or damaged MRZ keeps most of them; text lines of a page
    that is no document docfraud knows (a letter it could not read as one) keep none.

    >>> from docfraud.mrz.parse import parse_mrz
    >>> not_an_mrz(parse_mrz(["<<<NPPW<HNHQHUMNMZUMHVWL<ZZZZZWNQ<<<",
    ...                       "CZEOZ<UK12JHUFUXUH101NMW6HMPRUAWR<Z<"]))
    True
    """
    return not (
        _known_code(data.document_code)
        or lookup_state(data.issuing_state) is not None
        or lookup_state(data.nationality) is not None
        or data.birth_date is not None
        or data.expiry_date is not None
    )


def _known_code(code: str) -> bool:
    """A Doc 9303 document code: P, I, A, C or V first (an empty code is none)."""
    return code[:1] != "" and code[0] in "PIACV"


def _unreadable(
    source: str,
    raw: str | Path | bytes,
    today: date,
    err: InputError,
    versions: tuple[tuple[str, str], ...],
) -> Analysis:
    finding = Finding(err.code, Severity.CRITICAL, err.message)
    return Analysis(
        source=source,
        page=0,
        sha256=_sha256_of(raw),
        media_type=None,
        image_size=None,
        scan_date=today,
        findings=(finding,),
        verdict=Verdict.UNREADABLE,
        versions=versions,
    )


def _sha256_of(raw: str | Path | bytes) -> str:
    """Hash of the input even when it could not be decoded ('' when it cannot be read at all)."""
    digest = hashlib.sha256()
    if isinstance(raw, bytes):
        digest.update(raw)
        return digest.hexdigest()
    try:
        with open(raw, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def analyze(path: str | Path, config: AnalysisConfig | None = None) -> tuple[Analysis, ...]:
    """Analyse every page of one file (convenience; reuse an :class:`Analyzer` for many)."""
    return Analyzer(config).analyze_path(path)
