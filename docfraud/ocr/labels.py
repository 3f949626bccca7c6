"""The label lexicon of travel documents: which printed caption names which field, per language.

Data pages and cards print a small caption above (sometimes beside) each value, usually in the
issuing state's language and English or French joined by ``/`` ("Date of birth / Date de
naissance"). :data:`LABELS` lists, for every field, the captions used across Europe and beyond;
:func:`match_label` maps an OCR-read caption (noisy, accents dropped, both languages or one) to
its field. ``ignore`` collects captions of things docfraud does not extract (type, code,
signature, height …) so that their values are not mistaken for another field's.

Entries are upper case without accents: OCR loses accents on small captions anyway, and
:func:`normalise` folds what it reads the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from rapidfuzz.distance import Levenshtein

LABELS: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "surname": {
            "en": ("SURNAME", "FAMILY NAME", "LAST NAME", "SURNAMES", "NAME"),
            "fr": ("NOM", "NOM DE FAMILLE"),
            "de": ("NAME", "FAMILIENNAME", "NACHNAME"),
            "es": ("APELLIDOS", "APELLIDO", "PRIMER APELLIDO"),
            "it": ("COGNOME",),
            "pt": ("APELIDO", "APELIDOS", "SOBRENOME"),
            "nl": ("NAAM", "ACHTERNAAM", "GESLACHTSNAAM"),
            "pl": ("NAZWISKO",),
            "sv": ("EFTERNAMN",),
            "no": ("ETTERNAVN",),
            "da": ("EFTERNAVN",),
            "fi": ("SUKUNIMI",),
            "cs": ("PRIJMENI",),
            "sk": ("PRIEZVISKO",),
            "ro": ("NUME",),
            "hu": ("VEZETEKNEV", "CSALADI NEV"),
            "hr": ("PREZIME",),
            "sl": ("PRIIMEK",),
            "tr": ("SOYADI",),
        },
        "given_names": {
            "en": ("GIVEN NAMES", "GIVEN NAME", "FIRST NAME", "FIRST NAMES", "FORENAMES"),
            "fr": ("PRENOMS", "PRENOM"),
            "de": ("VORNAMEN", "VORNAME"),
            "es": ("NOMBRE", "NOMBRES"),
            "it": ("NOME", "NOMI"),
            "pt": ("NOME", "NOMES", "NOME PROPRIO", "NOMES PROPRIOS", "PRENOME"),
            "nl": ("VOORNAMEN", "VOORNAAM"),
            "pl": ("IMIONA", "IMIE"),
            "sv": ("FORNAMN", "TILLTALSNAMN"),
            "no": ("FORNAVN",),
            "da": ("FORNAVN", "FORNAVNE"),
            "fi": ("ETUNIMET",),
            "cs": ("JMENO",),
            "sk": ("MENO",),
            "ro": ("PRENUME",),
            "hu": ("UTONEV", "UTONEVEK"),
            "hr": ("IME",),
            "tr": ("ADI",),
        },
        "document_number": {
            "en": (
                "PASSPORT NO",
                "PASSPORT NUMBER",
                "DOCUMENT NO",
                "DOCUMENT NUMBER",
                "CARD NO",
                "CARD NUMBER",
                "NUMBER",
                "NO",
            ),
            "fr": (
                "PASSEPORT N",
                "N DU PASSEPORT",
                "N DU DOCUMENT",
                "NUMERO",
                "N DE DOCUMENT",
                "N DE LA CARTE",
                "NUMERO DU DOCUMENT",
            ),
            "de": (
                "PASS NR",
                "PASSNUMMER",
                "DOKUMENTENNR",
                "DOKUMENTNR",
                "DOKUMENTENNUMMER",
                "AUSWEISNUMMER",
                "KARTENNUMMER",
                "NUMMER",
            ),
            "es": (
                "PASAPORTE N",
                "N DE PASAPORTE",
                "N DE DOCUMENTO",
                "NUM DE DOCUMENTO",
                "NUMERO DE DOCUMENTO",
                "NUM SOPORTE",
                "NUMERO",
            ),
            "it": ("PASSAPORTO N", "N PASSAPORTO", "N DOCUMENTO", "NUMERO DOCUMENTO", "NUMERO"),
            "pt": (
                "PASSAPORTE N",
                "N DO PASSAPORTE",
                "N DO DOCUMENTO",
                "NUMERO DO DOCUMENTO",
                "NUMERO",
            ),
            "nl": ("PASPOORTNR", "PASPOORTNUMMER", "DOCUMENTNR", "DOCUMENTNUMMER", "NUMMER"),
            "pl": ("NR PASZPORTU", "NUMER PASZPORTU", "NUMER DOKUMENTU", "SERIA I NUMER"),
            "sv": ("PASSNUMMER", "PASS NR", "DOKUMENTNUMMER"),
            "no": ("PASSNUMMER", "PASS NR"),
            "fi": ("PASSIN NUMERO", "PASSIN NRO"),
            "cs": ("CISLO PASU", "CISLO DOKLADU"),
        },
        "personal_number": {
            "en": (
                "PERSONAL NO",
                "PERSONAL NUMBER",
                "PERSONAL CODE",
                "PERSONAL ID NO",
                "NATIONAL ID NO",
                "ID NO",
            ),
            "fr": ("N PERSONNEL", "NUMERO PERSONNEL"),
            "de": ("PERSONLICHE NR", "PERSONLICHE NUMMER", "PERSONENKENNZIFFER"),
            "es": ("N PERSONAL", "NUMERO PERSONAL", "DNI", "NIE"),
            "it": ("CODICE PERSONALE", "CODICE FISCALE", "N PERSONALE"),
            "pt": ("N PESSOAL", "NUMERO PESSOAL", "N DE IDENTIFICACAO CIVIL"),
            "nl": ("PERSOONSNR", "PERSOONSNUMMER", "BURGERSERVICENUMMER", "BSN"),
            "pl": ("NUMER PESEL", "NR PESEL", "PESEL"),
            "sv": ("PERSONNUMMER",),
            "no": ("FODSELSNUMMER", "PERSONNUMMER"),
            "da": ("PERSONNUMMER", "CPR NR"),
            "fi": ("HENKILOTUNNUS",),
            "cs": ("RODNE CISLO",),
            "ro": ("CNP", "COD NUMERIC PERSONAL"),
            "hr": ("OIB",),
        },
        "nationality": {
            "en": ("NATIONALITY", "CITIZENSHIP"),
            "fr": ("NATIONALITE",),
            "de": ("STAATSANGEHORIGKEIT", "STAATSANGEHOERIGKEIT", "NATIONALITAT"),
            "es": ("NACIONALIDAD",),
            "it": ("CITTADINANZA", "NAZIONALITA"),
            "pt": ("NACIONALIDADE",),
            "nl": ("NATIONALITEIT",),
            "pl": ("OBYWATELSTWO",),
            "sv": ("NATIONALITET", "MEDBORGARSKAP"),
            "no": ("NASJONALITET", "STATSBORGERSKAP"),
            "da": ("NATIONALITET", "STATSBORGERSKAB"),
            "fi": ("KANSALAISUUS",),
            "cs": ("STATNI OBCANSTVI",),
            "ro": ("CETATENIE",),
            "hu": ("ALLAMPOLGARSAG",),
            "hr": ("DRZAVLJANSTVO",),
            "tr": ("UYRUGU", "UYRUK"),
        },
        "birth_date": {
            "en": ("DATE OF BIRTH", "BIRTH DATE", "DOB", "BORN"),
            "fr": ("DATE DE NAISSANCE", "NE LE", "NEE LE"),
            "de": ("GEBURTSDATUM", "GEBURTSTAG", "GEBOREN AM"),
            "es": ("FECHA DE NACIMIENTO", "FECHA NACIMIENTO", "NACIMIENTO"),
            "it": ("DATA DI NASCITA",),
            "pt": ("DATA DE NASCIMENTO",),
            "nl": ("GEBOORTEDATUM",),
            "pl": ("DATA URODZENIA",),
            "sv": ("FODELSEDATUM",),
            "no": ("FODSELSDATO",),
            "da": ("FODSELSDATO",),
            "fi": ("SYNTYMAAIKA",),
            "cs": ("DATUM NAROZENI",),
            "ro": ("DATA NASTERII",),
            "hu": ("SZULETESI IDO", "SZULETESI DATUM"),
            "hr": ("DATUM RODENJA",),
            "tr": ("DOGUM TARIHI",),
        },
        "birth_place": {
            "en": ("PLACE OF BIRTH", "BIRTHPLACE", "BIRTH PLACE", "COUNTRY OF BIRTH"),
            "fr": ("LIEU DE NAISSANCE",),
            "de": ("GEBURTSORT",),
            "es": ("LUGAR DE NACIMIENTO",),
            "it": ("LUOGO DI NASCITA",),
            "pt": ("LOCAL DE NASCIMENTO", "NATURALIDADE"),
            "nl": ("GEBOORTEPLAATS",),
            "pl": ("MIEJSCE URODZENIA",),
            "sv": ("FODELSEORT",),
            "no": ("FODESTED", "FODSELSSTED"),
            "da": ("FODESTED",),
            "fi": ("SYNTYMAPAIKKA",),
            "cs": ("MISTO NAROZENI",),
            "ro": ("LOCUL NASTERII",),
            "hu": ("SZULETESI HELY",),
            "hr": ("MJESTO RODENJA",),
            "tr": ("DOGUM YERI",),
        },
        "sex": {
            "en": ("SEX", "GENDER"),
            "fr": ("SEXE",),
            "de": ("GESCHLECHT",),
            "es": ("SEXO",),
            "it": ("SESSO",),
            "pt": ("SEXO",),
            "nl": ("GESLACHT",),
            "pl": ("PLEC",),
            "sv": ("KON",),
            "no": ("KJONN",),
            "da": ("KON",),
            "fi": ("SUKUPUOLI",),
            "cs": ("POHLAVI",),
            "ro": ("SEXUL", "SEX"),
            "hu": ("NEM", "NEME"),
            "hr": ("SPOL",),
            "tr": ("CINSIYETI", "CINSIYET"),
        },
        "issue_date": {
            "en": ("DATE OF ISSUE", "ISSUE DATE", "ISSUED ON", "DATE ISSUED", "VALID FROM"),
            "fr": (
                "DATE DE DELIVRANCE",
                "DELIVRE LE",
                "DATE D EMISSION",
                "VALABLE DU",
                "VALABLE A PARTIR DU",
            ),
            "de": ("AUSSTELLUNGSDATUM", "AUSGESTELLT AM", "GULTIG VOM", "GULTIG AB"),
            "es": ("FECHA DE EXPEDICION", "FECHA DE EMISION", "EXPEDICION", "VALIDO DESDE"),
            "it": ("DATA DI RILASCIO", "RILASCIATO IL", "VALIDO DAL"),
            "pt": (
                "DATA DE EMISSAO",
                "DATA DE EMISAO",
                "EMITIDO EM",
                "VALIDO DE",
                "VALIDO A PARTIR DE",
            ),
            "nl": (
                "DATUM VAN AFGIFTE",
                "DATUM AFGIFTE",
                "AFGIFTEDATUM",
                "GELDIG VAN",
                "GELDIG VANAF",
            ),
            "pl": ("DATA WYDANIA", "WAZNA OD"),
            "sv": ("UTFARDANDEDATUM", "UTFARDAT"),
            "no": ("UTSTEDT", "UTSTEDELSESDATO"),
            "da": ("UDSTEDELSESDATO", "UDSTEDT"),
            "fi": ("MYONTAMISPAIVA",),
            "cs": ("DATUM VYDANI",),
            "ro": ("DATA ELIBERARII",),
            "hu": ("KIALLITAS DATUMA",),
            "hr": ("DATUM IZDAVANJA",),
        },
        "expiry_date": {
            "en": (
                "DATE OF EXPIRY",
                "EXPIRY DATE",
                "DATE OF EXPIRATION",
                "EXPIRATION DATE",
                "EXPIRES",
                "VALID UNTIL",
                "VALID TO",
                "VALID THRU",
                "UNTIL",
            ),
            "fr": (
                "DATE D EXPIRATION",
                "DATE DEXPIRATION",
                "EXPIRE LE",
                "VALABLE JUSQU AU",
                "DATE DE VALIDITE",
                "AU",
            ),
            "de": ("GULTIG BIS", "ABLAUFDATUM", "BIS"),
            "es": (
                "FECHA DE CADUCIDAD",
                "FECHA DE VENCIMIENTO",
                "CADUCIDAD",
                "VALIDO HASTA",
                "HASTA",
            ),
            "it": ("DATA DI SCADENZA", "SCADENZA", "VALIDO FINO AL", "AL"),
            "pt": ("DATA DE VALIDADE", "VALIDADE", "VALIDO ATE", "ATE"),
            "nl": ("GELDIG TOT", "VERVALDATUM", "TOT"),
            "pl": ("DATA WAZNOSCI", "TERMIN WAZNOSCI", "WAZNY DO", "WAZNA DO"),
            "sv": ("GILTIG T O M", "GILTIG TILL", "SISTA GILTIGHETSDAG"),
            "no": ("GYLDIG TIL",),
            "da": ("UDLOBSDATO", "GYLDIG TIL"),
            "fi": ("VOIMASSA",),
            "cs": ("PLATNOST DO",),
            "ro": ("DATA EXPIRARII", "VALABIL PANA LA"),
            "hu": ("ERVENYESSEG", "ERVENYES"),
            "hr": ("VRIJEDI DO", "DATUM ISTEKA"),
        },
        "authority": {
            "en": (
                "AUTHORITY",
                "ISSUING AUTHORITY",
                "ISSUED BY",
                "ISSUED IN",
                "PLACE OF ISSUE",
                "ISSUING OFFICE",
            ),
            "fr": ("AUTORITE", "DELIVRE PAR", "DELIVRE A", "LIEU DE DELIVRANCE"),
            "de": ("BEHORDE", "AUSSTELLENDE BEHORDE", "AUSGESTELLT IN", "AUSSTELLUNGSORT"),
            "es": ("AUTORIDAD", "EXPEDIDO POR", "EXPEDIDO EN", "LUGAR DE EXPEDICION"),
            "it": ("AUTORITA", "RILASCIATO DA", "RILASCIATO A", "LUOGO DI RILASCIO"),
            "pt": ("AUTORIDADE", "EMITIDO POR", "EMITIDO EM", "LOCAL DE EMISSAO"),
            "nl": ("INSTANTIE", "AFGEGEVEN DOOR", "AFGEGEVEN TE", "PLAATS VAN AFGIFTE"),
            "pl": ("ORGAN WYDAJACY", "ORGAN WYDAJACY PASZPORT", "WYDANY PRZEZ"),
            "sv": ("MYNDIGHET", "UTFARDAD AV"),
            "no": ("MYNDIGHET", "UTSTEDT AV"),
            "da": ("MYNDIGHED", "UDSTEDT AF"),
            "fi": ("VIRANOMAINEN",),
            "cs": ("VYDAL", "URAD"),
            "ro": ("AUTORITATEA", "EMIS DE"),
            "hu": ("KIALLITO HATOSAG", "HATOSAG"),
            "hr": ("IZDAO", "NADLEZNO TIJELO"),
        },
        "ignore": {
            "en": (
                "TYPE",
                "CODE",
                "COUNTRY CODE",
                "CODE OF ISSUING STATE",
                "ISSUING STATE",
                "HOLDERS SIGNATURE",
                "SIGNATURE",
                "SIGNATURE OF HOLDER",
                "HEIGHT",
                "EYES",
                "REMARKS",
                "TYPE OF VISA",
                "CATEGORY",
                "DURATION OF STAY",
                "ENTRIES",
                "NUMBER OF ENTRIES",
                "PASSPORT",
                "IDENTITY CARD",
                "RESIDENCE PERMIT",
            ),
            "fr": (
                "CODE DU PAYS",
                "SIGNATURE DU TITULAIRE",
                "TAILLE",
                "YEUX",
                "TYPE DE VISA",
                "OBSERVATIONS",
                "PASSEPORT",
                "CARTE D IDENTITE",
                "TITRE DE SEJOUR",
            ),
            "de": (
                "TYP",
                "KODE",
                "CODE",
                "UNTERSCHRIFT DES INHABERS",
                "UNTERSCHRIFT",
                "GROSSE",
                "AUGENFARBE",
                "VISUMTYP",
                "REISEPASS",
                "PERSONALAUSWEIS",
                "AUFENTHALTSTITEL",
            ),
            "es": ("TIPO", "CODIGO", "FIRMA DEL TITULAR", "FIRMA", "TIPO DE VISADO", "PASAPORTE"),
            "it": (
                "TIPO",
                "CODICE",
                "FIRMA DEL TITOLARE",
                "STATURA",
                "TIPO DI VISTO",
                "PASSAPORTO",
            ),
            "pt": (
                "TIPO",
                "CODIGO",
                "ASSINATURA DO TITULAR",
                "ASSINATURA",
                "ALTURA",
                "TIPO DE VISTO",
                "PASSAPORTE",
            ),
            "nl": (
                "SOORT",
                "CODE",
                "HANDTEKENING HOUDER",
                "HANDTEKENING",
                "LENGTE",
                "SOORT VISUM",
                "PASPOORT",
            ),
            "pl": ("TYP", "KOD", "PODPIS POSIADACZA", "PODPIS", "WZROST", "PASZPORT"),
        },
    }
)
"""field → language → captions (upper case, no accents, punctuation as spaces)."""

MIN_RATIO = 0.78
"""A caption matches a lexicon entry when their similarity is at least this (short entries of
up to 4 letters must match exactly)."""

MIN_RATIO_LONG = 0.72
LONG = 7
"""Captions of at least ``LONG`` letters (GEBOORTEDATUM) may be read a little worse."""
MIN_COVER = 0.5
"""A run of words read as a caption must hold this share of the line's letters."""
FIELD_OVER_IGNORE = 0.75
"""A field's caption matched at least this well wins over an ``ignore`` match in the same line."""

_NUMBERING = re.compile(r"^\(?\d{1,2}[.)]?\s+")


def normalise(text: str) -> str:
    """Upper case, accents and punctuation dropped, spaces collapsed.

    >>> normalise("Date d'expiration")
    'DATE D EXPIRATION'
    >>> normalise("N.º de documento")
    'N DE DOCUMENTO'
    """
    decomposed = unicodedata.normalize("NFKD", text.upper())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = kept.replace("ß", "SS").replace("Ł", "L").replace("Ø", "O").replace("Æ", "AE")
    kept = kept.replace("Đ", "D")
    return " ".join(re.sub(r"[^A-Z0-9]+", " ", kept).split())


def _key(text: str) -> str:
    """Caption key: normalised, ``N O``/``N``/``NR`` number marks unified, spaces removed."""
    words = normalise(text).replace(" O ", " ").split()
    words = [w for w in words if w not in ("O", "DEL", "DES")]
    return "".join(words)


_ENTRIES: tuple[tuple[str, str], ...] = tuple(
    (_key(caption), field)
    for field, by_lang in LABELS.items()
    for captions in by_lang.values()
    for caption in captions
)


def likeness(caption: str, field: str) -> float:
    """How much a badly read caption looks like one of ``field``'s (0..1), for a weak guess.

    Every run of up to four words of the caption is compared with every caption of the field.

    >>> round(likeness("Pesce cf 80M, Leu de nalssance", "birth_place"), 2)
    0.87
    """
    words = normalise(caption).split()
    best = 0.0
    entries = [e for e, f in _ENTRIES if f == field and len(e) > 4]
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + 4) + 1):
            key = "".join(words[i:j])
            if len(key) < 4:
                continue
            for entry in entries:
                if abs(len(entry) - len(key)) <= len(entry) // 2:
                    best = max(best, ratio(key, entry))
    return best


def ratio(a: str, b: str) -> float:
    """1 - edit distance / longer length (1.0 for two empty strings).

    rapidfuzz's C++ Levenshtein: caption matching compares every OCR line with some 470
    captions, which in Python took most of a page's reading time.

    >>> round(ratio("NATONALTY", "NATIONALITY"), 3)
    0.818
    """
    return float(Levenshtein.normalized_similarity(a, b))


@lru_cache(maxsize=8192)
def _match_part(part: str) -> tuple[str, float] | None:
    key = _key(_NUMBERING.sub("", part.strip()))
    if len(key) < 2:
        return None
    best: tuple[str, float] | None = None
    for entry, field in _ENTRIES:
        if abs(len(entry) - len(key)) > max(2, len(entry) // 4):
            continue
        if len(entry) <= 4 or len(key) <= 4:
            score = 1.0 if entry == key else 0.0
        else:
            score = ratio(key, entry)
        threshold = MIN_RATIO_LONG if len(entry) >= LONG else MIN_RATIO
        if score >= threshold and (best is None or score > best[1]):
            best = (field, score)
    return best


def match_label(text: str) -> tuple[str, float] | None:
    """The field a printed caption names, with a 0..1 score; None when it is no caption.

    Bilingual captions are split at ``/`` (or ``|``) and each half is matched; when OCR lost the
    slash, every run of up to four words covering at least :data:`MIN_COVER` of the text is
    tried. The best match decides. ``ignore`` is returned for captions of fields docfraud does
    not extract.

    >>> match_label("Surname / Nom")
    ('surname', 1.0)
    >>> match_label("Geburtsdatum / Date of birth")
    ('birth_date', 1.0)
    >>> match_label("Fecha de caducidad / Date of expiry")
    ('expiry_date', 1.0)
    >>> match_label("Natonalty Nabonasd")
    ('nationality', 0.818)
    >>> match_label("Pasaporte %* / Passport Mo")
    ('document_number', 0.9)
    >>> match_label("HUGHES") is None
    True
    """
    parts = [p for p in re.split(r"[/|]", text) if p.strip()]
    found = [m for m in (_match_part(p) for p in parts) if m is not None]
    if not found:
        words = normalise(text).split()
        total = sum(len(w) for w in words)
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 4) + 1):
                span = words[i:j]
                if sum(len(w) for w in span) < MIN_COVER * total:
                    continue
                m = _match_part(" ".join(span))
                # a one-word "ignore" caption inside a longer line is a value: "PASSPORT OFFICE"
                if m is not None and (m[0] != "ignore" or j - i > 1):
                    found.append(m)
    if not found:
        return None
    # "Pasaporte N° / Passport No": the half naming a field outweighs a title word in the other
    field, score = max(found, key=lambda m: (m[0] != "ignore" and m[1] >= FIELD_OVER_IGNORE, m[1]))
    return field, round(score, 3)
