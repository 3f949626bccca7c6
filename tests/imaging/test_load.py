"""Tests for docfraud.imaging.load: formats, orientation, colour modes, limits, hostile bytes."""

from __future__ import annotations

import doctest
import io
import os
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile, ImageOps, TiffImagePlugin

import docfraud.imaging.load as load_module
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
from docfraud.imaging.load import (
    DecodeLimits,
    LoadedDocument,
    load_bytes,
    load_path,
    sniff_media_type,
)

# Pillow warns about damaged EXIF blocks in the hostile inputs below; that is expected.
pytestmark = pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")

SPECIMEN = Path(__file__).parents[2] / "../shared/data/specimens/pe_100_pass-uto.jpg"

RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)


# --- fixtures: tiny real files, built in memory -----------------------------------------------


def _marked(width: int = 32, height: int = 16) -> Image.Image:
    """White RGB image with a red block in the top-left corner, so orientation is visible."""
    rgb = np.full((height, width, 3), 255, np.uint8)
    rgb[: height // 2, : height // 2] = RED
    return Image.fromarray(rgb)


def _noise(width: int = 24, height: int = 16, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8))


def _encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def _tiff(frames: list[Image.Image], **params: object) -> bytes:
    return _encode(frames[0], "TIFF", save_all=True, append_images=frames[1:], **params)


def _pdf(colours: list[tuple[int, int, int]], size: tuple[int, int] = (40, 30)) -> bytes:
    """A PDF (Pillow's writer, 72 dpi: one point per pixel) with one flat page per colour."""
    pages = [Image.new("RGB", size, colour) for colour in colours]
    return _encode(pages[0], "PDF", save_all=True, append_images=pages[1:], resolution=72.0)


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def _png_header_only(width: int, height: int) -> bytes:
    """A ~60-byte PNG whose IHDR declares width x height RGB pixels (a pixel bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _raw_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A hand-written PDF with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer_extra))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    """A PDF under the Standard security handler whose user password is not empty."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 60 40] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"11" * 32, b"22" * 32),
    ]
    file_id = b"<%s>" % (b"33" * 16)
    return _raw_pdf(objects, b"/Encrypt 4 0 R /ID [%s %s] " % (file_id, file_id))


def _exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif


def _with_orientation(image: Image.Image, fmt: str, orientation: int) -> bytes:
    if fmt == "TIFF":
        return _encode(image, "TIFF", tiffinfo={0x0112: orientation})
    params: dict[str, object] = {"exif": _exif(orientation)}
    if fmt == "WEBP":
        params["lossless"] = True
    if fmt == "JPEG":
        params["quality"] = 95
    return _encode(image, fmt, **params)


JPEG_BYTES = _encode(_noise(), "JPEG", quality=90)
PNG_BYTES = _encode(_noise(), "PNG")
TIFF_BYTES = _tiff([_noise(24, 16, 1), _noise(10, 20, 2), _noise(7, 5, 3)])
WEBP_BYTES = _encode(_noise(), "WEBP", lossless=True)
BMP_BYTES = _encode(_noise(), "BMP")
PDF_BYTES = _pdf([RED, BLUE])

# Every format, plus variants that exercise more decoder paths, as seeds for the fuzz tests.
FUZZ_SEEDS: dict[str, bytes] = {
    "jpeg": JPEG_BYTES,
    "jpeg-exif6": _with_orientation(_marked(), "JPEG", 6),
    "jpeg-grey-progressive": _encode(_noise().convert("L"), "JPEG", progressive=True),
    "png": PNG_BYTES,
    "png-palette-alpha": _encode(_noise().convert("P"), "PNG", transparency=0),
    "png-16bit": _encode(
        Image.fromarray(np.arange(96, dtype=np.uint16).reshape(8, 12) * 600), "PNG"
    ),
    "tiff": TIFF_BYTES,
    "tiff-lzw": _encode(_noise(), "TIFF", compression="tiff_lzw"),
    "webp": WEBP_BYTES,
    "webp-lossy": _encode(_noise(), "WEBP", quality=50),
    "bmp": BMP_BYTES,
    "bmp-1bit": _encode(_noise().convert("1"), "BMP"),
    "pdf": PDF_BYTES,
}


def _error(data: bytes, limits: DecodeLimits | None = None) -> InputError:
    with pytest.raises(InputError) as info:
        load_bytes(data, limits or DecodeLimits())
    return info.value


def _check_document(doc: LoadedDocument) -> None:
    """Invariants every successful load must satisfy."""
    assert len(doc.sha256) == 64
    assert doc.pages
    for index, page in enumerate(doc.pages):
        assert page.index == index
        bgr = page.bgr
        assert bgr.dtype == np.uint8
        assert bgr.ndim == 3
        assert bgr.shape[2] == 3
        assert bgr.flags.c_contiguous
        assert not bgr.flags.writeable


def _bgr(rgb: tuple[int, int, int]) -> npt.NDArray[np.uint8]:
    return np.array(rgb[::-1], np.uint8)


# --- formats --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "media_type", "shapes"),
    [
        (JPEG_BYTES, "image/jpeg", [(16, 24, 3)]),
        (PNG_BYTES, "image/png", [(16, 24, 3)]),
        (TIFF_BYTES, "image/tiff", [(16, 24, 3), (20, 10, 3), (5, 7, 3)]),
        (WEBP_BYTES, "image/webp", [(16, 24, 3)]),
        (BMP_BYTES, "image/bmp", [(16, 24, 3)]),
        # 40x30 pt at 200 dpi: ceil(40 * 200 / 72) = 112, ceil(30 * 200 / 72) = 84.
        (PDF_BYTES, "application/pdf", [(84, 112, 3), (84, 112, 3)]),
    ],
    ids=["jpeg", "png", "tiff", "webp", "bmp", "pdf"],
)
def test_each_format_loads(data: bytes, media_type: str, shapes: list[tuple[int, ...]]) -> None:
    doc = load_bytes(data)
    _check_document(doc)
    assert doc.media_type == media_type
    assert doc.size_bytes == len(data)
    assert [page.bgr.shape for page in doc.pages] == shapes


@pytest.mark.parametrize("fmt", ["PNG", "TIFF", "WEBP", "BMP"])
def test_lossless_formats_give_exact_bgr(fmt: str) -> None:
    image = _noise(seed=7)
    params: dict[str, object] = {"lossless": True} if fmt == "WEBP" else {}
    doc = load_bytes(_encode(image, fmt, **params))
    np.testing.assert_array_equal(doc.pages[0].bgr, np.asarray(image)[:, :, ::-1])


def test_jpeg_matches_pillow_decode() -> None:
    expected = np.asarray(Image.open(io.BytesIO(JPEG_BYTES)).convert("RGB"))[:, :, ::-1]
    np.testing.assert_array_equal(load_bytes(JPEG_BYTES).pages[0].bgr, expected)


def test_multipage_tiff_pages_in_order() -> None:
    colours = [RED, BLUE, (0, 255, 0)]
    frames = [Image.new("RGB", (6 + i, 4), colour) for i, colour in enumerate(colours)]
    doc = load_bytes(_tiff(frames))
    assert [page.index for page in doc.pages] == [0, 1, 2]
    for page, colour, frame in zip(doc.pages, colours, frames, strict=True):
        assert page.bgr.shape == (frame.height, frame.width, 3)
        assert (page.bgr == _bgr(colour)).all()


def test_pdf_pages_render_their_content() -> None:
    doc = load_bytes(PDF_BYTES)
    for page, colour in zip(doc.pages, [RED, BLUE], strict=True):
        centre = page.bgr[40:44, 50:54].reshape(-1, 3).astype(int)
        assert np.abs(centre - _bgr(colour).astype(int)).max() <= 2


def test_pdf_dpi_is_lowered_to_fit_max_pixels() -> None:
    limits = DecodeLimits(max_pixels=2_000)
    doc = load_bytes(PDF_BYTES, limits)
    for page in doc.pages:
        height, width, _ = page.bgr.shape
        assert height * width <= 2_000
        assert abs(width / height - 40 / 30) < 0.1  # aspect kept
    assert load_bytes(PDF_BYTES, DecodeLimits(pdf_dpi=72)).pages[0].bgr.shape == (30, 40, 3)


def test_wrong_extension_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "scan.jpg"
    path.write_bytes(PNG_BYTES)
    doc = load_path(path)
    assert doc.media_type == "image/png"
    assert doc.size_bytes == len(PNG_BYTES)


def test_load_path_equals_load_bytes(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(PDF_BYTES)
    from_path, from_bytes = load_path(str(path)), load_bytes(PDF_BYTES)
    assert from_path.sha256 == from_bytes.sha256
    for a, b in zip(from_path.pages, from_bytes.pages, strict=True):
        np.testing.assert_array_equal(a.bgr, b.bgr)


def test_sha256_is_of_the_input_bytes() -> None:
    import hashlib

    assert load_bytes(PNG_BYTES).sha256 == hashlib.sha256(PNG_BYTES).hexdigest()


def test_bytearray_and_memoryview_accepted() -> None:
    assert load_bytes(bytearray(PNG_BYTES)).media_type == "image/png"  # type: ignore[arg-type]
    assert load_bytes(memoryview(PNG_BYTES)).media_type == "image/png"  # type: ignore[arg-type]


def test_pages_are_read_only_and_own_their_memory() -> None:
    for data in (JPEG_BYTES, TIFF_BYTES, PDF_BYTES):
        for page in load_bytes(data).pages:
            assert page.bgr.base is None
            assert page.bgr.flags.c_contiguous
            with pytest.raises(ValueError, match="read-only"):
                page.bgr[0, 0, 0] = 1


def test_sniff_media_type_doctests() -> None:
    result = doctest.testmod(load_module, raise_on_error=False, verbose=False)
    assert result.attempted >= 8
    assert result.failed == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (JPEG_BYTES, "image/jpeg"),
        (PNG_BYTES, "image/png"),
        (TIFF_BYTES, "image/tiff"),
        (WEBP_BYTES, "image/webp"),
        (BMP_BYTES, "image/bmp"),
        (PDF_BYTES, "application/pdf"),
        (b"junk before the header\n" + PDF_BYTES, "application/pdf"),
        (b"GIF89a" + bytes(20), None),
        (b"BMW service report: all fine\n", None),
        (b"", None),
    ],
)
def test_sniff_media_type(data: bytes, expected: str | None) -> None:
    assert sniff_media_type(data) == expected


# --- colour modes ---------------------------------------------------------------------------


def _palette_with_transparent_red() -> Image.Image:
    image = Image.new("P", (6, 4), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.putpixel((5, 3), 1)
    image.info["transparency"] = 0
    return image


@pytest.mark.parametrize(
    ("image", "fmt", "corner"),
    [
        (Image.new("L", (6, 4), 77), "PNG", (77, 77, 77)),
        (Image.new("1", (6, 4), 1), "PNG", WHITE),
        (Image.new("1", (6, 4), 0), "BMP", (0, 0, 0)),
        (Image.new("P", (6, 4), 0), "BMP", (0, 0, 0)),
        (Image.fromarray(np.full((4, 6), 257 * 100, np.uint16)), "PNG", (100, 100, 100)),
        (Image.fromarray(np.full((4, 6), 65535, np.uint16)), "TIFF", WHITE),
        (Image.fromarray(np.full((4, 6), 12.6, np.float32)), "TIFF", (13, 13, 13)),
        (Image.new("RGBA", (6, 4), (0, 0, 0, 0)), "PNG", WHITE),
        (Image.new("RGBA", (6, 4), (0, 0, 0, 255)), "WEBP", (0, 0, 0)),
        (Image.new("LA", (6, 4), (0, 0)), "PNG", WHITE),
        (_palette_with_transparent_red(), "PNG", WHITE),
        (Image.new("CMYK", (6, 4), (0, 0, 0, 0)), "JPEG", WHITE),
        (Image.new("CMYK", (6, 4), (0, 0, 0, 0)), "TIFF", WHITE),
    ],
    ids=[
        "grey",
        "bilevel-png",
        "bilevel-bmp",
        "palette-bmp",
        "grey16-png",
        "grey16-tiff",
        "float-tiff",
        "rgba-transparent",
        "rgba-opaque-webp",
        "la-transparent",
        "palette-transparent",
        "cmyk-jpeg",
        "cmyk-tiff",
    ],
)
def test_colour_modes_become_bgr(
    image: Image.Image, fmt: str, corner: tuple[int, int, int]
) -> None:
    params: dict[str, object] = {"lossless": True} if fmt == "WEBP" else {}
    page = load_bytes(_encode(image, fmt, **params)).pages[0]
    assert page.bgr.shape == (4, 6, 3)
    assert page.bgr.dtype == np.uint8
    assert np.abs(page.bgr[0, 0].astype(int) - _bgr(corner).astype(int)).max() <= 2


def test_partial_alpha_is_composited_on_white() -> None:
    page = load_bytes(_encode(Image.new("RGBA", (2, 2), (0, 0, 0, 128)), "PNG")).pages[0]
    assert (np.abs(page.bgr.astype(int) - 127) <= 1).all()
    red = load_bytes(_encode(_palette_with_transparent_red(), "PNG")).pages[0]
    assert (red.bgr[3, 5] == _bgr(BLUE)).all()


# --- EXIF orientation -----------------------------------------------------------------------


def _red_corner(bgr: npt.NDArray[np.uint8]) -> str:
    """Which corner of the image holds the red block."""
    height, width, _ = bgr.shape
    corners = {
        "top-left": bgr[:4, :4],
        "top-right": bgr[:4, width - 4 :],
        "bottom-left": bgr[height - 4 :, :4],
        "bottom-right": bgr[height - 4 :, width - 4 :],
    }
    reddish = [
        name for name, patch in corners.items() if patch[..., 2].mean() > 200 > patch[..., 1].mean()
    ]
    assert len(reddish) == 1, reddish
    return reddish[0]


@pytest.mark.parametrize(
    ("orientation", "shape", "corner"),
    [
        (1, (16, 32, 3), "top-left"),
        (3, (16, 32, 3), "bottom-right"),  # rotate 180
        (6, (32, 16, 3), "top-right"),  # rotate 90 clockwise
        (8, (32, 16, 3), "bottom-left"),  # rotate 90 counter-clockwise
    ],
)
def test_exif_orientation_rotates_jpeg_pixels(
    orientation: int, shape: tuple[int, int, int], corner: str
) -> None:
    page = load_bytes(_with_orientation(_marked(), "JPEG", orientation)).pages[0]
    assert page.bgr.shape == shape
    assert _red_corner(page.bgr) == corner
    assert not page.bgr.flags.writeable


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "TIFF", "PNG"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_matches_pillow_exif_transpose(fmt: str, orientation: int) -> None:
    data = _with_orientation(_marked(), fmt, orientation)
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif().get(0x0112) == orientation
        expected = np.asarray(ImageOps.exif_transpose(image).convert("RGB"))[:, :, ::-1]
    np.testing.assert_array_equal(load_bytes(data).pages[0].bgr, expected)


def test_bmp_ignores_orientation_free_content() -> None:
    page = load_bytes(_encode(_marked(), "BMP")).pages[0]
    assert _red_corner(page.bgr) == "top-left"


# --- bad inputs -----------------------------------------------------------------------------


def test_empty_bytes_and_empty_file(tmp_path: Path) -> None:
    assert _error(b"").code == INPUT_EMPTY
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(InputError) as info:
        load_path(path)
    assert info.value.code == INPUT_EMPTY


@pytest.mark.parametrize(
    "data",
    [
        JPEG_BYTES[:-2],  # no EOI marker
        JPEG_BYTES[: len(JPEG_BYTES) // 2],
        PNG_BYTES[:-12],  # no IEND chunk: Pillow alone would decode this
        PNG_BYTES[: len(PNG_BYTES) // 2],
        TIFF_BYTES[: len(TIFF_BYTES) // 3],
        WEBP_BYTES[: len(WEBP_BYTES) // 2],
        BMP_BYTES[: len(BMP_BYTES) // 2],
        PDF_BYTES[: len(PDF_BYTES) // 2],
    ],
    ids=["jpeg-no-eoi", "jpeg-half", "png-no-iend", "png-half", "tiff", "webp", "bmp", "pdf"],
)
def test_truncated(data: bytes) -> None:
    error = _error(data)
    assert error.code == INPUT_TRUNCATED
    assert "truncated" in error.message


def _flip_png_idat(data: bytes) -> bytes:
    start = data.index(b"IDAT") + 10
    return data[:start] + bytes(b ^ 0x55 for b in data[start : start + 8]) + data[start + 8 :]


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff" + bytes(range(256)) * 4,
        _flip_png_idat(PNG_BYTES),
        # One IFD, in range, holding two entries of unknown tag and type: no dimensions.
        b"II*\x00\x08\x00\x00\x00\x02\x00" + b"\xfe\xff\x63\x00" + bytes(20) + bytes(4),
        b"RIFF\x20\x00\x00\x00WEBPVP8 " + bytes(range(24)),
        b"BM" + bytes(12) + b"\x28\x00\x00\x00" + b"\xff" * 60,
        b"%PDF-1.7\n" + b"not really a pdf " * 20 + b"\n%%EOF\n",
    ],
    ids=["jpeg", "png-crc", "tiff", "webp", "bmp", "pdf"],
)
def test_corrupt_bytes_with_valid_magic(data: bytes) -> None:
    error = _error(data)
    assert error.code == INPUT_UNREADABLE
    assert error.message.endswith(".")
    assert isinstance(error.__cause__, Exception)


@pytest.mark.parametrize(
    "data",
    [
        "Passport scan notes: ÄÖÜ, see attachment.\n".encode(),
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(40),  # ZIP (also DOCX, ODT)
        b"<!DOCTYPE html><html><body><img src=x></body></html>",
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes(20),
        b"\x00\x00\x00\x0cjP  \r\n\x87\n",  # JPEG 2000: not supported
    ],
    ids=["text", "zip", "html", "gif", "jp2"],
)
def test_unsupported_types(data: bytes) -> None:
    error = _error(data)
    assert error.code == INPUT_UNSUPPORTED_TYPE
    assert "JPEG, PNG, TIFF, WebP, BMP or PDF" in error.message


@pytest.fixture
def no_pixel_decoding(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record any attempt to decode pixel data (the load path would turn it into an error)."""
    calls: list[str] = []

    def forbidden(self: ImageFile.ImageFile) -> None:
        calls.append(type(self).__name__)
        raise AssertionError("pixel data decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", forbidden)
    return calls


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (100_000, 100_000),  # 10 GP: Pillow's DecompressionBombError
        (8_000, 8_000),  # 64 MP: under Pillow's bomb limit, over ours (50 MP)
    ],
)
def test_pixel_bomb_rejected_from_header(
    no_pixel_decoding: list[str], width: int, height: int
) -> None:
    data = _png_header_only(width, height)
    assert len(data) < 100
    error = _error(data)
    assert error.code == INPUT_TOO_MANY_PIXELS
    assert "50,000,000 pixels" in error.message
    assert no_pixel_decoding == []


def test_pixel_limit_from_decode_limits(no_pixel_decoding: list[str]) -> None:
    error = _error(JPEG_BYTES, DecodeLimits(max_pixels=100))
    assert error.code == INPUT_TOO_MANY_PIXELS
    assert error.message == (
        "Page 0 is 24x16 = 384 pixels, over the limit of 100 pixels per page (max_pixels)."
    )
    assert no_pixel_decoding == []


def test_pixel_limit_applies_to_every_tiff_frame_before_any_decoding(
    no_pixel_decoding: list[str],
) -> None:
    data = _tiff([_noise(4, 4), _noise(4, 4), _noise(40, 40)])
    error = _error(data, DecodeLimits(max_pixels=1_000))
    assert error.code == INPUT_TOO_MANY_PIXELS
    assert error.message.startswith("Page 2 is 40x40")
    assert no_pixel_decoding == []


def test_tiff_too_many_pages_counted_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _tiff([_noise(4, 4, seed) for seed in range(12)])
    seeks: list[int] = []
    real_seek = TiffImagePlugin.TiffImageFile.seek

    def spy(self: TiffImagePlugin.TiffImageFile, frame: int) -> None:
        seeks.append(frame)
        real_seek(self, frame)

    monkeypatch.setattr(TiffImagePlugin.TiffImageFile, "seek", spy)
    error = _error(data, DecodeLimits(max_pages=3))
    assert error.code == INPUT_TOO_MANY_PAGES
    assert "limit of 3 pages" in error.message
    assert max(seeks) == 3  # frames 0..3 reached (limit + 1), never the other eight


def test_tiff_at_the_page_limit_loads() -> None:
    assert len(load_bytes(TIFF_BYTES, DecodeLimits(max_pages=3)).pages) == 3


def test_pdf_too_many_pages() -> None:
    error = _error(PDF_BYTES, DecodeLimits(max_pages=1))
    assert error.code == INPUT_TOO_MANY_PAGES
    assert error.message == "The PDF file has 2 pages, over the limit of 1 pages (max_pages)."


def test_encrypted_pdf_is_unreadable() -> None:
    error = _error(_encrypted_pdf())
    assert error.code == INPUT_UNREADABLE
    assert "password" in error.message
    assert isinstance(error.__cause__, pdfium.PdfiumError)


def test_pdf_without_pages_is_unreadable() -> None:
    empty = _raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )
    assert _error(empty).code == INPUT_UNREADABLE


def _busy_pdf(rectangles: int) -> bytes:
    """One page whose content stream fills many tiny rectangles: slow to render, tiny to store."""
    ops = b"".join(b"%d %d 1 1 re f\n" % (i % 60, i // 60 % 40) for i in range(rectangles))
    stream = zlib.compress(ops)
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 60 40] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        ]
    )


def test_pdf_render_time_is_limited() -> None:
    data = _busy_pdf(20_000)
    page = load_bytes(data).pages[0]
    assert (page.bgr < 128).all()  # every pixel covered by a black rectangle
    error = _error(data, DecodeLimits(max_render_seconds=1e-6))
    assert error.code == INPUT_DECODE_TIMEOUT
    assert "max_render_seconds" in error.message


def test_oversize_bytes() -> None:
    error = _error(PNG_BYTES, DecodeLimits(max_bytes=100))
    assert error.code == INPUT_TOO_LARGE
    assert error.message == (
        f"The input is {len(PNG_BYTES):,} bytes, over the limit of 100 bytes (max_bytes)."
    )


def test_oversize_path_checked_from_file_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.tif"
    with path.open("wb") as f:
        f.write(TIFF_BYTES)
        f.truncate(8 * 1024**3)  # sparse: 8 GiB that would take seconds to read
    with pytest.raises(InputError) as info:
        load_path(path)
    assert info.value.code == INPUT_TOO_LARGE
    assert "8,589,934,592 bytes" in info.value.message


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_path(tmp_path / "nope.jpg")
    assert info.value.code == INPUT_NOT_FOUND
    assert "nope.jpg" in info.value.message


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_path(tmp_path)
    assert info.value.code == INPUT_NOT_FOUND


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX-only")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as info:
        load_path(fifo)  # would block forever on open() without O_NONBLOCK
    assert info.value.code == INPUT_NOT_FOUND


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_bytes": 0},
        {"max_pixels": -1},
        {"max_pages": 0},
        {"pdf_dpi": 0},
        {"max_pages": True},
        {"max_pages": 2.5},
        {"max_render_seconds": 0},
        {"max_render_seconds": float("nan")},
        {"max_render_seconds": True},
    ],
)
def test_invalid_limits(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigError) as info:
        DecodeLimits(**kwargs)
    assert info.value.code == CONFIG_INVALID


def test_error_codes_map_outward() -> None:
    error = _error(b"")
    assert (error.http_status, error.exit_code) == (422, 2)


def test_loaded_types_are_frozen() -> None:
    doc = load_bytes(PNG_BYTES)
    with pytest.raises(AttributeError):
        doc.media_type = "image/gif"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        doc.pages[0].index = 3  # type: ignore[misc]


def test_module_imports_no_heavy_dependencies() -> None:
    code = (
        "import sys, docfraud.imaging.load; "
        "bad = {'torch', 'sklearn', 'pytesseract'} & set(sys.modules); "
        "sys.exit(1 if bad else 0)"
    )
    import subprocess

    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- real specimen --------------------------------------------------------------------------


@pytest.mark.specimens
@pytest.mark.skipif(not SPECIMEN.is_file(), reason=f"shared specimen not found at {SPECIMEN}")
def test_real_specimen_loads() -> None:
    doc = load_path(SPECIMEN)
    _check_document(doc)
    assert doc.media_type == "image/jpeg"
    assert len(doc.pages) == 1
    height, width, _ = doc.pages[0].bgr.shape
    assert min(height, width) >= 200
    assert doc.pages[0].bgr.std() > 10  # a real picture, not a blank page


# --- hostile bytes: mutate and truncate valid files of every type ---------------------------

FUZZ_LIMITS = DecodeLimits(max_pixels=2_000_000, max_pages=8, pdf_dpi=72, max_render_seconds=2)


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from(sorted(FUZZ_SEEDS)))
    data = bytearray(FUZZ_SEEDS[name])
    for _ in range(draw(st.integers(1, 4))):
        size = len(data)
        if size == 0:
            break
        # Half the edits land in the first 64 bytes, where headers and sizes live.
        pos = draw(st.integers(0, min(63, size - 1)) | st.integers(0, size - 1))
        op = draw(st.sampled_from(["truncate", "flip", "overwrite", "insert", "delete", "bigint"]))
        if op == "truncate":
            del data[pos:]
        elif op == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[pos : pos + len(chunk)] = chunk
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 16))]
        else:  # a length or dimension field set to an extreme
            data[pos : pos + 4] = draw(
                st.sampled_from([b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff", b"\x00\x00\x00\x00"])
            )
    return bytes(data)


def _only_input_errors(data: bytes) -> None:
    try:
        doc = load_bytes(data, FUZZ_LIMITS)
    except InputError as error:
        assert error.code.startswith("INPUT.")
        assert error.message
        return
    _check_document(doc)
    assert len(doc.pages) <= FUZZ_LIMITS.max_pages
    assert all(
        page.bgr.shape[0] * page.bgr.shape[1] <= FUZZ_LIMITS.max_pixels for page in doc.pages
    )


_FUZZ_SETTINGS: dict[str, object] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


@pytest.mark.filterwarnings("ignore")
@settings(max_examples=150, **_FUZZ_SETTINGS)  # type: ignore[arg-type]
@given(data=_mutated())
def test_fuzz_hostile_bytes_raise_only_input_error(data: bytes) -> None:
    _only_input_errors(data)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore")
@settings(max_examples=5_000, **_FUZZ_SETTINGS)  # type: ignore[arg-type]
@given(data=_mutated())
def test_fuzz_hostile_bytes_long(data: bytes) -> None:
    _only_input_errors(data)


@pytest.mark.filterwarnings("ignore")
@settings(max_examples=100, deadline=None)
@given(
    data=st.binary(max_size=2048),
    prefix=st.sampled_from([b"", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"%PDF-1.4\n"]),
)
def test_fuzz_random_bytes_behind_magic(data: bytes, prefix: bytes) -> None:
    _only_input_errors(prefix + data)


def test_every_fuzz_seed_loads() -> None:
    """The seeds must be valid, or the fuzz tests would only exercise error paths."""
    for name, data in FUZZ_SEEDS.items():
        doc = load_bytes(data, FUZZ_LIMITS)
        _check_document(doc)
        assert doc.media_type.split("/")[1] == name.split("-")[0], name
