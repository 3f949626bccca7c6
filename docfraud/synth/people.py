"""Invented people and their travel-document data.

Names are drawn from small per-language pools with the diacritics those languages print (Müller,
Nguyễn, Çelik, Ó Súilleabháin ...), combined at random, so a generated identity is a name
pattern, never a real person's record. Issuing states mix the ICAO specimen state UTO with real
three-letter codes; document numbers follow common national shapes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from docfraud.mrz.spec import MrzFormat
from docfraud.synth.records import DocKind, DocumentData, Person

NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # language: (surnames, female given names, male given names)
    "de": (
        ("Müller", "Schäfer", "Größmann", "Köhler", "Weiß", "Brandt", "Hoffmann", "Zimmermann"),
        ("Jana", "Anna", "Lena", "Käthe", "Sophie", "Marie", "Jutta", "Hannah"),
        ("Lukas", "Jörg", "Maximilian", "Felix", "Günther", "Paul", "Jonas", "Matthias"),
    ),
    "fr": (
        ("Lefèvre", "Dupont", "Bérubé", "Moreau", "Gauthier", "Fontaine", "Chevalier", "Rousseau"),
        ("Amélie", "Hélène", "Chloé", "Léa", "Élodie", "Camille", "Inès", "Margaux"),
        ("François", "Jérôme", "Noël", "Théo", "Étienne", "Louis", "Hugo", "Raphaël"),
    ),
    "es": (
        ("García", "Núñez", "Peña", "Muñoz", "Fernández", "López", "Ibáñez", "Castillo"),
        ("María", "Lucía", "Sofía", "Begoña", "Inés", "Carmen", "Elena", "Ángela"),
        ("José", "Ángel", "Iñigo", "Raúl", "Álvaro", "Diego", "Jesús", "Martín"),
    ),
    "nordic": (
        ("Ødegård", "Åberg", "Sørensen", "Lindqvist", "Þórsson", "Jönsson", "Nyström", "Dahl"),
        ("Åsa", "Ingrid", "Sigrún", "Maja", "Freja", "Solveig", "Linnéa", "Kari"),
        ("Bjørn", "Håkon", "Søren", "Erik", "Ólafur", "Nils", "Magnús", "Anders"),
    ),
    "tr": (
        ("Yılmaz", "Çelik", "Şahin", "Öztürk", "Doğan", "Kılıç", "Aydın", "Güneş"),
        ("Ayşe", "Elif", "Gülşen", "Zeynep", "Şule", "Büşra", "Özge", "Merve"),
        ("Mehmet", "Çağrı", "Oğuz", "Emre", "Barış", "Hüseyin", "Kaan", "Uğur"),
    ),
    "pl": (
        ("Wiśniewski", "Łukasik", "Nowak", "Kowalczyk", "Żak", "Wójcik", "Grabowski", "Dąbrowski"),
        ("Małgorzata", "Agnieszka", "Zofia", "Ewa", "Katarzyna", "Joanna", "Alicja", "Beata"),
        ("Łukasz", "Paweł", "Tomasz", "Michał", "Krzysztof", "Jan", "Piotr", "Wojciech"),
    ),
    "vi": (
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"),
        ("Lan", "Thảo", "Hương", "Mai", "Ngọc", "Linh", "Trang", "Hà"),
        ("Minh", "Đức", "Tuấn", "Quang", "Hùng", "Bảo", "Long", "Khánh"),
    ),
    "en": (
        ("Smith", "O'Brien", "MacLeod", "Fitzgerald", "Okafor", "Patel", "Walker", "Hughes"),
        ("Mary", "Aoife", "Grace", "Chloe", "Ngozi", "Priya", "Olivia", "Siobhán"),
        ("John", "Seán", "Oliver", "Chinedu", "Rahul", "Thomas", "Liam", "James"),
    ),
    "ar": (
        ("Al-Hassan", "Haddad", "Mansour", "El-Amin", "Nasser", "Khalil", "Saleh", "Aziz"),
        ("Fatima", "Layla", "Amira", "Noor", "Yasmin", "Huda", "Rania", "Salma"),
        ("Omar", "Youssef", "Ahmad", "Karim", "Tariq", "Samir", "Hamza", "Bilal"),
    ),
}
"""Name pools per language; names combine freely, so no combination is a person's record."""

STATES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # (ICAO code, language of names, country name as printed, cities)
    ("UTO", "en", "UTOPIA", ("Utopia City", "Port Amaurot", "Anyder")),
    ("D", "de", "DEUTSCHLAND", ("Berlin", "Köln", "Leipzig", "Nürnberg")),
    ("AUT", "de", "ÖSTERREICH", ("Wien", "Graz", "Linz")),
    ("FRA", "fr", "FRANCE", ("Paris", "Lyon", "Besançon", "Orléans")),
    ("BEL", "fr", "BELGIQUE", ("Liège", "Namur", "Bruxelles")),
    ("ESP", "es", "ESPAÑA", ("Madrid", "Cádiz", "León", "Málaga")),
    ("NOR", "nordic", "NORGE", ("Tromsø", "Bergen", "Ålesund")),
    ("SWE", "nordic", "SVERIGE", ("Göteborg", "Malmö", "Umeå")),
    ("TUR", "tr", "TÜRKİYE", ("İzmir", "Ankara", "Eskişehir")),
    ("POL", "pl", "POLSKA", ("Łódź", "Kraków", "Gdańsk")),
    ("VNM", "vi", "VIỆT NAM", ("Hà Nội", "Huế", "Đà Nẵng")),
    ("IRL", "en", "IRELAND", ("Dublin", "Cork", "Galway")),
    ("NGA", "en", "NIGERIA", ("Lagos", "Ibadan", "Enugu")),
    ("JOR", "ar", "JORDAN", ("Amman", "Irbid", "Zarqa")),
    ("SYR", "ar", "SYRIA", ("Aleppo", "Homs", "Latakia")),
)
"""Issuing states: the ICAO specimen state UTO and real codes whose documents carry such names."""

AUTHORITIES = {  # by ICAO code where a state differs from its language's default, else language
    "en": ("Passport Office {city}", "Ministry of Interior", "Civil Registry {city}"),
    "de": ("Stadt {city}", "Bürgeramt {city}", "Bundesministerium des Innern"),
    "fr": ("Préfecture de {city}", "Ministère de l'Intérieur", "Mairie de {city}"),
    "es": ("Dirección General de la Policía", "Comisaría de {city}"),
    "NOR": ("Politiet {city}", "Politidirektoratet"),
    "SWE": ("Polismyndigheten {city}", "Migrationsverket"),
    "tr": ("Nüfus Müdürlüğü {city}", "İçişleri Bakanlığı"),
    "pl": ("Wojewoda {city}", "Urząd Miasta {city}"),
    "vi": ("Cục Quản lý xuất nhập cảnh", "Công an {city}"),
    "ar": ("Civil Status Department {city}", "Ministry of Interior"),
}

VALIDITY_YEARS = {
    DocKind.PASSPORT: (5, 10),
    DocKind.ID_CARD: (5, 10),
    DocKind.RESIDENCE_PERMIT: (1, 5),
    DocKind.VISA: (0, 1),
}
"""Usual validity ranges in years (visas: days to a year; children's documents: the short end)."""

KIND_FORMATS = {
    DocKind.PASSPORT: ((MrzFormat.TD3, "P"),),
    DocKind.ID_CARD: ((MrzFormat.TD1, "ID"), (MrzFormat.TD2, "ID"), (MrzFormat.TD1, "I")),
    DocKind.RESIDENCE_PERMIT: ((MrzFormat.TD1, "IR"), (MrzFormat.TD2, "IR"), (MrzFormat.TD1, "AR")),
    DocKind.VISA: ((MrzFormat.MRVA, "V"), (MrzFormat.MRVB, "V")),
}
"""Document codes per kind (Doc 9303 Part 4-7: P, I/A/C + second letter, V)."""

PERSONAL_NUMBER_ROOM = {
    MrzFormat.TD3: 14,
    MrzFormat.TD1: 11,
    MrzFormat.TD2: 7,
    MrzFormat.MRVA: 16,
    MrzFormat.MRVB: 8,
}
"""Characters the MRZ has for a personal number or optional data (Doc 9303 Parts 4-7)."""
_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
NUMBER_SHAPES = ("LDDDDDDD", "LLDDDDDDD", "DDDDDDDDD", "LDLDDDDLD", "DDLLDDDDD", "LLDDDDDD")
"""Document-number shapes (L letter, D digit) in the style of national series."""


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(0, len(options)))]


def random_state(rng: np.random.Generator) -> tuple[str, str, str, tuple[str, ...]]:
    return STATES[int(rng.integers(0, len(STATES)))]


def random_person(
    rng: np.random.Generator,
    state: tuple[str, str, str, tuple[str, ...]],
    *,
    born_between: tuple[date, date],
    surname: str | None = None,
) -> Person:
    """An invented person of ``state``'s naming tradition, born in the given interval.

    Args:
        rng: the generator.
        state: an entry of :data:`STATES`.
        born_between: inclusive range of birth dates.
        surname: a family name to share (children of a parent), else drawn.
    """
    code, language, _, cities = state
    surnames, female, male = NAME_POOLS[language]
    sex = "F" if rng.random() < 0.5 else "M"
    if rng.random() < 0.02:
        sex = "X"
    given_pool = female if sex == "F" else male if sex == "M" else female + male
    given = _pick(rng, given_pool)
    if rng.random() < 0.35:
        given += " " + _pick(rng, given_pool)
    if surname is None:
        surname = _pick(rng, surnames)
        if rng.random() < 0.15:
            surname += "-" + _pick(rng, surnames)
    span = (born_between[1] - born_between[0]).days
    birth = born_between[0] + timedelta(days=int(rng.integers(0, span + 1)))
    return Person(
        surname=surname,
        given_names=given,
        sex=sex,
        birth_date=birth,
        birth_place=_pick(rng, cities),
        nationality=code,
        face_seed=int(rng.integers(0, 2**31)),
    )


def document_number(rng: np.random.Generator) -> str:
    shape = _pick(rng, NUMBER_SHAPES)
    return "".join(_pick(rng, tuple(_LETTERS if s == "L" else _DIGITS)) for s in shape)


def random_document(
    rng: np.random.Generator,
    kind: DocKind,
    holder: Person,
    *,
    scan_date: date,
    mrz_format: MrzFormat | None = None,
) -> DocumentData:
    """Document data for ``holder``, valid on ``scan_date``, issued by the holder's state.

    Visas and residence permits are issued by another state than the holder's nationality.
    Children (under 18 at issue) get the short validity of their document kind.
    """
    home = next(s for s in STATES if s[0] == holder.nationality)
    issuer = home
    if kind in (DocKind.VISA, DocKind.RESIDENCE_PERMIT):
        others = tuple(s for s in STATES if s[0] != holder.nationality)
        issuer = others[int(rng.integers(0, len(others)))]
    options = KIND_FORMATS[kind]
    if mrz_format is not None:
        options = tuple(o for o in options if o[0] is mrz_format) or options
    fmt, code = options[int(rng.integers(0, len(options)))]
    low, high = VALIDITY_YEARS[kind]
    age_at_scan = (scan_date - holder.birth_date).days / 365.25
    minor = age_at_scan < 18
    years = low if minor or kind is DocKind.VISA else int(rng.choice((low, high)))
    valid_days = 365 * years if years else int(rng.integers(30, 365))
    # issued within the validity period before the scan (so valid on the scan date), after birth
    back = min(valid_days - 1, max(0, (scan_date - holder.birth_date).days - 30))
    issue = scan_date - timedelta(days=int(rng.integers(0, back + 1)))

    def expiry_of(issue: date) -> date:
        return (
            _add_years(issue, years) - timedelta(days=1) if years else issue + timedelta(valid_days)
        )

    expiry = expiry_of(issue)
    if expiry <= scan_date:  # drawn back 364 days in a year without a 29 February
        issue += timedelta(days=1)
        expiry = expiry_of(issue)
    authorities = AUTHORITIES.get(issuer[0]) or AUTHORITIES[issuer[1]]
    authority = _pick(rng, authorities).format(city=_pick(rng, issuer[3]))
    personal = ""
    if rng.random() < 0.4:
        length = int(rng.integers(6, PERSONAL_NUMBER_ROOM[fmt] + 1))
        personal = "".join(_pick(rng, tuple(_DIGITS)) for _ in range(length))
    return DocumentData(
        kind=kind,
        mrz_format=fmt,
        document_code=code,
        issuing_state=issuer[0],
        document_number=document_number(rng),
        holder=holder,
        issue_date=issue,
        expiry_date=expiry,
        authority=authority,
        personal_number=personal,
    )


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def with_holder(data: DocumentData, **changes: Any) -> DocumentData:
    """``data`` with some holder fields changed (forgeries and planted case inconsistencies)."""
    return replace(data, holder=replace(data.holder, **changes))
