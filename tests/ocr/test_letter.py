"""Letter reading: recognition, field extraction from words, and whole pages through tesseract."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from docfraud.ocr.letter import (
    _clean_name,
    _Comb,
    _combs,
    _joined_in_combs,
    _text_area,
    _without_rules,
    is_letter_text,
    read_letter,
    read_letter_text,
)
from docfraud.ocr.words import Word
from docfraud.synth.cases import random_case
from docfraud.synth.letters import render_letter
from docfraud.text.dates import parse_date

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples" / "synth"


def _words(lines: list[str]) -> list[Word]:
    """Words of literal text lines, 20 px per character, 40 px per line."""
    out = []
    for n, line in enumerate(lines):
        x = 10
        for token in line.split():
            out.append(Word(token, 0.95, (x, 10 + 40 * n, 20 * len(token), 30), (1, 1, n)))
            x += 20 * len(token) + 20
    return out


def _spaced(rows: list[list[tuple[str, int]]]) -> list[Word]:
    """Words of rows of (token, gap after it in px), 20 px per character, 40 px per row."""
    out = []
    for n, row in enumerate(rows):
        x = 10
        for token, gap in row:
            out.append(Word(token, 0.95, (x, 10 + 40 * n, 20 * len(token), 30), (1, 1, n)))
            x += 20 * len(token) + gap
    return out


def _values(lines: list[str]) -> dict[str, list[str]]:
    _, found = read_letter_text(_words(lines))
    out: dict[str, list[str]] = {}
    for f in found:
        out.setdefault(f.name, []).append(f.value)
    return out


PROSE_EN = [
    "Registry Office Umeå",
    "Our ref.: 59/47207 Dated: 3 April 2026",
    "PARENTAL CONSENT TO TRAVEL",
    "We, Nils Bjørn Åberg and Søren Dahl-Ødegård, being the lawful parents of the minor",
    "Linnéa Solveig Åberg, born 19 August 2013 at Umeå, travel document no. T6E0534H3, do",
    "hereby authorise and empower Zofia Dąbrowski, born 18 November 1982, holder of document",
    "no. Z5K3488G2, to accompany the said minor on a journey to Toronto between",
    "4 April 2026 and 12 September 2026 inclusive.",
    "Signed (father) Signed (father)",
    "Nils Bjørn Åberg Søren Dahl-Ødegård",
]


def test_prose_letter_fields() -> None:
    v = _values(PROSE_EN)
    assert v["child_name"] == ["Linnéa Solveig Åberg"]
    assert v["adult_name"] == ["Zofia Dąbrowski"]
    assert sorted(v["parent_name"]) == ["Nils Bjørn Åberg", "Søren Dahl-Ødegård"]
    assert v["child_birth_date"] == ["2013-08-19"]
    assert v["adult_birth_date"] == ["1982-11-18"]
    assert v["child_document_number"] == ["T6E0534H3"]
    assert v["adult_document_number"] == ["Z5K3488G2"]
    assert v["valid_from"] == ["2026-04-04"]
    assert v["valid_until"] == ["2026-09-12"]
    assert v["issue_date"] == ["2026-04-03"]
    assert v["reference"] == ["59/47207"]
    assert v["destination"] == ["Toronto"]
    assert v["authority"] == ["Registry Office Umeå"]


def test_french_order_fields() -> None:
    v = _values(
        [
            "Juge aux affaires familiales, Namur",
            "Namur, le 25/07/2026",
            "N° RG : 85/17222",
            "Vu la requête présentée par Léa ROUSSEAU, née le 06/09/1985, titulaire de la pièce",
            "d'identité n° TF460342 ;",
            "concernant l'enfant mineur Élodie ROUSSEAU, née le 09/05/2011,",
            "passeport n° 36LF00989, fille de Jérôme GAUTHIER ;",
            "Autorisons la tutrice à accompagner l'enfant (destination : Roma) du",
            "25/07/2026 au 17/08/2026 ;",
        ]
    )
    assert v["child_name"] == ["Élodie ROUSSEAU"]
    assert v["parent_name"] == ["Jérôme GAUTHIER"]
    assert v["adult_name"] == ["Léa ROUSSEAU"]
    assert v["child_birth_date"] == ["2011-05-09"]
    assert v["adult_birth_date"] == ["1985-09-06"]
    assert v["child_document_number"] == ["36LF00989"]
    assert v["adult_document_number"] == ["TF460342"]
    assert v["valid_from"] == ["2026-07-25"]
    assert v["valid_until"] == ["2026-08-17"]
    assert v["destination"] == ["Roma"]
    assert v["reference"] == ["85/17222"]


def test_a_certificate_in_respect_of_a_child_in_the_care_of_an_adult() -> None:
    v = _values(
        [
            "It is hereby certified that no order has been registered restricting the",
            "parental responsibility of Chloe MacLeod in respect of Siobhán Grace O'Brien (date",
            "of birth May 9, 2021; passport A4435952).",
            "The child is permitted to travel to Oslo from February 25, 2026 to June 12, 2026 in",
            "the care of Liam O'Brien (identity document TR433707).",
        ]
    )
    assert v["child_name"] == ["Siobhán Grace O'Brien"]
    assert v["child_document_number"] == ["A4435952"]
    assert v["adult_name"] == ["Liam O'Brien"]
    assert v["adult_document_number"] == ["TR433707"]
    assert v["parent_name"] == ["Chloe MacLeod"]


def test_an_order_in_the_best_interests_of_a_child_names_it() -> None:
    v = _values(
        [
            "Having considered the application, the Court is satisfied that it is in",
            "the best interests of Karim Sørensen (born December 5, 2010; passport NF5502265)",
            "that a guardian be appointed.",
        ]
    )
    assert v["child_name"] == ["Karim Sørensen"]
    assert v["child_document_number"] == ["NF5502265"]


def test_french_table_rows_name_the_accompanying_adult_and_the_parents() -> None:
    v = _values(
        [
            "Nom et prénom(s) de l'enfant Camille Inès ROUSSEAU",
            "Titulaire(s) de l'autorité parentale Margaux LEFÈVRE",
            "Personne accompagnatrice Théo MOREAU",
        ]
    )
    assert v["child_name"] == ["Camille Inès ROUSSEAU"]
    assert v["parent_name"] == ["Margaux LEFÈVRE"]
    assert v["adult_name"] == ["Théo MOREAU"]


def test_a_forms_values_read_before_their_captions_stand_on_their_captions_rows() -> None:
    """On a photo, tesseract may return a form's filled-in values as one block before the block
    of captions: each value joins its caption's row, in order left to right; a word under
    another (sharing its columns) stays on a row of its own."""

    def word(text: str, x: int, y: int, block: int, line: int) -> Word:
        return Word(text, 0.95, (x, y, 20 * len(text), 30), (block, 1, line))

    words = [
        word("TRANG", 300, 100, 1, 0),
        word("LÊ", 430, 104, 1, 0),
        word("13/11/2015", 300, 160, 1, 1),
        word("HÀ", 900, 160, 1, 1),
        word("1. CHILD", 10, 40, 2, 0),
        word("Full", 10, 106, 2, 1),
        word("name:", 100, 106, 2, 1),
        word("Date", 10, 164, 2, 2),
        word("Place", 700, 164, 2, 2),
        word("Passport", 10, 220, 2, 3),
        word("ink", 310, 112, 3, 0),
    ]
    text, _ = read_letter_text(words)
    assert text.text.splitlines() == [
        "Full name: TRANG LÊ",
        "Date 13/11/2015 Place HÀ",
        "1. CHILD",
        "Passport",
        "ink",
    ]


def test_the_child_designated_below_is_the_child_when_its_own_caption_is_misread() -> None:
    """'désigné' alone designates an adult; after 'enfant' it designates the child, whose
    row caption OCR garbled ('l'enfant' read 'rentent'), and the child's number follows."""
    v = _values(
        [
            "Nous soussignés autorisons le voyage de l'enfant désigné ci-dessous :",
            "Hom et prénomiaj de rentent BERUBÉ Margaux",
            "N° du passeport ou de la CNI VN3997068",
            "Personne accompagnatrice LEFÈVRE Chloé Margaux",
            "N° de la pièce d'identité FT4569893",
        ]
    )
    assert v["child_name"] == ["BERUBÉ Margaux"]
    assert v["child_document_number"] == ["VN3997068"]
    assert v["adult_name"] == ["LEFÈVRE Chloé Margaux"]
    assert v["adult_document_number"] == ["FT4569893"]


def test_a_delegation_of_parental_authority_names_parents_before_the_adult() -> None:
    """Authority "jusqu'ici exercée par" the parents is delegated ", à" the adult, who is
    named after them with no role word of their own."""
    v = _values(
        [
            "Minute n° 81/21019",
            "DÉLÈGUE l'exercice de l'autorité parentale sur l'enfant BÉRUBÉ François, né",
            "le 7 juin 2018 à Besançon, titulaire du passeport n° 744071383, jusqu'ici",
            "exercée par DUPONT Inès Hélène, à BÉRUBÉ Louis Noël, né le",
            "7 octobre 1973, pièce d'identité n° XG885249 ;",
        ]
    )
    assert v["child_name"] == ["BÉRUBÉ François"]
    assert v["parent_name"] == ["DUPONT Inès Hélène"]
    assert v["adult_name"] == ["BÉRUBÉ Louis Noël"]
    assert v["adult_document_number"] == ["XG885249"]
    assert v["reference"] == ["81/21019"]


def test_the_delegate_authorised_after_a_delegation_without_parents_is_the_adult() -> None:
    v = _values(
        [
            "DÉLÈGUE l'exercice de l'autorité parentale sur l'enfant BÉRUBÉ François, né",
            "le 7 juin 2018 à Besançon, titulaire du passeport n° 744071383,",
            "à BÉRUBÉ Louis Noël, né le 7 octobre 1973, pièce d'identité n° XG885249 ;",
            "AUTORISE le délégataire à voyager avec l'enfant (destination : Madrid)",
        ]
    )
    assert v["adult_name"] == ["BÉRUBÉ Louis Noël"]
    assert "parent_name" not in v


def test_the_person_a_child_travels_in_the_company_of_is_the_adult() -> None:
    """ "à voyager en compagnie de X": the adult follows the child's words in one sentence, so
    without a cue of its own the adult's name, date of birth and number went unread."""
    v = _values(
        [
            "Je soussigné(e) BÉRUBÉ Jérôme, titulaire de l'autorité parentale sur",
            "l'enfant GAUTHIER François, né le 08/07/2011, passeport n° 12XF26547,",
            "déclare autoriser mon enfant à voyager en compagnie de",
            "GAUTHIER Hélène, née le 07/11/1972, pièce d'identité n° ZX669199.",
        ]
    )
    assert v["child_name"] == ["GAUTHIER François"]
    assert v["adult_name"] == ["GAUTHIER Hélène"]
    assert v["adult_birth_date"] == ["1972-11-07"]
    assert v["adult_document_number"] == ["ZX669199"]


def test_a_full_name_outranks_a_lone_word_as_well_tied_to_the_role() -> None:
    """An order's `IN THE MATTER OF`, misread `MATIER`, follows its title's "GUARDIAN" as
    closely as the applicant follows "application of"; the applicant's full name is the adult."""
    v = _values(
        [
            "ORDER APPOINTING A GUARDIAN",
            "IN THE MATIER OF the minor Seán SMITH, born on October 16, 2012, holder of travel",
            "document no. TH6648608, the child of Chinedu WALKER.",
            "UPON the application of John SMITH, born on July 12, 1986, holder of identity",
            "document no. ER2133852, and upon reading the evidence filed,",
        ]
    )
    assert v["adult_name"] == ["John SMITH"]
    assert v["child_name"] == ["Seán SMITH"]


def test_a_birth_date_after_a_name_taken_for_a_parent_goes_to_whom_has_none() -> None:
    """`enfant` misread `entant` leaves the child's name to the parents' cue before it; its
    date of birth is the child's, who has none, not the adult's, who has their own. Where both
    have their own, a date after a parent's name is the parent's and no field's."""
    v = _values(
        [
            "Nous soussignés François CHEVALIER et Léa Margaux MOREAU, titulaires de l'autorité",
            "parentale sur entant Léa CHEVALIER, née le 24 avril 2005, passeport n° CH432585,",
            "déclarons autoriser notre enfant à voyager en compagnie de Noël FONTAINE, né le",
            "19 février 1962, pièce d'identité n° 25UW59886.",
        ]
    )
    assert v["child_birth_date"] == ["2005-04-24"]
    assert v["adult_birth_date"] == ["1962-02-19"]
    v = _values(
        [
            "We, the undersigned parents Sarah JONES, born 2 May 1980, and Mark JONES,",
            "consent that our child Tom JONES, born 3 March 2015, travel with",
            "Ann LEE, born 4 April 1975, holder of passport no. 123456789.",
        ]
    )
    assert v["child_birth_date"] == ["2015-03-03"]
    assert v["adult_birth_date"] == ["1975-04-04"]


@pytest.mark.parametrize(
    "caption", ["Claim No.", "Certificate No.", "Entry No.", "Répertoire n°", "Minute n°"]
)
def test_registers_number_their_entries_under_their_own_captions(caption: str) -> None:
    v = _values(["Family Court", f"{caption} 03/55061", "PARENTAL CONSENT TO TRAVEL"])
    assert v["reference"] == ["03/55061"]


def test_a_register_names_people_surname_first_in_mixed_case() -> None:
    """ "Weiß, Hannah" after a role word, or before the custody it holds, is a name; a place
    with a word after its comma ("Graz, Reisepass-Nr.", "Wien, Deutschland") is not."""
    v = _values(
        [
            "BESCHEINIGUNG ÜBER DIE ELTERLICHE SORGE",
            "Es wird bescheinigt, dass Weiß, Hannah die elterliche Sorge für das Kind",
            "Weiß, Maximilian, geboren am 10. Oktober 2015 in Graz, Reisepass-Nr. BG1205917,",
            "allein ausübt. Das Kind reist in Begleitung von Weiß, Lukas Peter, geboren am",
            "10. August 1992 in Wien, Deutschland, Ausweis-Nr. 97WP16844.",
        ]
    )
    assert v["parent_name"] == ["Weiß, Hannah"]
    assert v["child_name"] == ["Weiß, Maximilian"]
    assert v["adult_name"] == ["Weiß, Lukas Peter"]
    assert v["adult_document_number"] == ["97WP16844"]


def test_custody_that_lies_with_a_parent_names_the_parent() -> None:
    v = _values(
        [
            "Auf Antrag wird bestätigt, dass für das Kind Brandt, Lukas (geb. 29.04.2015)",
            "die elterliche Sorge allein bei Schäfer, Felix liegt.",
        ]
    )
    assert v["child_name"] == ["Brandt, Lukas"]
    assert v["parent_name"] == ["Schäfer, Felix"]


def test_the_person_parents_hold_custody_for_is_the_child() -> None:
    v = _values(
        [
            "wir, Paul Brandt und Jörg Weiß, sind gemeinsam Inhaber der elterlichen Sorge für",
            "Käthe Brandt, geb. am 27.08.2016, Reisepass ZY0825954.",
            "Wir bevollmächtigen hiermit Jana Hoffmann, geb. am 31.08.1968, Personalausweis-",
            "Nr. HX0020600, unser Kind vom 05.05.2026 bis 08.08.2026 zu begleiten.",
        ]
    )
    assert v["child_name"] == ["Käthe Brandt"]
    assert v["child_birth_date"] == ["2016-08-27"]
    assert v["child_document_number"] == ["ZY0825954"]
    assert v["adult_birth_date"] == ["1968-08-31"]


def test_a_return_date_read_with_rn_as_m_ends_the_journey() -> None:
    v = _values(
        [
            "4. JOURNEY",
            "Country / city of destination: ROMA",
            "Departure date: 26/05/2026 Retum date: 23/09/2026",
        ]
    )
    assert v["valid_from"] == ["2026-05-26"]
    assert v["valid_until"] == ["2026-09-23"]


@pytest.mark.parametrize(
    ("lines", "child", "adult"),
    [
        (  # "BM199409": its letters set apart at a wide gap
            [
                "The child Salma El-Amin (passport PS316031) may travel in the care of",
                "Margaux Moreau (identity document BM 199409).",
            ],
            "PS316031",
            "BM199409",
        ),
        (
            ["1. CHILD", "Full name: KARIM KHALIL", "Passport / ID card no.: X5 133336"],
            "X5133336",
            None,
        ),
        (["The child Salma El-Amin, passport ID 1234567."], "1234567", None),  # ID: a caption
        (  # the last characters set apart: "TM463 109", "Z5B5761 X5"
            [
                "I am the legal parent of Maja Sørensen (date of birth: 29/11/2023; passport",
                "number: TM463 109). I consent to my child travelling to London with",
                "Erik Sørensen (date of birth: 07/05/1976; identity document Z5B5761 X5).",
            ],
            "TM463109",
            "Z5B5761X5",
        ),
        # the next section's number or a date after a whole number is not part of it
        (
            ["1. CHILD", "Full name: KARIM KHALIL", "Passport no.: X5133336 2. PARENT"],
            "X5133336",
            None,
        ),
        (["The child Karim Khalil, passport AB123456 12 March 2020."], "AB123456", None),
    ],
)
def test_a_number_ocr_split_in_two_is_joined_where_its_caption_is_right_before(
    lines: list[str], child: str, adult: str | None
) -> None:
    v = _values(lines)
    assert v["child_document_number"] == [child]
    assert v.get("adult_document_number") == ([adult] if adult else None)


def test_a_dollar_sign_in_a_number_is_read_as_the_s_or_5_it_is() -> None:
    """Tesseract reads an S or 5 with a stroke through as ``$``: "G$956834" is a number."""
    v = _values(["The child Priya Patel (date of birth 8 February 2012; passport G$956834)."])
    assert v["child_document_number"] == ["GS956834"]


def test_a_section_on_the_person_accompanying_the_minor_names_the_adult() -> None:
    """The child word at the end of the heading is the object of "accompanying"."""
    v = _values(
        [
            "1. ENFANT MINEUR",
            "Nom et prénom(s) Camille Inès ROUSSEAU",
            "3. PERSONNE ACCOMPAGNANT LE MINEUR",
            "Nom et prénom(s) Théo MOREAU",
        ]
    )
    assert v["child_name"] == ["Camille Inès ROUSSEAU"]
    assert v["adult_name"] == ["Théo MOREAU"]


def test_german_form_labels_with_values_below() -> None:
    v = _values(
        [
            "EINVERSTÄNDNISERKLÄRUNG FÜR DIE REISE EINES KINDES",
            "1. KIND",
            "Name des Kindes",
            "Lukas Weiss",
            "Geburtsdatum",
            "17.09.2013",
            "2. BEGLEITPERSON",
            "Name",
            "Hannah Brandt",
            "Reiseziel: Wien",
        ]
    )
    assert v["child_name"] == ["Lukas Weiss"]
    assert v["child_birth_date"] == ["2013-09-17"]
    assert v["adult_name"] == ["Hannah Brandt"]
    assert v["destination"] == ["Wien"]


def test_a_b_read_as_a_thorn_still_cues_a_birth_date() -> None:
    v = _values(
        [
            "MINOR TRAVEL CONSENT FORM",
            "1. CHILD",
            "Full name: Freja Þórsson",
            "Date of þirth: 10/10/2020",
            "3. ACCOMPANYING ADULT",
            "Full name: Solveig Þórsson",
            "Date of þirth: 18/01/1990",
        ]
    )
    assert v["child_birth_date"] == ["2020-10-10"]
    assert v["adult_birth_date"] == ["1990-01-18"]
    assert v["child_name"] == ["Freja Þórsson"]


def test_a_date_of_birth_caption_garbled_on_small_print_still_cues_a_birth_date() -> None:
    """Phone photos garble a form's small captions ("Daie otbith", "Date of torth"); the dates
    under them are still dates of birth, not the letter's own date."""
    v = _values(
        [
            "MINOR TRAVEL CONSENT FORM",
            "1. CHILD",
            "Full name: Freja Åberg",
            "Daie otbith:. 10/10/2020 Piacootbin: Ålesund",
            "3. ACCOMPANYING ADULT",
            "Ful nme: Åsa Maja Åberg",
            "Date of torth 18/01/2000",
            "5. DECLARATION",
            "Place: Ålesund Date: 18/03/2026",
        ]
    )
    assert v["child_birth_date"] == ["2020-10-10"]
    assert v["adult_birth_date"] == ["2000-01-18"]
    assert v["issue_date"] == ["2026-03-18"]


FORM_EN = [
    "MINOR TRAVEL CONSENT FORM",
    "1. CHILD",
    "Full name: Hüseyin Doğan",
    "Date oriin: 23/06/2013",
    "2. PARENT(S) OR LEGAL GUARDIAN(S)",
    "Name: Gülsen Özge Doğan",
    "3. ACCOMPANYING ADULT",
    "Full name: Sophie Müller",
    "5. DECLARATION",
    "Place: Ankara Date: 03/03/2026",
    "FOR OFFICIAL USE ONLY",
    "Authorty: Registry Office Ankara Stamp and signature",
]


def test_form_place_and_date_is_the_issue_date() -> None:
    # The child's date of birth, its label misread, comes first; the declaration's date wins.
    _, found = read_letter_text(_words(FORM_EN))
    (issued,) = [f for f in found if f.name == "issue_date"]
    assert issued.value == "2026-03-03" and issued.tie >= 0.85


def test_an_uncued_date_years_before_the_letters_own_is_no_issue_date() -> None:
    # A phone photo of a form: the small captions garbled, the child's birth date comes first.
    v = _values(
        [
            "MINOR TRAVEL CONSENT FORM",
            "1 omo fasma RANIA MANSOUR oseon 26/09/2014 naed HOMS",
            "Departure date: 25/07/2026 Return date: 18/08/2026",
            "5. DECLARATION næs ALEPPO ome 20/07/2026",
        ]
    )
    assert v["issue_date"] == ["2026-07-20"]


def test_a_journeys_end_under_a_justified_line_of_prose_ends_the_journey() -> None:
    # The line above the date, stretched to the margin, is as wide apart between every word as
    # a form's columns of captions: it is prose, and its "on" does not make the date an issue
    # date; the "and" before the date ends the journey.
    lines = [
        ("We authorise Anna Berg, born 3 May 1980, to accompany the said minor", 20),
        ("on a journey to Berlin between 27 June 2025 and", 90),
        ("25 December 2025 inclusive.", 20),
        ("Signed at Ankara on 27 June 2025.", 20),
    ]
    _, found = read_letter_text(_spaced([[(t, gap) for t in line.split()] for line, gap in lines]))
    v = {f.name: f.value for f in found}
    assert v["valid_until"] == "2025-12-25"
    assert v["issue_date"] == "2025-06-27"


def test_a_name_glued_to_its_surname_and_born_read_bomm_still_name_the_adult() -> None:
    # OCR lost the space before a marked capital ("LanVŪ") and read "born" as "bomm".
    v = _values(
        [
            "IN THE MATTER OF the minor Huong Mai HOÀNG, born on 24/11/2019, holder of travel",
            "document no. N7127834, the child of Dúc NGUYĚN.",
            "UPON the application of LanVŪ, bomm on 12/08/1992, holder of identity document",
            "no. XN3387444, and upon reading the evidence filed,",
        ]
    )
    assert v["adult_name"] == ["Lan VŪ"]
    assert v["adult_birth_date"] == ["1992-08-12"]
    assert v["adult_document_number"] == ["XN3387444"]
    # a surname typed in mixed case or with one small letter first stays one word
    assert _values(["The child Anna McDONALD, born 3 May 2015"])["child_name"] == ["Anna McDONALD"]


def test_a_handwritten_date_and_number_split_at_narrow_gaps_are_read_whole() -> None:
    # A handwriting type's digits stand apart: OCR split "09/10/1975" and "G7P6602C1" at gaps
    # of a fifth of their height; type's own words stand a third of their height apart or more.
    row = [("Date", 20), ("of", 20), ("birth:", 60), ("09/10/19", 6), ("75", 60)]
    row += [("Passport", 20), ("no.:", 60), ("G", 5), ("7", 7), ("P6602C1", 20)]
    named = [(t, 20) for t in "The accompanying adult James Walker".split()]
    _, found = read_letter_text(_spaced([named, row]))
    v = {f.name: f.value for f in found}
    assert v["adult_birth_date"] == "1975-10-09"
    assert v["adult_document_number"] == "G7P6602C1"


def test_a_two_letter_surname_with_a_mark_is_no_article() -> None:
    # "Lê" folds to the French article "le", which a name never ends with; "Lê" it may.
    v = _values(
        [
            "We, the undersigned, consent to the journey of the child described below:",
            "Child's full name Paweł Wojciech Żak",
            "Accompanying adult Linh Lê",
            "Date of birth 13 September 1960",
            "Identity document no. H0E6498Y2",
        ]
    )
    assert v["adult_name"] == ["Linh Lê"]
    assert v["adult_document_number"] == ["H0E6498Y2"]
    assert _clean_name("Anna Berg le") == (0, 9)


def test_an_uncued_date_stays_the_issue_date_where_no_other_is() -> None:
    v = _values(["MINOR TRAVEL CONSENT FORM", "RANIA MANSOUR oseon 26/09/2014", "Until 18/08/2026"])
    assert v["issue_date"] == ["2014-09-26"]


def test_form_authority_label_misread_and_stamp_caption_dropped() -> None:
    assert _values(FORM_EN)["authority"] == ["Registry Office Ankara"]


def test_legal_guardians_heading_names_parents() -> None:
    v = _values(FORM_EN)
    assert v["parent_name"] == ["Gülsen Özge Doğan"]
    assert v["adult_name"] == ["Sophie Müller"]


def test_in_the_matter_of_is_not_a_name() -> None:
    v = _values(
        [
            "ORDER APPOINTING A GUARDIAN",
            "IN THE MATTER OF the minor Håkon Anders Jönsson, born on April 25, 2019,",
            "UPON the application of Søren Nils Jönsson, born on December 12, 1971,",
        ]
    )
    assert v["adult_name"] == ["Søren Nils Jönsson"]


def test_a_number_after_a_garbled_passport_caption_is_read() -> None:
    """A photographed form's "Passport / ID card no." read as "Paspor: Ocar" or "Pæsport Ocan"
    still cues the number after it."""
    child = _values(["1. CHILD", "Full name SEAN PATEL", "Paspor: Ocar PB751798"])
    adult = _values(
        ["3. ACCOMPANYING ADULT", "Full name PRIYA PATEL", "Born 14/03/2006 Pæsport Ocan M3545061"]
    )
    assert child["child_document_number"] == ["PB751798"]
    assert adult["adult_document_number"] == ["M3545061"]


def test_a_month_is_no_name_but_a_given_name_that_is_one_stays() -> None:
    assert _clean_name("Oktober NA") is None
    assert _clean_name("Octobre DUPONT") == (8, 14)
    assert _clean_name("August Weber") == (0, 12)


def test_rules_are_painted_out_but_blurred_text_is_not() -> None:
    gray = np.full((200, 600), 255, np.uint8)
    gray[50:53, 20:580] = 190  # a grey hairline rule
    gray[100:117, 20:580] = 60  # a line of text blurred into one dark band, x-height high
    out = _without_rules(gray)
    assert (out[50:53, 30:570] == 255).all()
    assert (out[105:112, 30:570] == 60).all()


def test_a_dotted_leader_is_painted_out_but_the_value_typed_over_it_is_not() -> None:
    """A form's ``Date of birth: ..........`` leader, its dots touching here and there, goes;
    the date over it and a sentence's full stops and hyphen stay."""
    gray = np.full((200, 900), 255, np.uint8)
    cv2.putText(gray, "07.11.2022", (260, 90), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    for x in range(240, 640, 5):
        gray[98:100, x : x + (4 if x % 35 == 0 else 2)] = 90  # specks, some run together
    cv2.putText(gray, "Ends. Two-fold. Here.", (40, 160), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    out = _without_rules(gray)
    assert (out[98:100, 245:635] == 255).all()
    assert (out[60:92] == gray[60:92]).all()
    assert (out[130:170] == gray[130:170]).all()


def _comb(gray: npt.NDArray[np.uint8], x: int, y: int, cells: int, pitch: int = 40) -> None:
    """A comb field drawn as forms print it: a box 44 px high, half-height walls between cells."""
    cv2.rectangle(gray, (x, y), (x + cells * pitch, y + 44), 120, 2)
    for k in range(1, cells):
        gray[y + 22 : y + 44, x + k * pitch : x + k * pitch + 2] = 120


def test_comb_walls_are_found_but_a_letter_on_the_rule_is_kept() -> None:
    gray = np.full((200, 1000), 255, np.uint8)
    _comb(gray, 20, 60, 12)
    _comb(gray, 520, 60, 10)  # a second comb on the same row
    gray[70:104, 75:79] = 30  # an "I" written in the second cell, its foot on the rule
    walls, combs = _combs(gray)
    assert [round(c.box[0], -1) for c in sorted(combs, key=lambda c: c.box)] == [20, 520]
    assert all(abs(c.pitch - 40) <= 1 for c in combs)
    assert all(c.box[1] <= 62 and c.box[1] + c.box[3] >= 102 for c in combs)
    assert walls[90, 140] and walls[90, 560]  # walls between cells
    assert walls[104, 300]  # the bottom rule, under the walls
    assert not walls[85:100, 75:79].any()


def test_ruled_columns_and_underlines_are_no_comb() -> None:
    gray = np.full((300, 900), 255, np.uint8)
    gray[100:102, 20:880] = 120  # an underline
    for x in range(40, 880, 170):  # a table's column rules, wider apart than any letter box
        gray[20:102, x : x + 2] = 120
    walls, combs = _combs(gray)
    assert combs == () and not walls.any()


def test_letters_of_a_comb_are_joined_into_its_words() -> None:
    comb = _Comb((100, 50, 400, 40), 40.0)
    letters = [Word(c, 0.9, (108 + 40 * i, 60, 22, 26), (1, 1, 1)) for i, c in enumerate("LAN")]
    after_gap = [
        Word("NG", 0.8, (268, 60, 62, 26), (1, 1, 1)),
        Word("UYEN", 0.7, (348, 60, 142, 26), (1, 1, 1)),
    ]
    outside = Word("Mother", 0.95, (600, 60, 80, 26), (1, 1, 1))
    joined = _joined_in_combs([*letters, *after_gap, outside], [comb])
    assert [w.text for w in joined] == ["LAN", "NGUYEN", "Mother"]
    assert joined[1].box == (268, 60, 222, 26)
    assert joined[0].confidence == pytest.approx(0.9)


def test_the_text_area_keeps_a_stamp_it_would_cut_whole() -> None:
    gray = np.full((1000, 800), 255, np.uint8)
    for y in range(100, 700, 25):  # lines of heavy print
        for x in range(100, 700, 40):
            gray[y : y + 18, x : x + 30] = 30
    # A round stamp below the text: its lower arc holds fewer than the outer 0.5 % of the ink.
    cv2.circle(gray, (600, 800), 80, 40, 3)
    _, _, x1, y1 = _text_area(gray)
    assert y1 >= 883 and x1 >= 683


def _sized(lines: list[tuple[str, int]]) -> list[Word]:
    """Words of literal text lines set in ``size`` px type (width 0.6 size per character)."""
    out, y = [], 10
    for n, (line, size) in enumerate(lines):
        x = 10
        for token in line.split():
            w = int(0.6 * size * len(token))
            out.append(Word(token, 0.95, (x, y, w, size), (1, 1, n)))
            x += w + size // 2
        y += int(1.6 * size)
    return out


BODY = [
    ("We, the undersigned Anna Weber, the mother of the minor Lukas Weber,", 20),
    ("born 17 September 2013, consent to his travel to Wien with Jonas Weber.", 20),
    ("Signed at Graz, den 3 April 2026.", 20),
] * 3


def test_the_letterhead_in_the_largest_type_names_the_issuer() -> None:
    head = [("Copy Shop Graz", 30), ("Civil Registry", 22), ("12 Main Street 8010 Graz", 16)]
    _, found = read_letter_text(_sized(head + [("TRAVEL CONSENT", 28)] + BODY))
    assert [f.value for f in found if f.name == "authority"] == ["Copy Shop Graz"]


def test_the_letterhead_above_its_department_names_the_issuer_in_any_reading_order() -> None:
    """Tesseract may return a letterhead's small second line ("Civil Registry") before its
    large first ("Copy Shop Graz"): the line standing above on the page is the issuer."""
    words = _sized([("Copy Shop Graz", 30), ("Civil Registry", 22), ("TRAVEL CONSENT", 28)] + BODY)
    _, found = read_letter_text([*words[3:5], *words[:3], *words[5:]])
    assert [f.value for f in found if f.name == "authority"] == ["Copy Shop Graz"]


def test_an_authority_in_the_largest_type_is_read_as_before() -> None:
    head = [("Standesamt Graz", 30), ("Abteilung Personenstand", 22)]
    _, found = read_letter_text(_sized(head + [("TRAVEL CONSENT", 28)] + BODY))
    assert [f.value for f in found if f.name == "authority"] == ["Standesamt Graz"]


def test_a_dateline_ties_the_issue_date_surely() -> None:
    _, found = read_letter_text(_sized(BODY))
    (issued,) = [f for f in found if f.name == "issue_date"]
    assert issued.value == "2026-04-03" and issued.tie >= 0.85


@pytest.mark.parametrize(
    "line", ["Geburtsort Wien", "Gemeinsames Sorgerecht", "BLOCK CAPITALS", "OFFICIAL USE ONLY"]
)
def test_form_labels_are_not_names(line: str) -> None:
    v = _values(["Name des Kindes", line, "Name des Kindes: Lukas Weiss"])
    assert line not in v.get("child_name", [])


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("child_birth_date", "|7 June 1984", "1984-06-07"),
        ("child_birth_date", "(02/01/2013.", "2013-01-02"),
        ("adult_document_number", "|83JV11691.", "83JV11691"),
        ("child_name", "' Minh Ðúc Ðăng. I", "Minh Ðúc Ðăng I"),
        ("adult_name", "+ Günther Zimmermann", "Günther Zimmermann"),
        ("child_birth_date", "no date", None),
    ],
)
def test_second_readings_drop_specks_before_normalising(
    name: str, text: str, value: str | None
) -> None:
    from docfraud.ocr.letter import _value_of

    assert _value_of(name, text) == value


@pytest.mark.parametrize(
    "text",
    [
        " ".join(PROSE_EN),
        "Autorisation parentale de voyage : l'enfant mineur voyagera avec sa tante.",
        "Einverständniserklärung: unser Kind darf mit der Großmutter nach Wien reisen.",
        "ORDER APPOINTING A GUARDIAN of the minor child",
        # a custody certificate whose "elterliche Sorge" OCR garbled: its other legal words stand
        "Negativbescheinigung. Es wird bescheinigt, dass die elterbche Sorge allein ausübt. "
        "Nach Angabe der Sorgeberechtigten reist das Kind vom 24.02.2026 bis zum 12.09.2026.",
    ],
)
def test_letters_are_recognised(text: str) -> None:
    assert is_letter_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "PASSPORT PASSEPORT Surname Nom Given names Date of birth 12 MAR 1980 Nationality",
        "IDENTITY CARD Name Date of expiry Signature of holder",
        "The quarterly report covers revenue, travel expenses and staffing.",
        "",
    ],
)
def test_other_pages_are_not_letters(text: str) -> None:
    assert not is_letter_text(text)


def test_field_regions_cover_their_words() -> None:
    text, found = read_letter_text(_words(PROSE_EN))
    child = next(f for f in found if f.name == "child_name")
    assert text.text[child.start : child.end] == "Linnéa Solveig Åberg"


# --- Whole pages through tesseract ------------------------------------------------------------


def _labels() -> dict[str, dict[str, Any]]:
    lines = (SAMPLES / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    return {d["id"]: d for d in map(json.loads, lines)}


def _overlap(a: tuple[int, int, int, int], b: list[int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


@pytest.mark.slow
@pytest.mark.tesseract
def test_scanned_letter_against_its_labels() -> None:
    label = _labels()["000024_letter"]
    bgr = cv2.imread(str(SAMPLES / label["file"]), cv2.IMREAD_COLOR)
    reading = read_letter(np.asarray(bgr, dtype=np.uint8), None)
    assert reading is not None
    assert reading.kind == "travel_consent"
    assert reading.language == "en"
    truth = {z["name"]: z for z in label["zones"]}
    for name in ("child_birth_date", "adult_birth_date", "valid_from", "valid_until", "issue_date"):
        got = reading.get(name)
        assert got is not None and got.value is not None, name
        assert date.fromisoformat(got.value) == parse_date(truth[name]["text"]), name
        assert _overlap(got.region.box, truth[name]["box"]), name
    for name in ("child_document_number", "adult_document_number"):
        got = reading.get(name)
        assert got is not None and got.value == truth[name]["text"], name
    for name in ("adult_name", "authority", "reference", "destination"):
        got = reading.get(name)
        assert got is not None and got.value is not None, name
        assert got.value.casefold() == truth[name]["text"].casefold(), name
    parents = {f.value for f in reading.get_all("parent_name")}
    assert "Søren Dahl-Ødegård" in parents
    assert reading.signatures
    assert all(0.0 < f.confidence <= 1.0 for f in reading.fields)


@pytest.mark.slow
@pytest.mark.tesseract
def test_passport_page_is_not_a_letter() -> None:
    bgr = cv2.imread(str(SAMPLES / "images" / "000001_page.jpg"), cv2.IMREAD_COLOR)
    assert read_letter(np.asarray(bgr, dtype=np.uint8), None) is None


def _rendered(seed: int, *, seal: bool, signature: bool) -> npt.NDArray[np.uint8]:
    rng = np.random.default_rng(seed)
    case = random_case(rng, scan_date=date(2026, 6, 1), case_id="t", plant=False)
    data = replace(case.letter, has_seal=seal, has_signature=signature)
    page = render_letter(rng, data)
    return np.asarray(cv2.cvtColor(page.rgb, cv2.COLOR_RGB2BGR), dtype=np.uint8)


@pytest.mark.slow
@pytest.mark.tesseract
def test_unsealed_unsigned_letter_has_no_marks() -> None:
    reading = read_letter(_rendered(5, seal=False, signature=False), None)
    assert reading is not None
    assert reading.seals == ()
    assert reading.signatures == ()


@pytest.mark.slow
@pytest.mark.tesseract
def test_sealed_letter_has_a_seal() -> None:
    reading = read_letter(_rendered(5, seal=True, signature=True), None)
    assert reading is not None
    assert reading.seals


@pytest.mark.slow
@pytest.mark.tesseract
def test_a_wrong_outline_falls_back_to_the_whole_picture(monkeypatch: pytest.MonkeyPatch) -> None:
    from docfraud.imaging.rectify import DocumentQuad
    from docfraud.ocr import letter

    bgr = _rendered(5, seal=True, signature=True)
    blank = DocumentQuad(((2.0, 2.0), (60.0, 2.0), (60.0, 40.0), (2.0, 40.0)), 0.001)
    monkeypatch.setattr(letter, "find_document", lambda gray: blank)  # the margin, not the page
    reading = read_letter(bgr, None)
    assert reading is not None and reading.get("child_name") is not None


def test_a_page_no_outline_stood_out_for_is_read_within_its_soft_edges(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No edge stood out by default and the whole picture reads poorly both ways up (the page is
    small on a textured table): the page within its soft edges is read, and kept. Here OCR
    "reads well" only an image that is mostly paper, so only that page can read well."""
    from docfraud.imaging.rectify import DocumentQuad
    from docfraud.ocr import letter

    picture = np.full((1000, 1400, 3), 120, np.uint8)
    picture[200:800, 300:750] = 245
    page = DocumentQuad(((300.0, 200.0), (749.0, 200.0), (749.0, 799.0), (300.0, 799.0)), 0.19)
    searched: list[bool] = []

    def find(gray: npt.NDArray[np.uint8], *, soft_edges: bool = False) -> DocumentQuad | None:
        searched.append(soft_edges)
        return page if soft_edges else None

    def read(image: npt.NDArray[np.uint8], **_: Any) -> list[Word]:
        sure = 0.95 if image.mean() > 200 else 0.3
        return [Word("consent", sure, (10, 10 + 20 * i, 80, 15), (1, 1, i)) for i in range(30)]

    monkeypatch.setattr(letter, "find_document", find)
    monkeypatch.setattr(letter, "read_words", read)
    kept, words = letter._read_page(picture, None)
    assert searched == [False, True]
    assert kept.gray.mean() > 200 and all(w.confidence == 0.95 for w in words)


@pytest.mark.slow
@pytest.mark.tesseract
def test_an_upside_down_letter_above_a_denser_sheet_is_turned_round() -> None:
    """The letter lies turned round on a sheet of dashes, the densest ink of the picture: the
    page reads poorly as it lies, so it is read turned round too, and that reading kept."""
    turned = _rendered(5, seal=True, signature=True)[::-1, ::-1]
    height, width = turned.shape[:2]
    sheet = np.full((height // 8, width, 3), 255, np.uint8)
    for row, y in enumerate(range(14, sheet.shape[0], 16)):
        for x in range(5 + (row % 3) * 9, width - 30, 34):
            cv2.line(sheet, (x, y), (x + 22, y), (60, 60, 60), 3)
    reading = read_letter(np.ascontiguousarray(np.vstack([turned, sheet])), None)
    assert reading is not None and reading.get("child_document_number") is not None


@pytest.mark.slow
@pytest.mark.tesseract
def test_case_fields_are_read_a_second_time() -> None:
    reading = read_letter(_rendered(5, seal=True, signature=True), None)
    assert reading is not None
    again = [f for f in reading.fields if f.name in ("child_name", "child_birth_date")]
    assert again and all(f.alternatives for f in again)
    assert all(f.alternatives[0][1] == f.value for f in again if f.name.endswith("_date"))


@pytest.mark.slow
@pytest.mark.tesseract
def test_a_form_filled_in_one_capital_per_box_is_read() -> None:
    from docfraud.synth.letters import LetterKind

    rng = np.random.default_rng(12)
    case = random_case(rng, scan_date=date(2026, 6, 1), case_id="t", plant=False)
    page = render_letter(rng, replace(case.letter, kind=LetterKind.CONSENT_FORM), "comb")
    reading = read_letter(np.asarray(cv2.cvtColor(page.rgb, cv2.COLOR_RGB2BGR), dtype=np.uint8))
    assert reading is not None
    truth = {z.name: z.text for z in page.zones}
    for name in ("child_birth_date", "adult_birth_date", "valid_from", "valid_until"):
        got = reading.get(name)
        assert got is not None and got.value == parse_date(truth[name]).isoformat(), name
    for name in ("child_document_number", "adult_document_number"):
        got = reading.get(name)
        assert got is not None and got.value == truth[name], name
        assert got.alternatives and got.alternatives[0][1] == truth[name], name  # read twice
    adult = reading.get("adult_name")
    assert adult is not None and adult.value == truth["adult_name"].upper()


def _small_page() -> npt.NDArray[np.uint8]:
    """A page as the orientation search sees it (about 900 px high): lines longer than half
    its width, glyphs a few pixels tall, many narrow ones (l, t, 1, I)."""
    gray = np.full((900, 640), 255, np.uint8)
    line = "I, the undersigned, little Lilli, hereby authorise 1111 travel till 11 July"
    for y in range(120, 700, 16):
        cv2.putText(gray, line, (40, y), cv2.FONT_HERSHEY_SIMPLEX, 0.36, 0, 1, cv2.LINE_AA)
    return gray


def test_lines_longer_than_half_the_page_read_as_horizontal() -> None:
    from docfraud.ocr.letter import _horizontal_text, _ink

    ink = _ink(_small_page())
    assert _horizontal_text(ink)
    assert not _horizontal_text(np.ascontiguousarray(ink.T))


def test_parents_who_jointly_exercise_parental_responsibility() -> None:
    v = _values(
        [
            "It is certified, by the records of this office, that Anders Nils Åberg and",
            "Bjørn Nyström jointly exercise parental responsibility for the child",
            "Ingrid Åberg, born on 14 June 2020 in Malmö.",
        ]
    )
    assert sorted(v["parent_name"]) == ["Anders Nils Åberg", "Bjørn Nyström"]
    assert v["child_name"] == ["Ingrid Åberg"]


@pytest.mark.parametrize("captions", ["Departure date Return date", "Departure date Retur date"])
def test_dates_under_a_row_of_captions_take_their_own_caption(captions: str) -> None:
    """Also where OCR lost the last letter of "Return" on a small caption."""
    v = _values(["TRAVEL CONSENT FORM", captions, "04/07/2026 24/07/2026"])
    assert v["valid_from"] == ["2026-07-04"]
    assert v["valid_until"] == ["2026-07-24"]


def test_a_date_wrapped_to_a_new_line_of_prose_keeps_the_cue_before_it() -> None:
    v = _values(
        [
            "I consent to my child Amira NASSER travelling to Oslo with Karim NASSER (born:",
            "2 May 1979; passport number: S2271839). The child departs on 9 July 2026.",
        ]
    )
    assert v["adult_birth_date"] == ["1979-05-02"]


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("sj Notary Public MacLeod", "Notary Public MacLeod"),  # an emblem's edge read as "sj"
        ("5s Department of Home Affairs", "Department of Home Affairs"),
        ("e Civil Registry", "Civil Registry"),
        ("van der Berg Notaris", "van der Berg Notaris"),  # particles stay
        ("Registry Office Lagos", "Registry Office Lagos"),
    ],
)
def test_specks_before_a_letterhead_are_dropped(line: str, kept: str) -> None:
    from docfraud.ocr.letter import _specks

    assert line[_specks(line) :] == kept


def test_a_reference_line_is_not_the_authority() -> None:
    head = [("Notarial Ref.: 45/39964 Dated: 22/04/2026", 20), ("Notary Public Hughes, Graz", 20)]
    _, found = read_letter_text(_sized(head + [("TRAVEL CONSENT", 28)] + BODY))
    assert [f.value for f in found if f.name == "authority"] == ["Notary Public Hughes, Graz"]


@pytest.mark.parametrize(
    "lines",
    [
        [
            "BESCHLUSS",
            "Jana KRÁLOVÁ, geboren am 3. Mai 1979, Ausweis-Nr. L01X00T47, ist durch",
            "Beschluss des Familiengerichts Bad Kissingen zum WVormund für das Kind Tomáš NOVÁK,",
            "geboren am 1. Juni 2012 in Brno, Reisepass-Nr. 41866218, bestellt worden.",
        ],
        [
            "ORDER",
            "Jana Králová, born 3 May 1979, document no. L01X00T47, is hereby appointed",
            "guardian of the child Tomáš Novák, born 1 June 2012 in Brno, passport no.",
            "41866218.",
        ],
        [  # a register's "Surname, Given" in mixed case, the guardian's too
            "BESCHLUSS",
            "Králová, Jana, geboren am 03.05.1979, Ausweis-Nr. L01X00T47, ist durch Beschluss",
            "des Familiengerichts zum Vormund für das Kind Novák, Tomáš, geboren am 01.06.2012",
            "in Brno, Reisepass-Nr. 41866218, bestellt worden.",
        ],
    ],
)
def test_a_person_named_before_being_appointed_guardian_is_the_adult(lines: list[str]) -> None:
    """Court orders name the guardian first and the appointment after ("X, geboren am …, ist
    … zum Vormund … bestellt"): X's date and number are the adult's, not the child's. The
    court's town between is not the one appointed; the German line has the OCR's doubled first
    letter ("WVormund")."""
    v = _values(lines)
    assert [" ".join(sorted(n.upper().replace(",", "").split())) for n in v["adult_name"]] == [
        "JANA KRÁLOVÁ"
    ]
    assert [" ".join(sorted(n.upper().replace(",", "").split())) for n in v["child_name"]] == [
        "NOVÁK TOMÁŠ"
    ]
    assert v["adult_birth_date"] == ["1979-05-03"]
    assert v["adult_document_number"] == ["L01X00T47"]
    assert v["child_birth_date"] == ["2012-06-01"]
    assert v["child_document_number"] == ["41866218"]
