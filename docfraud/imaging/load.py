"""Safe ingestion: untrusted bytes or a path → read-only BGR pages.

Input comes from seized documents and scanning stations, so it is treated as hostile. The
type is sniffed from magic bytes (never the extension), every limit in :class:`DecodeLimits`
is enforced before any pixel is decoded, and every failure is an
:class:`~docfraud.errors.InputError` with a stable code:

- ``INPUT.NOT_FOUND``: the path does not exist or is not a regular file.
- ``INPUT.EMPTY``: zero bytes.
- ``INPUT.TOO_LARGE``: over ``max_bytes`` (a path's size is checked before it is read).
- ``INPUT.UNSUPPORTED_TYPE``: not JPEG, PNG, TIFF, WebP, BMP or PDF, judged by content.
- ``INPUT.TRUNCATED``: the data ends before the image does (JPEG without EOI, PNG without IEND).
- ``INPUT.UNREADABLE``: corrupt data, an unsupported colour mode, or a password-protected PDF.
- ``INPUT.TOO_MANY_PIXELS``: a page's header declares more than ``max_pixels`` pixels.
- ``INPUT.TOO_MANY_PAGES``: more than ``max_pages`` TIFF frames or PDF pages.
- ``INPUT.DECODE_TIMEOUT``: a PDF page took longer than ``max_render_seconds`` to render.

Rasters are decoded by Pillow, PDFs rendered by pypdfium2 (Apache-2.0/BSD; PyMuPDF is AGPL).
Only the first frame of animated PNG/WebP and multi-picture JPEG is a page; every TIFF frame is.
ICC profiles are not applied. Raster decode time is bounded by ``max_pixels``; PDF rendering is
not (a 3 KB PDF can take seconds per page), so it is rendered progressively and abandoned after
``max_render_seconds``. Not covered: crashes inside the C decoders and time spent parsing a PDF
before rendering; run untrusted batches in a worker process to contain both.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import os
import stat
import struct
import threading
import time
from dataclasses import dataclass, fields
from typing import Final

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import ExifTags, Image

from docfraud.errors import (
    CONFIG_INVALID,
    INPUT_DECODE_TIMEOUT,
    INPUT_EMPTY,
    INPUT_NOT_FOUND,
    INPUT_TOO_LARGE,
    INPUT_TOO_MANY_PAGES,
    INPUT_TOO_MANY_PIXELS,
    INPUT_TRUNCATED,
    INPUT_UNREADABLE,
    INPUT_UNSUPPORTED_TYPE,
    ConfigError,
    InputError,
)

__all__ = [
    "DecodeLimits",
    "LoadedDocument",
    "Page",
    "load_bytes",
    "load_path",
    "sniff_media_type",
]

logger = logging.getLogger(__name__)

JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
TIFF: Final = "image/tiff"
WEBP: Final = "image/webp"
BMP: Final = "image/bmp"
PDF: Final = "application/pdf"

_LABELS: Final[dict[str, str]] = {
    JPEG: "JPEG",
    PNG: "PNG",
    TIFF: "TIFF",
    WEBP: "WebP",
    BMP: "BMP",
    PDF: "PDF",
}
_PIL_FORMATS: Final[dict[str, str]] = {
    JPEG: "JPEG",
    PNG: "PNG",
    TIFF: "TIFF",
    WEBP: "WEBP",
    BMP: "BMP",
}
_TIFF_MAGIC: Final = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
_BMP_DIB_SIZES: Final = frozenset({12, 16, 40, 52, 56, 64, 108, 124})
_PDF_HEADER_WINDOW: Final = 1024  # pdfium, like Acrobat, accepts %PDF- anywhere in the first KiB
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"

# What Pillow raises on hostile data (besides DecompressionBombError, handled first).
# ValueError covers UnicodeDecodeError; ArithmeticError covers overflow and division by zero.
_PIL_ERRORS: Final = (
    OSError,  # includes UnidentifiedImageError and "image file is truncated"
    SyntaxError,  # "broken PNG file", "not a TIFF file"
    ValueError,
    EOFError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
    ArithmeticError,
)
# pdfium is not thread-safe (pypdfium2 leaves locking to the caller); the service decodes in a
# thread pool, so every pdfium call below holds this lock.
_PDFIUM_LOCK: Final = threading.Lock()

BGR = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class DecodeLimits:
    """Limits applied to untrusted input before any heavy work.

    Attributes:
        max_bytes: Largest accepted input, in bytes.
        max_pixels: Largest page, in pixels (width x height), read from the image header before
            decoding. Pillow independently refuses images over ``2 * Image.MAX_IMAGE_PIXELS``
            (about 179 MP by default) as decompression bombs, which caps this limit in effect.
        max_pages: Most TIFF frames or PDF pages.
        pdf_dpi: Resolution at which PDF pages are rendered. A page that would exceed
            ``max_pixels`` at this resolution is rendered at the largest lower resolution that
            fits, so a PDF never fails with ``INPUT.TOO_MANY_PIXELS``.
        max_render_seconds: Longest time one PDF page may take to render (wall clock).

    Raises:
        ConfigError: ``CONFIG.INVALID`` if a limit is not positive (or, but for
            ``max_render_seconds``, not an integer).
    """

    max_bytes: int = 50 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_pages: int = 32
    pdf_dpi: int = 200
    max_render_seconds: float = 10.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "max_render_seconds":
                valid = isinstance(value, int | float) and math.isfinite(value) and value > 0
                kind = "a positive number of seconds"
            else:
                valid = isinstance(value, int) and value >= 1
                kind = "a positive integer"
            if isinstance(value, bool) or not valid:
                raise ConfigError(
                    CONFIG_INVALID, f"DecodeLimits.{f.name} must be {kind}, got {value!r}."
                )


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a document.

    Attributes:
        index: 0-based position in the document (TIFF frame or PDF page).
        bgr: (H, W, 3) uint8, C-contiguous and read-only; EXIF orientation already applied,
            alpha composited on white.
    """

    index: int
    bgr: BGR


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """A decoded input.

    Attributes:
        sha256: Hex digest of the input bytes; the name to log instead of any content.
        media_type: Sniffed from the content: ``image/jpeg``, ``image/png``, ``image/tiff``,
            ``image/webp``, ``image/bmp`` or ``application/pdf``.
        size_bytes: Length of the input in bytes.
        pages: At least one page, in document order.
    """

    sha256: str
    media_type: str
    size_bytes: int
    pages: tuple[Page, ...]


def sniff_media_type(data: bytes) -> str | None:
    """Detect a supported media type from magic bytes alone (never a file name).

    Args:
        data: The input, or at least its first 1024 bytes.

    Returns:
        The media type, or ``None`` if the content is not a supported type.

    >>> sniff_media_type(b"\\x89PNG\\r\\n\\x1a\\n" + bytes(8))
    'image/png'
    >>> sniff_media_type(b"\\xff\\xd8\\xff\\xe0")
    'image/jpeg'
    >>> sniff_media_type(b"II*\\x00\\x08\\x00\\x00\\x00")
    'image/tiff'
    >>> sniff_media_type(b"RIFF\\x24\\x00\\x00\\x00WEBPVP8 ")
    'image/webp'
    >>> sniff_media_type(b"BM" + bytes(12) + b"\\x28\\x00\\x00\\x00")
    'image/bmp'
    >>> sniff_media_type(b"%PDF-1.7\\n")
    'application/pdf'
    >>> sniff_media_type(b"<!DOCTYPE html><html>") is None
    True
    >>> sniff_media_type(b"PK\\x03\\x04") is None
    True
    """
    head = bytes(data[:_PDF_HEADER_WINDOW])
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_PNG_SIGNATURE):
        return PNG
    if head.startswith(_TIFF_MAGIC):
        return TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    # "BM" alone is too weak (plain text can start with it): require a known DIB header size.
    if head[:2] == b"BM" and len(head) >= 18:
        if struct.unpack_from("<I", head, 14)[0] in _BMP_DIB_SIZES:
            return BMP
    if b"%PDF-" in head:
        return PDF
    return None


def load_path(
    path: str | os.PathLike[str], limits: DecodeLimits = DecodeLimits()
) -> LoadedDocument:
    """Load a document from a file, checking its size before reading it.

    Args:
        path: File to read; its extension is ignored.
        limits: Decode limits.

    Returns:
        The decoded document.

    Raises:
        InputError: ``INPUT.NOT_FOUND`` if the path is missing or not a regular file, otherwise
            as :func:`load_bytes`.
    """
    return load_bytes(_read_bounded(path, limits.max_bytes), limits)


def load_bytes(data: bytes, limits: DecodeLimits = DecodeLimits()) -> LoadedDocument:
    """Decode untrusted bytes into read-only BGR pages.

    Args:
        data: The whole input file.
        limits: Decode limits, all checked before pixels are decoded.

    Returns:
        The decoded document.

    Raises:
        InputError: With one of the ``INPUT.*`` codes listed in the module docstring; never any
            other exception for any content of ``data``.
    """
    data = bytes(data)  # no copy for bytes; accepts bytearray and memoryview from servers
    size = len(data)
    if size == 0:
        raise InputError(INPUT_EMPTY, "The input is empty (0 bytes).")
    _check_size(size, limits.max_bytes)
    media_type = sniff_media_type(data)
    if media_type is None:
        raise InputError(
            INPUT_UNSUPPORTED_TYPE,
            "The content is not a supported type (JPEG, PNG, TIFF, WebP, BMP or PDF).",
        )
    digest = hashlib.sha256(data).hexdigest()
    try:
        if media_type == PDF:
            pages = _render_pdf(data, limits)
        else:
            pages = _decode_raster(data, media_type, limits)
    except InputError:
        raise
    except Exception as exc:  # outermost decode boundary: hostile bytes must not escape as bugs
        logger.debug("decoder failure sha256=%s", digest, exc_info=True)
        raise InputError(
            INPUT_UNREADABLE,
            f"The {_LABELS[media_type]} file could not be decoded ({type(exc).__name__}).",
        ) from exc
    logger.debug("loaded sha256=%s media_type=%s pages=%d", digest, media_type, len(pages))
    return LoadedDocument(sha256=digest, media_type=media_type, size_bytes=size, pages=pages)


# --- reading ----------------------------------------------------------------------------------


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(
            INPUT_TOO_LARGE,
            f"The input is {size:,} bytes, over the limit of {max_bytes:,} bytes (max_bytes).",
        )


def _read_bounded(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` from a regular file, refusing larger files before reading."""
    name = os.fspath(path)
    # O_NONBLOCK: opening a FIFO must not block waiting for a writer; it is refused below.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(name, flags)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise InputError(INPUT_NOT_FOUND, f"No file exists at {name!r}.") from exc
    except IsADirectoryError as exc:
        raise InputError(INPUT_NOT_FOUND, f"{name!r} is a directory, not a file.") from exc
    except OSError as exc:
        raise InputError(
            INPUT_UNREADABLE, f"{name!r} cannot be opened ({exc.strerror or exc})."
        ) from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(INPUT_NOT_FOUND, f"{name!r} is not a regular file.")
        _check_size(st.st_size, max_bytes)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(max_bytes + 1)  # the file may grow between fstat and read
    except OSError as exc:
        raise InputError(
            INPUT_UNREADABLE, f"{name!r} cannot be read ({exc.strerror or exc})."
        ) from exc
    finally:
        os.close(fd)
    _check_size(len(data), max_bytes)
    return data


# --- rasters (Pillow) -------------------------------------------------------------------------


def _decode_raster(data: bytes, media_type: str, limits: DecodeLimits) -> tuple[Page, ...]:
    label = _LABELS[media_type]
    _check_container(data, media_type)
    try:
        with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[media_type]]) as im:
            _check_pixels(im.size, 0, limits)
            count = _count_frames(im, limits) if media_type == TIFF else 1
            return tuple(_decode_frame(im, index) for index in range(count))
    except Image.DecompressionBombError as exc:
        raise InputError(
            INPUT_TOO_MANY_PIXELS,
            f"The {label} header declares a decompression bomb, over the limit of "
            f"{limits.max_pixels:,} pixels per page (max_pixels).",
        ) from exc
    except _PIL_ERRORS as exc:
        ends_early = media_type == TIFF and _tiff_ends_early(data, limits.max_pages + 1)
        raise _decode_error(exc, label, ends_early=ends_early) from exc


def _check_container(data: bytes, media_type: str) -> None:
    """Refuse containers whose own structure says the file is cut short.

    Pillow decodes a PNG that lacks IEND, and reports a cut WebP only as "could not create
    decoder object", so both are checked here from the chunk headers alone.
    """
    if media_type == PNG and not _png_has_iend(data):
        raise InputError(INPUT_TRUNCATED, "The PNG file is truncated: it has no IEND chunk.")
    if media_type == WEBP and len(data) >= 8:
        riff_size = struct.unpack_from("<I", data, 4)[0]
        if len(data) < 8 + riff_size:
            raise InputError(
                INPUT_TRUNCATED,
                f"The WebP file is truncated: it has {len(data):,} of {8 + riff_size:,} bytes.",
            )


def _png_has_iend(data: bytes) -> bool:
    """Walk the chunk headers (length, type, data, CRC) up to IEND without decompressing."""
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        if kind == b"IEND":
            return True
        pos += 12 + length
    return False


def _tiff_ends_early(data: bytes, max_ifds: int) -> bool:
    """True if the chain of TIFF directories (IFDs) points past the end of the data.

    Pillow reports such a file as, say, ``TypeError("Missing dimensions")``; this walk over the
    IFD headers (classic and BigTIFF, at most ``max_ifds``) tells a cut file from a corrupt one.
    """
    endian = "<" if data[:2] == b"II" else ">"
    if data[2:4] in (b"+\x00", b"\x00+"):  # BigTIFF: 8-byte offsets and counts
        header, count_fmt, entry_size, offset_fmt = 16, "Q", 20, "Q"
        offset_at = 8
    else:
        header, count_fmt, entry_size, offset_fmt = 8, "H", 12, "I"
        offset_at = 4
    if len(data) < header:
        return True
    count_size, offset_size = struct.calcsize(count_fmt), struct.calcsize(offset_fmt)
    offset = struct.unpack_from(endian + offset_fmt, data, offset_at)[0]
    seen: set[int] = set()
    for _ in range(max_ifds):
        if offset == 0 or offset in seen:
            return False
        seen.add(offset)
        if offset + count_size > len(data):
            return True
        entries = struct.unpack_from(endian + count_fmt, data, offset)[0]
        next_at = offset + count_size + entries * entry_size
        if next_at + offset_size > len(data):
            return True
        offset = struct.unpack_from(endian + offset_fmt, data, next_at)[0]
    return False


def _count_frames(im: Image.Image, limits: DecodeLimits) -> int:
    """Count TIFF frames by seeking through the IFDs (no pixel data), stopping past the limit.

    Every frame's size is checked as it is reached, so no frame is decoded before all pass.
    """
    count = 1
    while True:
        try:
            im.seek(count)
        except EOFError:
            break
        count += 1
        if count > limits.max_pages:
            raise InputError(
                INPUT_TOO_MANY_PAGES,
                f"The TIFF file has more than {limits.max_pages} frames, over the limit of "
                f"{limits.max_pages} pages (max_pages).",
            )
        _check_pixels(im.size, count - 1, limits)
    im.seek(0)
    return count


def _check_pixels(size: tuple[int, int], index: int, limits: DecodeLimits) -> None:
    width, height = size
    if width * height > limits.max_pixels:
        raise InputError(
            INPUT_TOO_MANY_PIXELS,
            f"Page {index} is {width}x{height} = {width * height:,} pixels, over the limit of "
            f"{limits.max_pixels:,} pixels per page (max_pixels).",
        )
    if width < 1 or height < 1:
        raise InputError(INPUT_UNREADABLE, f"Page {index} has no pixels ({width}x{height}).")


def _decode_frame(im: Image.Image, index: int) -> Page:
    """Decode the current frame (``im`` is already seeked and its size checked)."""
    if index:
        im.seek(index)
    im.load()
    # Read after load: Pillow already transposes single-frame TIFFs in load() and then drops
    # the tag, so reading it first would rotate them twice.
    orientation = _exif_orientation(im)
    rgb = _to_rgb(im)
    return Page(index=index, bgr=_finish(_orient(rgb[:, :, ::-1], orientation)))


def _exif_orientation(im: Image.Image) -> int:
    """EXIF (or XMP) orientation 1-8 as Pillow's ``exif_transpose`` reads it; 1 if absent or bad.

    A damaged EXIF block does not make the image unreadable, so it is ignored, not raised.
    """
    try:
        value = im.getexif().get(ExifTags.Base.Orientation, 1)
    except _PIL_ERRORS:
        logger.debug("ignoring unreadable EXIF block", exc_info=True)
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _to_rgb(im: Image.Image) -> npt.NDArray[np.uint8]:
    """Any Pillow mode → (H, W, 3) uint8 RGB.

    16-bit grey is scaled to 8 bits (``I`` is taken as 16-bit, clipped to 0..65535), float grey
    is clipped to 0..255, and alpha or a transparency key is composited on white.
    """
    mode = im.mode
    if mode.startswith("I;16") or mode in ("I", "F"):
        values = np.asarray(im)
        if mode == "F":
            gray = np.rint(np.clip(np.nan_to_num(values, nan=0.0), 0, 255)).astype(np.uint8)
        else:
            wide = np.clip(values.astype(np.int64), 0, 65535)
            gray = ((wide + 128) // 257).astype(np.uint8)
        return np.repeat(gray[:, :, np.newaxis], 3, axis=2)
    if im.has_transparency_data:
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        rgb = Image.alpha_composite(white, im.convert("RGBA")).convert("RGB")
    elif mode != "RGB":
        rgb = im.convert("RGB")
    else:
        rgb = im
    array = np.asarray(rgb, dtype=np.uint8)
    if array.ndim != 3 or array.shape[2] != 3:
        raise ValueError(f"unexpected array shape {array.shape} from mode {mode}")
    return array


def _orient(a: npt.NDArray[np.uint8], orientation: int) -> npt.NDArray[np.uint8]:
    """Apply an EXIF orientation to (H, W, C), as ``ImageOps.exif_transpose`` does (a view)."""
    match orientation:
        case 2:  # mirrored horizontally
            return a[:, ::-1]
        case 3:  # rotated 180
            return a[::-1, ::-1]
        case 4:  # mirrored vertically
            return a[::-1]
        case 5:  # transpose
            return a.transpose(1, 0, 2)
        case 6:  # stored rotated 90 counter-clockwise: rotate 90 clockwise
            return a.transpose(1, 0, 2)[:, ::-1]
        case 7:  # transverse
            return a.transpose(1, 0, 2)[::-1, ::-1]
        case 8:  # stored rotated 90 clockwise: rotate 90 counter-clockwise
            return a.transpose(1, 0, 2)[::-1]
        case _:
            return a


def _finish(view: npt.NDArray[np.uint8]) -> BGR:
    """Copy into a fresh C-contiguous array that owns its memory, then make it read-only."""
    bgr = np.array(view, dtype=np.uint8, order="C", copy=True)
    bgr.flags.writeable = False
    return bgr


def _decode_error(exc: BaseException, label: str, *, ends_early: bool = False) -> InputError:
    """Map a decoder exception to TRUNCATED (data ends early) or UNREADABLE (anything else)."""
    if ends_early or isinstance(exc, EOFError) or "truncated" in str(exc).lower():
        return InputError(
            INPUT_TRUNCATED,
            f"The {label} file is truncated: its data ends before the image is complete.",
        )
    return InputError(INPUT_UNREADABLE, f"The {label} file is corrupt and could not be decoded.")


# --- PDF (pypdfium2) --------------------------------------------------------------------------


def _render_pdf(data: bytes, limits: DecodeLimits) -> tuple[Page, ...]:
    with _PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise _pdf_open_error(exc, data) from exc
        try:
            count = len(pdf)
            if count < 1:
                raise InputError(INPUT_UNREADABLE, "The PDF file has no pages.")
            if count > limits.max_pages:
                raise InputError(
                    INPUT_TOO_MANY_PAGES,
                    f"The PDF file has {count} pages, over the limit of {limits.max_pages} "
                    "pages (max_pages).",
                )
            return tuple(_render_pdf_page(pdf, index, limits) for index in range(count))
        except (pdfium.PdfiumError, ValueError, ArithmeticError) as exc:
            raise InputError(
                INPUT_UNREADABLE, "A page of the PDF file could not be rendered."
            ) from exc
        finally:
            pdf.close()


def _pdf_open_error(exc: pdfium.PdfiumError, data: bytes) -> InputError:
    if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
        return InputError(
            INPUT_UNREADABLE,
            "The PDF file is encrypted with a password, so its pages cannot be rendered.",
        )
    if b"%%EOF" not in data[-_PDF_HEADER_WINDOW:]:
        return InputError(
            INPUT_TRUNCATED,
            "The PDF file is truncated: it has no %%EOF marker and cannot be opened.",
        )
    return InputError(INPUT_UNREADABLE, "The PDF file is corrupt and could not be opened.")


def _render_pdf_page(pdf: pdfium.PdfDocument, index: int, limits: DecodeLimits) -> Page:
    page = pdf[index]
    try:
        width_pt, height_pt = (float(v) for v in page.get_size())
        scale = _pdf_scale(width_pt, height_pt, limits)
        width, height = math.ceil(width_pt * scale), math.ceil(height_pt * scale)
        bitmap = pdfium.PdfBitmap.new_native(width, height, pdfium_c.FPDFBitmap_BGR)
        try:
            bitmap.fill_rect((255, 255, 255, 255), 0, 0, width, height)
            _render_within(page, bitmap, width, height, index, limits.max_render_seconds)
            array = bitmap.to_numpy()
            if array.shape != (height, width, 3) or array.dtype != np.uint8:
                raise ValueError(f"unexpected bitmap {array.shape} {array.dtype}")
            bgr = _finish(array)  # copies out of pdfium's buffer before it is freed
        finally:
            bitmap.close()
    finally:
        page.close()
    return Page(index=index, bgr=bgr)


def _render_within(
    page: pdfium.PdfPage,
    bitmap: pdfium.PdfBitmap,
    width: int,
    height: int,
    index: int,
    seconds: float,
) -> None:
    """Render progressively, asking pdfium to pause once ``seconds`` have passed, then give up.

    The same as ``PdfPage.render`` (annotations drawn, no forms) but interruptible: pdfium
    polls ``NeedToPauseNow`` between objects and image-decoding steps.
    """
    deadline = time.monotonic() + seconds

    def need_to_pause(_pause: object) -> int:
        return int(time.monotonic() > deadline)

    pause = pdfium_c.IFSDK_PAUSE(version=1)
    pause.NeedToPauseNow = type(pause.NeedToPauseNow)(need_to_pause)  # kept alive by `pause`
    try:
        status = pdfium_c.FPDF_RenderPageBitmap_Start(
            bitmap, page, 0, 0, width, height, 0, pdfium_c.FPDF_ANNOT, pause
        )
        while status == pdfium_c.FPDF_RENDER_TOBECONTINUED and time.monotonic() <= deadline:
            status = pdfium_c.FPDF_RenderPage_Continue(page, pause)
    finally:
        pdfium_c.FPDF_RenderPage_Close(page)
    if status == pdfium_c.FPDF_RENDER_TOBECONTINUED:
        raise InputError(
            INPUT_DECODE_TIMEOUT,
            f"Page {index} of the PDF file took longer than the limit of {seconds:g} seconds "
            "to render (max_render_seconds).",
        )
    if status != pdfium_c.FPDF_RENDER_DONE:
        raise InputError(INPUT_UNREADABLE, f"Page {index} of the PDF file could not be rendered.")


def _pdf_scale(width_pt: float, height_pt: float, limits: DecodeLimits) -> float:
    """Pixels per PDF point: ``pdf_dpi / 72``, lowered until the page fits ``max_pixels``.

    pypdfium2 sizes the bitmap as ``ceil(width_pt * scale) x ceil(height_pt * scale)``.
    """
    if not (math.isfinite(width_pt) and math.isfinite(height_pt)) or min(width_pt, height_pt) <= 0:
        raise InputError(INPUT_UNREADABLE, "A page of the PDF file has an invalid size.")

    def pixels(s: float) -> int:
        return math.ceil(width_pt * s) * math.ceil(height_pt * s)

    scale = limits.pdf_dpi / 72.0
    if pixels(scale) <= limits.max_pixels:
        return scale
    scale = math.sqrt(limits.max_pixels / (width_pt * height_pt))
    for _ in range(200):  # rounding up, or a sliver page, can need a few steps down
        if pixels(scale) <= limits.max_pixels:
            return scale
        scale *= 0.9
    raise InputError(
        INPUT_UNREADABLE,
        f"A page of the PDF file ({width_pt:g}x{height_pt:g} pt) cannot be rendered within "
        f"{limits.max_pixels:,} pixels (max_pixels).",
    )
