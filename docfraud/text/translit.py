"""Printed names to MRZ characters, per ICAO Doc 9303 Part 3.

Tables are Part 3, section 6: A (multinational Latin-based characters), B (Cyrillic) and C (Arabic,
plus veh and feh-with-3-dots-below from the reverse table, Appendix B.6.1). Punctuation follows
Part 3, 4.6: apostrophes and other punctuation are omitted, hyphens and spaces become one filler
``<``, a comma between surname and given names becomes ``<<`` (the first comma only; later commas
become ``<``), digits are dropped.

Where the spec gives a choice (``Ä``: "AE or A", Cyrillic language exceptions such as Ukrainian
``Г`` = H) :func:`to_mrz` writes the first, recommended spelling and :func:`mrz_variants` lists
them all. A Latin letter outside table A (Romanian ``Ș``) loses its diacritic, as table A does for
its own letters; characters from other scripts are dropped.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

MAX_VARIANTS = 64
"""Above this many combinations, :func:`mrz_variants` keeps only consistent spellings."""


def _same(letters: str, target: str) -> dict[str, tuple[str, ...]]:
    return dict.fromkeys(letters, (target,))


LATIN: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        **_same("ÀÁÂÃĀĂĄ", "A"),
        **_same("ÇĆĈĊČ", "C"),
        **_same("ÐĎĐ", "D"),
        **_same("ÈÉÊËĒĔĖĘĚ", "E"),
        **_same("ĜĞĠĢ", "G"),
        **_same("ĤĦ", "H"),
        **_same("ÌÍÎÏĨĪĬĮİı", "I"),
        **_same("Ĵ", "J"),
        **_same("Ķ", "K"),
        **_same("ĹĻĽĿŁ", "L"),
        **_same("ŃŅŇŊ", "N"),
        **_same("ÒÓÔÕŌŎŐ", "O"),
        **_same("ŔŖŘ", "R"),
        **_same("ŚŜŞŠ", "S"),
        **_same("ŢŤŦ", "T"),
        **_same("ÙÚÛŨŪŬŮŰŲ", "U"),
        **_same("Ŵ", "W"),
        **_same("ÝŶŸ", "Y"),
        **_same("ŹŻŽ", "Z"),
        "Ä": ("AE", "A"),
        "Å": ("AA", "A"),
        "Æ": ("AE",),
        "Ñ": ("N", "NXX"),
        "Ö": ("OE", "O"),
        "Ø": ("OE",),
        "Ü": ("UE", "UXX", "U"),
        "Þ": ("TH",),
        "Ĳ": ("IJ",),
        "Œ": ("OE",),
        "ẞ": ("SS",),
    }
)
"""Part 3, 6.A: upper-case Latin character -> MRZ spellings, recommended first."""

PRACTICE: Mapping[str, tuple[str, ...]] = MappingProxyType({"Ø": ("O",)})
"""Spellings States use that table A does not list, added to :func:`mrz_variants` only (Ø as a
plain O, as for the other letters whose diacritic is simply omitted)."""

CYRILLIC: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "Ё": ("E", "IO"),  # IO in Belarusian
        "Ђ": ("D",),
        "Є": ("IE",),
        "Ѕ": ("DZ",),
        "І": ("I",),
        "Ї": ("I",),
        "Ј": ("J",),
        "Љ": ("LJ",),
        "Њ": ("NJ",),
        "Ќ": ("K", "KJ"),  # KJ in Macedonian
        "Ў": ("U",),
        "Џ": ("DZ", "DJ"),  # DJ in Macedonian
        "А": ("A",),
        "Б": ("B",),
        "В": ("V",),
        "Г": ("G", "H"),  # H in Belarusian, Serbian and Ukrainian
        "Д": ("D",),
        "Е": ("E",),
        "Ж": ("ZH", "Z"),  # Z in Serbian
        "З": ("Z",),
        "И": ("I", "Y"),  # Y in Ukrainian
        "Й": ("I",),
        "К": ("K",),
        "Л": ("L",),
        "М": ("M",),
        "Н": ("N",),
        "О": ("O",),
        "П": ("P",),
        "Р": ("R",),
        "С": ("S",),
        "Т": ("T",),
        "У": ("U",),
        "Ф": ("F",),
        "Х": ("KH", "H"),  # H in Serbian and Macedonian
        "Ц": ("TS", "C"),  # C in Serbian and Macedonian
        "Ч": ("CH", "C"),  # C in Serbian
        "Ш": ("SH", "S"),  # S in Serbian
        "Щ": ("SHCH", "SHT"),  # SHT in Bulgarian
        "Ъ": ("IE",),
        "Ы": ("Y",),
        "Э": ("E",),
        "Ю": ("IU",),
        "Я": ("IA",),
        "Ѫ": ("U",),
        "Ѵ": ("Y",),
        "Ґ": ("G",),
        "Ғ": ("G", "GJ"),  # GJ in Macedonian
        "Һ": ("C",),
    }
)
"""Part 3, 6.B: upper-case Cyrillic letter -> MRZ spellings, recommended first (then the spec's
language exceptions). The soft sign Ь is not in the table and is dropped."""

CYRILLIC_INITIAL: Mapping[str, str] = MappingProxyType(
    {"Є": "YE", "Ї": "YI", "Й": "Y", "Ю": "YU", "Я": "YA"}
)
"""Part 3, 6.B: the Ukrainian spelling when the letter starts a name component (a variant)."""

ARABIC: Mapping[str, str] = MappingProxyType(
    {
        "\u0621": "XE", "\u0622": "XAA", "\u0623": "XAE", "\u0624": "U", "\u0625": "I",
        "\u0626": "XI", "\u0627": "A", "\u0628": "B", "\u062a": "T", "\u062b": "XTH",
        "\u062c": "J", "\u062d": "XH", "\u062e": "XKH", "\u062f": "D", "\u0630": "XDH",
        "\u0631": "R", "\u0632": "Z", "\u0633": "S", "\u0634": "XSH", "\u0635": "XSS",
        "\u0636": "XDZ", "\u0637": "XTT", "\u0638": "XZZ", "\u0639": "E", "\u063a": "G",
        "\u0641": "F", "\u0642": "Q", "\u0643": "K", "\u0644": "L", "\u0645": "M",
        "\u0646": "N", "\u0647": "H", "\u0648": "W", "\u0649": "XAY", "\u064a": "Y",
        "\u0671": "XXA", "\u0679": "XXT", "\u067c": "XRT", "\u067e": "P", "\u0681": "XKE",
        "\u0685": "XXH", "\u0686": "XC", "\u0688": "XXD", "\u0689": "XDR", "\u0691": "XXR",
        "\u0693": "XRR", "\u0696": "XRX", "\u0698": "XJ", "\u069a": "XXS", "\u06a4": "V",
        "\u06a5": "XF", "\u06a9": "XKK", "\u06ab": "XXK", "\u06ad": "XNG", "\u06af": "XGG",
        "\u06ba": "XNN", "\u06bc": "XXN", "\u06be": "XDO", "\u06c0": "XYH", "\u06c1": "XXG",
        "\u06c2": "XGE", "\u06c3": "XTG", "\u06cc": "XYA", "\u06cd": "XXY", "\u06d0": "Y",
        "\u06d2": "XYB", "\u06d3": "XBE",
    }
)  # fmt: skip
"""Part 3, 6.C: Arabic letter -> MRZ spelling (X is the escape character)."""

ARABIC_NOT_ENCODED = frozenset("\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0652\u0670")
"""Tatweel and short-vowel marks: "(Not encoded)" in Part 3, 6.C."""

TEH_MARBUTA, SHADDA = "\u0629", "\u0651"
"""Teh marbuta is XTA, or XAH at the end of a name component; shadda doubles the letter before."""

_APOSTROPHES = frozenset("'’‘ʼ`´")
_FILLER_BREAKS = frozenset(" \t\n-‐‑–—/")

Segment = tuple[str, ...]
"""The MRZ spellings of one printed character (recommended first), or a filler run."""


def _arabic_letter(text: str, i: int) -> bool:
    return i < len(text) and (text[i] in ARABIC or text[i] == TEH_MARBUTA)


def _latin(ch: str) -> Segment | None:
    if "A" <= ch <= "Z":
        return (ch,)
    if ch in LATIN:
        return LATIN[ch] + PRACTICE.get(ch, ())
    base = unicodedata.normalize("NFKD", ch)[0]
    return (base,) if "A" <= base <= "Z" else None


def _segments(name: str) -> list[Segment]:
    """Split ``name`` into per-character MRZ alternatives and fillers (``("<",)`` / ``("<<",)``)."""
    text = unicodedata.normalize("NFC", name)
    out: list[Segment] = []
    filler = 0  # pending filler strength: 0 none, 1 "<", 2 "<<"
    comma_seen = False
    for i, raw in enumerate(text):
        if raw in _APOSTROPHES:
            continue
        if raw == "<":
            run_start = i == 0 or text[i - 1] != "<"
            filler = max(filler, 1) if run_start else 2
            continue
        if raw in _FILLER_BREAKS or raw.isspace():
            filler = max(filler, 1)
            continue
        if raw in ",،":
            filler = max(filler, 1 if comma_seen else 2)
            comma_seen = True
            continue
        pieces = _piece(text, i)
        if pieces is None:
            continue
        if filler and out:
            out.append(("<" * filler,))
        filler = 0
        out.extend(pieces)
    return out


def _piece(text: str, i: int) -> list[Segment] | None:
    """The segments for ``text[i]``, or None when it is not written in the MRZ."""
    raw = text[i]
    initial = i == 0 or not text[i - 1].isalpha()
    if raw in ARABIC_NOT_ENCODED:
        return None
    if raw == TEH_MARBUTA:
        j = i + 1
        while j < len(text) and text[j] in ARABIC_NOT_ENCODED | {SHADDA}:
            j += 1
        return [("XAH",) if not _arabic_letter(text, j) else ("XTA",)]
    if raw == SHADDA:
        k = i - 1
        while k >= 0 and text[k] in ARABIC_NOT_ENCODED:
            k -= 1
        return _piece(text, k) if k >= 0 and text[k] != SHADDA else None
    if raw in ARABIC:
        return [(ARABIC[raw],)]
    upper = raw.upper()
    segments: list[Segment] = []
    for ch in upper:
        if ch in CYRILLIC:
            spellings = CYRILLIC[ch]
            if initial and ch in CYRILLIC_INITIAL:
                spellings = (*spellings, CYRILLIC_INITIAL[ch])
            segments.append(spellings)
            continue
        latin = _latin(ch)
        if latin is not None:
            segments.append(latin)
    return segments or None


def to_mrz(name: str) -> str:
    """The recommended MRZ spelling of a printed name (A-Z and ``<``).

    >>> to_mrz("Müller-Lüdenscheidt"), to_mrz("D’Artagnan"), to_mrz("ERIKSSON, ANNA MARIA")
    ('MUELLER<LUEDENSCHEIDT', 'DARTAGNAN', 'ERIKSSON<<ANNA<MARIA')
    >>> to_mrz("Þórunn Åberg"), to_mrz("Щербаков"), to_mrz("SMITH<<JOHN")
    ('THORUNN<AABERG', 'SHCHERBAKOV', 'SMITH<<JOHN')
    """
    return "".join(s[0] for s in _segments(name))


def mrz_variants(name: str) -> frozenset[str]:
    """Every MRZ spelling Part 3, section 6 allows for ``name``, recommended one included.

    Each character's choices combine freely while there are at most :data:`MAX_VARIANTS`
    combinations; beyond that only the consistent spellings are kept (recommended, shortest or
    longest for every character: ``AE``/``A``/``UXX``), as a State applies one policy to a name.

    >>> sorted(mrz_variants("Müller"))
    ['MUELLER', 'MULLER', 'MUXXLLER']
    >>> sorted(mrz_variants("Nuñez"))
    ['NUNEZ', 'NUNXXEZ']
    """
    segments = _segments(name)
    combinations = 1
    for s in segments:
        combinations *= len(s)
    if combinations <= MAX_VARIANTS:
        return frozenset("".join(p) for p in itertools.product(*segments))
    policies = [lambda s: s[0], lambda s: min(s, key=len), lambda s: max(s, key=len)]
    return frozenset("".join(map(policy, segments)) for policy in policies)


DOTTED_I_STATES = frozenset({"TUR", "AZE"})
"""States whose alphabet pairs a dotted capital ``İ`` with ``i`` and a plain ``I`` with a dotless
``ı`` (Turkish, Azerbaijani): their documents print ``ÇELİK`` and ``İÇİŞLERİ``, not ``ÇELIK``."""


def capitals(text: str, *, dotted_i: bool = False) -> str:
    """``text`` in capitals as a document prints it: diacritics kept, ``ß`` kept (``str.upper``
    writes ``SS``), and with ``dotted_i`` the capitals of :data:`DOTTED_I_STATES`.

    >>> capitals("Weiß"), capitals("Eskişehir", dotted_i=True), capitals("Kılıç", dotted_i=True)
    ('WEIß', 'ESKİŞEHİR', 'KILIÇ')
    >>> capitals("Eskişehir")
    'ESKIŞEHIR'
    """
    if dotted_i:
        text = text.replace("i", "İ")
    return "".join(c if c == "ß" else c.upper() for c in text)
