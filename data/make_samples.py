"""Render the bundled sample documents in data/samples/ (fictional people, ICAO state UTO).

    .venv/bin/python data/make_samples.py

Three documents, drawn at 200 dpi with the MRZ in OCR-B at ICAO pitch (2.54 mm): a TD3 passport
data page, the same page with its MRZ birth date altered without recomputing the check digit,
and a TD1 identity card back photographed at an angle. They let `make demo` run where
../shared is absent, and show one genuine and one forged verdict.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from docfraud.mrz.generate import generate_mrz
from docfraud.mrz.spec import MrzFormat
from docfraud.synth.mrzlines import find_font

OUT = Path(__file__).resolve().parent / "samples"
DPI = 200
MM = DPI / 25.4
PITCH_MM = 2.54


def _fonts() -> tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont, ImageFont.FreeTypeFont]:
    ocrb = find_font("OCRB.otf")
    sans = find_font("DejaVuSans.ttf")
    bold = find_font("DejaVuSans-Bold.ttf")
    if ocrb is None or sans is None or bold is None:
        raise SystemExit("fonts-ocr-b and fonts-dejavu are needed (make setup)")
    probe = ImageFont.truetype(str(ocrb), 100)
    size = round(100 * PITCH_MM * MM / probe.getlength("0"))
    return (
        ImageFont.truetype(str(ocrb), size),
        ImageFont.truetype(str(sans), 22),
        ImageFont.truetype(str(bold), 26),
    )


def _draw_mrz(
    draw: ImageDraw.ImageDraw,
    lines: tuple[str, ...],
    x: float,
    y: float,
    font: ImageFont.FreeTypeFont,
) -> None:
    pitch = PITCH_MM * MM
    for k, line in enumerate(lines):
        for i, ch in enumerate(line):
            draw.text((x + i * pitch, y + k * 4.2 * MM), ch, fill=(20, 20, 30), font=font)


def _background(w: int, h: int, tint: tuple[int, int, int]) -> Image.Image:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    wave = 8 * np.sin(xx / 9 + 4 * np.sin(yy / 37)) + 6 * np.sin(yy / 7 + 3 * np.sin(xx / 53))
    rgb = np.stack([np.clip(c + wave, 0, 255) for c in tint], axis=-1).astype(np.uint8)
    return Image.fromarray(rgb)


def passport(birth_in_mrz: str | None = None) -> Image.Image:
    """TD3 data page (125 x 88 mm); ``birth_in_mrz`` overwrites the MRZ birth date only."""
    mrz_font, sans, bold = _fonts()
    w, h = round(125 * MM), round(88 * MM)
    img = _background(w, h, (232, 236, 244))
    draw = ImageDraw.Draw(img)
    draw.text((30, 20), "UTOPIA  PASSPORT / PASSEPORT", fill=(40, 40, 120), font=bold)
    draw.rectangle((30, 70, 30 + 32 * MM, 70 + 40 * MM), fill=(190, 196, 210), outline=(90, 90, 90))
    draw.ellipse((30 + 8 * MM, 70 + 6 * MM, 30 + 24 * MM, 70 + 26 * MM), fill=(150, 120, 100))
    fields = [
        ("Surname / Nom", "DOE-PUBLIC"),
        ("Given names / Prénoms", "ALEX MARIE"),
        ("Nationality / Nationalité", "UTOPIAN"),
        ("Date of birth / Date de naissance", "14 MAR/MARS 1990"),
        ("Sex / Sexe", "F"),
        ("Date of expiry / Date d'expiration", "02 JUN/JUIN 2031"),
        ("Passport No. / No du passeport", "X4R7215K0"),
    ]
    x0, y = 30 + 38 * MM, 70
    for label, value in fields:
        draw.text((x0, y), label, fill=(90, 90, 110), font=sans)
        draw.text((x0, y + 22), value, fill=(10, 10, 10), font=bold)
        y += 56
    lines = generate_mrz(
        MrzFormat.TD3,
        document_code="P",
        issuing_state="UTO",
        surname="Doe-Public",
        given_names="Alex Marie",
        document_number="X4R7215K0",
        nationality="UTO",
        birth_date=date(1990, 3, 14),
        sex="F",
        expiry_date=date(2031, 6, 2),
        personal_number="ZE184226B",
    )
    if birth_in_mrz is not None:
        lines = (lines[0], lines[1][:13] + birth_in_mrz + lines[1][19:])
    _draw_mrz(draw, lines, 6 * MM, h - 17 * MM, mrz_font)
    return img


def id_card_back() -> np.ndarray:
    """TD1 card back (85.6 x 54 mm) photographed at an angle on a desk."""
    mrz_font, sans, _ = _fonts()
    w, h = round(85.6 * MM), round(54 * MM)
    img = _background(w, h, (240, 232, 222))
    draw = ImageDraw.Draw(img)
    draw.text((25, 20), "UTOPIA  IDENTITY CARD / CARTE D'IDENTITÉ", fill=(110, 40, 40), font=sans)
    lines = generate_mrz(
        MrzFormat.TD1,
        document_code="ID",
        issuing_state="UTO",
        surname="Smith",
        given_names="Jo",
        document_number="D23145890",
        nationality="UTO",
        birth_date=date(2011, 8, 12),
        sex="M",
        expiry_date=date(2029, 4, 15),
    )
    _draw_mrz(draw, lines, 4 * MM, h - 19 * MM, mrz_font)
    card = np.asarray(img)[:, :, ::-1]
    desk = np.full((h + 300, w + 300, 3), (70, 95, 120), np.uint8)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[150, 190], [w + 130, 120], [w + 170, h + 140], [170, h + 230]])
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(card, m, (desk.shape[1], desk.shape[0]))
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, (desk.shape[1], desk.shape[0]))
    desk[mask > 0] = warped[mask > 0]
    return desk


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    passport().save(OUT / "utopia_passport.png")
    passport(birth_in_mrz="920314").convert("RGB").save(
        OUT / "utopia_passport_altered_birth_date.jpg", quality=92
    )
    cv2.imwrite(
        str(OUT / "utopia_id_card_back_photo.jpg"), id_card_back(), [cv2.IMWRITE_JPEG_QUALITY, 90]
    )


if __name__ == "__main__":
    main()
