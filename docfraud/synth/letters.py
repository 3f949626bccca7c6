"""Guardianship and parental-consent letters: the papers that take a child across a border.

Smugglers forge these to take children across borders: a court order naming a "guardian", a
notarised travel consent, a custody certificate or a filled-in consent form. Each is rendered on an
A4 page in English, French or German, in one of several letterhead or form layouts and wordings,
with every data-bearing text labelled as a :class:`~docfraud.synth.records.Zone` (exact printed
text and :class:`~docfraud.synth.records.TextStyle`) so a forgery can erase and retype it.

Random choices come in a fixed order from the caller's generator; signatures and stamps draw from
a generator split off first, so switching ``has_seal``/``has_signature`` changes nothing else on
the page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import lru_cache

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from docfraud.synth.ink import has_glyph, ink_box, load_font
from docfraud.synth.marks import draw_rect_stamp, draw_seal, draw_signature, stamp_colour
from docfraud.synth.records import DocKind, Page, Person, Side, TextStyle, Zone
from docfraud.types import Box

Alpha = npt.NDArray[np.float32]
Rgb = npt.NDArray[np.uint8]
Colour = tuple[int, int, int]

A4_MM = (210.0, 297.0)
LETTER_WIDTH_PX = 1000
LETTER_PX_PER_MM = LETTER_WIDTH_PX / A4_MM[0]
"""About 4.76 px/mm (121 dpi): an A4 letter 1000 px wide, as a phone photo of one resolves it."""
LETTER_HEIGHT_PX = round(A4_MM[1] * LETTER_PX_PER_MM)
LANGUAGES = ("en", "fr", "de")


class LetterKind(StrEnum):
    COURT_ORDER = "court_order"
    """A family court appoints the accompanying adult guardian and lets them travel."""
    TRAVEL_CONSENT = "travel_consent"
    """The parents consent to the journey; a notary or town hall legalises their signatures."""
    CUSTODY_CERTIFICATE = "custody_certificate"
    """A registry office certifies who holds parental responsibility."""
    CONSENT_FORM = "consent_form"
    """A pre-printed form filled in by hand, with boxes, lines and checkboxes."""


@dataclass(frozen=True, slots=True)
class LetterData:
    """What a guardianship or consent letter says; the case builder makes it consistent (or not)."""

    kind: LetterKind
    language: str
    """``en``, ``fr`` or ``de``."""
    child: Person
    child_document_number: str
    adult: Person
    """The accompanying adult (the guardian of a court order)."""
    adult_document_number: str
    parents: tuple[Person, ...]
    """One or two authorising parents; may be empty for a court order (the court replaces them)."""
    authority: str
    """Court, notary or registry office as printed, e.g. ``Amtsgericht Köln``."""
    city: str
    """Where the authority sits and the letter was signed."""
    issuing_state: str
    """ICAO three-letter code of the authority's state."""
    issue_date: date
    valid_from: date
    """First day of the journey (or of validity)."""
    valid_until: date
    destination: str
    """Country or city of destination, as printed."""
    reference: str
    """Case, deed or register number."""
    has_seal: bool = True
    has_signature: bool = True


LAYOUTS: Mapping[LetterKind, tuple[str, ...]] = {
    LetterKind.COURT_ORDER: ("crest", "block", "table"),
    LetterKind.TRAVEL_CONSENT: ("crest", "block", "table"),
    LetterKind.CUSTODY_CERTIFICATE: ("crest", "block", "table"),
    LetterKind.CONSENT_FORM: ("boxes", "lines", "comb"),
}
"""Layouts per kind: ``crest`` (centred emblem, serif, justified prose), ``block`` (left
letterhead, reference block, ragged prose), ``table`` (particulars in a ruled table), and for forms
``boxes`` (labelled boxes), ``lines`` (dotted lines) and ``comb`` (one box per capital letter)."""

LETTER_TEMPLATES: tuple[str, ...] = tuple(
    f"letter_{kind}_{layout}" for kind in LetterKind for layout in LAYOUTS[kind]
)
"""Every template name :func:`render_letter` can produce, so a dataset can split by template."""

# --- Dates and names ------------------------------------------------------------------------

MONTHS: Mapping[str, tuple[str, ...]] = {
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ),
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ),
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
        "Oktober", "November", "Dezember",
    ),
}  # fmt: skip
DATE_STYLES: Mapping[str, tuple[str, ...]] = {
    "en": ("long", "numeric", "us"),
    "fr": ("long", "numeric"),
    "de": ("long", "numeric"),
}
"""Date styles each language prints: ``long`` (month in words), ``numeric``, ``us`` (March 12)."""


def format_date(day: date, language: str, style: str = "long") -> str:
    """``day`` the way a letter in ``language`` prints it.

    >>> format_date(date(2026, 3, 12), "en"), format_date(date(2026, 3, 12), "de")
    ('12 March 2026', '12. März 2026')
    >>> format_date(date(2026, 3, 1), "fr"), format_date(date(2026, 3, 12), "de", "numeric")
    ('1er mars 2026', '12.03.2026')
    """
    month = MONTHS[language][day.month - 1]
    if style == "numeric":
        sep = "." if language == "de" else "/"
        return f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"
    if style == "us":
        return f"{month} {day.day}, {day.year}"
    if language == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    if language == "de":
        return f"{day.day}. {month} {day.year}"
    return f"{day.day} {month} {day.year}"


NAME_STYLES = ("given_SURNAME", "given_surname", "SURNAME_given", "surname_comma_given")
_LANGUAGE_NAME_STYLES: Mapping[str, tuple[str, ...]] = {
    "en": ("given_SURNAME", "given_surname", "given_surname"),
    "fr": ("given_SURNAME", "SURNAME_given", "given_SURNAME"),
    "de": ("given_surname", "surname_comma_given", "given_SURNAME"),
}


def format_name(person: Person, style: str) -> str:
    """A person's name in one of :data:`NAME_STYLES` (French letters capitalise the surname).

    >>> p = Person("Weiß", "Anna Lena", "F", date(2015, 1, 2), "Köln", "D", 1)
    >>> format_name(p, "given_SURNAME"), format_name(p, "surname_comma_given")
    ('Anna Lena WEISS', 'Weiß, Anna Lena')
    """
    if style == "given_SURNAME":
        return f"{person.given_names} {person.surname.upper()}"
    if style == "SURNAME_given":
        return f"{person.surname.upper()} {person.given_names}"
    if style == "surname_comma_given":
        return f"{person.surname}, {person.given_names}"
    return f"{person.given_names} {person.surname}"


# --- Wordings ---------------------------------------------------------------------------------
# Markers, resolved before layout: [n:one parent|two parents], [np:father|mother|two parents],
# [c:boy|girl] (child), [a:man|woman] (adult); <<...>> is kept only when parents are named.
# {field} becomes a zone; {parents} becomes the parent names joined by the language's "and".

_K = LetterKind
TITLES: Mapping[tuple[LetterKind, str], tuple[str, ...]] = {
    (_K.COURT_ORDER, "en"): ("ORDER", "GUARDIANSHIP ORDER", "ORDER APPOINTING A GUARDIAN"),
    (_K.COURT_ORDER, "fr"): (
        "ORDONNANCE",
        "ORDONNANCE DE TUTELLE",
        "JUGEMENT DE DÉLÉGATION DE L'AUTORITÉ PARENTALE",
    ),
    (_K.COURT_ORDER, "de"): ("BESCHLUSS", "BESTALLUNG ZUM VORMUND", "Beschluss"),
    (_K.TRAVEL_CONSENT, "en"): (
        "PARENTAL CONSENT TO TRAVEL",
        "Consent for a Minor to Travel Abroad",
        "TRAVEL AUTHORISATION FOR A MINOR",
    ),
    (_K.TRAVEL_CONSENT, "fr"): (
        "AUTORISATION PARENTALE DE VOYAGE",
        "AUTORISATION DE SORTIE DU TERRITOIRE",
        "Attestation d'autorisation de voyage d'un mineur",
    ),
    (_K.TRAVEL_CONSENT, "de"): (
        "EINVERSTÄNDNISERKLÄRUNG",
        "Reisevollmacht für Minderjährige",
        "ZUSTIMMUNGSERKLÄRUNG DER SORGEBERECHTIGTEN",
    ),
    (_K.CUSTODY_CERTIFICATE, "en"): (
        "CERTIFICATE OF PARENTAL RESPONSIBILITY",
        "CUSTODY CERTIFICATE",
        "Certificate of Custody",
    ),
    (_K.CUSTODY_CERTIFICATE, "fr"): (
        "CERTIFICAT D'AUTORITÉ PARENTALE",
        "ATTESTATION D'EXERCICE DE L'AUTORITÉ PARENTALE",
        "Certificat de garde",
    ),
    (_K.CUSTODY_CERTIFICATE, "de"): (
        "SORGERECHTSBESCHEINIGUNG",
        "BESCHEINIGUNG ÜBER DIE ELTERLICHE SORGE",
        "Negativbescheinigung",
    ),
    (_K.CONSENT_FORM, "en"): ("CONSENT FORM – TRAVEL OF A MINOR", "MINOR TRAVEL CONSENT FORM"),
    (_K.CONSENT_FORM, "fr"): (
        "AUTORISATION DE SORTIE DU TERRITOIRE",
        "FORMULAIRE DE CONSENTEMENT PARENTAL",
    ),
    (_K.CONSENT_FORM, "de"): (
        "EINVERSTÄNDNISERKLÄRUNG ZUR REISE EINES KINDES",
        "ZUSTIMMUNG ZUR AUSLANDSREISE MINDERJÄHRIGER",
    ),
}
"""Titles per kind and language; no title is shared between languages."""

_NB = "\u00a0"
_VALEDICTIONS = frozenset({"Yours faithfully,", "Mit freundlichen Grüßen"})
"""Closing paragraphs after which no date line follows (the date goes to the top)."""
_WORDINGS: Mapping[tuple[LetterKind, str], tuple[tuple[str, ...], ...]] = {
    (_K.TRAVEL_CONSENT, "en"): (
        (
            "[n:I|We], the undersigned, {parents}, [np:the father|the mother|the parents] of "
            "{child_name}, born on {child_birth_date} in {child_birth_place}, holder of passport "
            "no. {child_document_number}, hereby give [n:my|our] full consent for [n:my|our] "
            "child to travel to {destination} from {valid_from} to {valid_until}.",
            "During the journey the child will be accompanied by {adult_name}, born on "
            "{adult_birth_date}, holder of identity document no. {adult_document_number}, whom "
            "[n:I|we] authorise to take all decisions necessary for the child's welfare, "
            "including consent to emergency medical treatment.",
            "This authorisation is valid only for the period stated above. [n:I am|We are] "
            "available to confirm it to any authority on request.",
        ),
        (
            "To whom it may concern,",
            "[n:I|We], {parents}, confirm that [n:I am the legal parent|we are the legal parents] "
            "of {child_name} (date of birth: {child_birth_date}; passport number: "
            "{child_document_number}).",
            "[n:I|We] consent to [n:my|our] child travelling to {destination} with {adult_name} "
            "(date of birth: {adult_birth_date}; passport number: {adult_document_number}). The "
            "child will depart on {valid_from} and return on {valid_until}.",
            "[n:I|We] declare that the information given above is true and complete.",
            "Yours faithfully,",
        ),
        (
            "KNOW ALL PERSONS BY THESE PRESENTS that [n:I|we], {parents}, being the lawful "
            "[n:parent|parents] of the minor {child_name}, born {child_birth_date} at "
            "{child_birth_place}, travel document no. {child_document_number}, do hereby "
            "authorise and empower {adult_name}, born {adult_birth_date}, holder of document "
            "no. {adult_document_number}, to accompany the said minor on a journey to "
            "{destination} between {valid_from} and {valid_until} inclusive.",
            "[n:I|We] further authorise the accompanying person to act on [n:my|our] behalf "
            "before the immigration, customs and border authorities of any country of transit "
            "or destination.",
        ),
    ),
    (_K.TRAVEL_CONSENT, "fr"): (
        (
            "[n:Je soussigné(e)|Nous soussignés], {parents}, [np:père|mère|parents] de l'enfant "
            "{child_name}, [c:né|née] le {child_birth_date} à {child_birth_place}, titulaire du "
            "passeport n° {child_document_number}, [n:autorise|autorisons] [n:mon|notre] enfant "
            f"à quitter le territoire national (destination{_NB}: {{destination}}) du "
            "{valid_from} au {valid_until}.",
            "Durant ce séjour, l'enfant sera [c:accompagné|accompagnée] de {adult_name}, "
            "[a:né|née] le {adult_birth_date}, titulaire de la pièce d'identité n° "
            "{adult_document_number}, à qui [n:je donne|nous donnons] tout pouvoir pour prendre "
            "les décisions nécessaires, y compris en cas d'urgence médicale.",
            "La présente autorisation est valable pour la seule durée du voyage indiqué ci-dessus.",
            "Pour servir et valoir ce que de droit.",
        ),
        (
            "Madame, Monsieur,",
            "[n:Je soussigné(e)|Nous soussignés] {parents}, [n:titulaire|titulaires] de "
            "l'autorité parentale sur l'enfant {child_name}, [c:né|née] le {child_birth_date}, "
            "passeport n° {child_document_number}, [n:déclare|déclarons] autoriser [n:mon|notre] "
            "enfant à voyager en compagnie de {adult_name}, [a:né|née] le {adult_birth_date}, "
            "pièce d'identité n° {adult_document_number}.",
            f"Le voyage aura lieu du {{valid_from}} au {{valid_until}}, à destination de{_NB}: "
            "{destination}.",
            "[n:J'atteste|Nous attestons] sur l'honneur l'exactitude des renseignements ci-dessus.",
        ),
        (
            "Par la présente, [n:je soussigné(e)|nous soussignés] {parents} [n:donne|donnons] "
            "[n:mon|notre] accord pour que [n:mon|notre] enfant mineur {child_name}, "
            "[c:né|née] le {child_birth_date} à {child_birth_place} (document de voyage n° "
            f"{{child_document_number}}), se rende à l'étranger (destination{_NB}: "
            "{destination}), [c:accompagné|accompagnée] de {adult_name}, titulaire du document "
            "n° {adult_document_number}, pour la période du {valid_from} au {valid_until}.",
            "Fait pour servir et valoir ce que de droit.",
        ),
    ),
    (_K.TRAVEL_CONSENT, "de"): (
        (
            "Hiermit [n:erkläre ich|erklären wir], {parents}, als [np:sorgeberechtigter Vater|"
            "sorgeberechtigte Mutter|gemeinsam sorgeberechtigte Eltern] des Kindes {child_name}, "
            "geboren am {child_birth_date} in {child_birth_place}, Reisepass-Nr. "
            "{child_document_number}, [n:mein|unser] Einverständnis, dass [n:mein|unser] Kind in "
            "der Zeit vom {valid_from} bis zum {valid_until} ins Ausland reist (Reiseziel: "
            "{destination}).",
            "Das Kind wird auf der Reise begleitet von {adult_name}, geboren am "
            "{adult_birth_date}, Ausweis-Nr. {adult_document_number}. Die Begleitperson ist "
            "berechtigt, alle während der Reise notwendigen Entscheidungen für das Kind zu "
            "treffen, einschließlich der Einwilligung in ärztliche Notfallbehandlungen.",
            "Diese Erklärung gilt nur für den oben genannten Zeitraum.",
        ),
        (
            "Sehr geehrte Damen und Herren,",
            "[n:ich|wir], {parents}, [np:bin Inhaber|bin Inhaberin|sind gemeinsam Inhaber] der "
            "elterlichen Sorge für {child_name}, geb. am {child_birth_date}, Reisepass "
            "{child_document_number}.",
            "[n:Ich bevollmächtige|Wir bevollmächtigen] hiermit {adult_name}, geb. am "
            "{adult_birth_date}, Personalausweis-Nr. {adult_document_number}, [n:mein|unser] "
            "Kind vom {valid_from} bis {valid_until} auf einer Reise (Ziel: {destination}) zu "
            "begleiten.",
            "Mit freundlichen Grüßen",
        ),
        (
            "[n:Der/Die Unterzeichnende|Die Unterzeichnenden] {parents} [n:stimmt|stimmen] "
            "hiermit zu, dass das minderjährige Kind {child_name}, geboren am "
            "{child_birth_date} in {child_birth_place}, Reisedokument Nr. "
            "{child_document_number}, in Begleitung von {adult_name} (geboren am "
            "{adult_birth_date}, Dokument Nr. {adult_document_number}) vom {valid_from} bis zum "
            "{valid_until} in folgendes Land reist: {destination}.",
            "[n:Der/Die Unterzeichnende versichert|Die Unterzeichnenden versichern], dass keine "
            "gerichtliche Entscheidung entgegensteht.",
        ),
    ),
    (_K.COURT_ORDER, "en"): (
        (
            "IN THE MATTER OF the minor {child_name}, born on {child_birth_date}, holder of "
            "travel document no. {child_document_number}<<, the child of {parents}>>.",
            "UPON the application of {adult_name}, born on {adult_birth_date}, holder of "
            "identity document no. {adult_document_number}, and upon reading the evidence filed,",
            "IT IS ORDERED THAT:",
            "1. The applicant is appointed guardian of the child and shall have parental "
            "responsibility for the child.",
            "2. The guardian is permitted to remove the child from the jurisdiction for the "
            "purpose of travel to {destination} for the period from {valid_from} to "
            "{valid_until}.",
            "3. This order takes effect immediately.",
        ),
        (
            "Having considered the application and the evidence, the Court is satisfied that it "
            "is in the best interests of {child_name} (born {child_birth_date}; passport "
            "{child_document_number}) that a guardian be appointed.<< The child's "
            "[n:parent|parents], {parents}, [n:is|are] unable to exercise parental "
            "responsibility.>>",
            "The Court therefore appoints {adult_name} (born {adult_birth_date}; identity "
            "document {adult_document_number}) as guardian of the child, with authority to make "
            "all decisions concerning the child's upbringing.",
            "The guardian is authorised to travel with the child to {destination} between "
            "{valid_from} and {valid_until}.",
        ),
    ),
    (_K.COURT_ORDER, "fr"): (
        (
            "Nous, juge aux affaires familiales,",
            "Vu la requête présentée par {adult_name}, [a:né|née] le {adult_birth_date}, "
            f"titulaire de la pièce d'identité n° {{adult_document_number}}{_NB};",
            "Vu les pièces versées aux débats concernant l'enfant mineur {child_name}, "
            "[c:né|née] le {child_birth_date}, passeport n° {child_document_number}<<, "
            f"[c:fils|fille] de {{parents}}>>{_NB};",
            "Attendu qu'il est de l'intérêt de l'enfant de faire droit à la demande" + _NB + ";",
            "PAR CES MOTIFS,",
            "Désignons [a:le requérant|la requérante] en qualité de [a:tuteur|tutrice] de "
            f"l'enfant{_NB};",
            "Autorisons [a:le tuteur|la tutrice] à accompagner l'enfant lors d'un voyage à "
            f"l'étranger (destination{_NB}: {{destination}}) du {{valid_from}} au "
            f"{{valid_until}}{_NB};",
            "Disons que la présente ordonnance est exécutoire de droit à titre provisoire.",
        ),
        (
            "Le tribunal, statuant en chambre du conseil, après en avoir délibéré conformément "
            "à la loi,",
            "DÉLÈGUE l'exercice de l'autorité parentale sur l'enfant {child_name}, [c:né|née] le "
            "{child_birth_date} à {child_birth_place}, titulaire du passeport n° "
            "{child_document_number}<<, jusqu'ici exercée par {parents},>> à {adult_name}, "
            f"[a:né|née] le {{adult_birth_date}}, pièce d'identité n° {{adult_document_number}}"
            f"{_NB};",
            f"AUTORISE [a:le délégataire|la délégataire] à voyager avec l'enfant (destination{_NB}:"
            f" {{destination}}) pour la période du {{valid_from}} au {{valid_until}}{_NB};",
            "ORDONNE l'exécution provisoire de la présente décision.",
        ),
    ),
    (_K.COURT_ORDER, "de"): (
        (
            "In der Familiensache betreffend das minderjährige Kind {child_name}, geboren am "
            "{child_birth_date}, Reisepass-Nr. {child_document_number}<<, Kind von {parents}>>,",
            "hat das Familiengericht beschlossen:",
            "1. {adult_name}, geboren am {adult_birth_date}, Personalausweis-Nr. "
            "{adult_document_number}, wird zum Vormund des Kindes bestellt.",
            "2. Dem Vormund wird gestattet, mit dem Kind in der Zeit vom {valid_from} bis zum "
            "{valid_until} in das Ausland zu reisen (Reiseziel: {destination}).",
            "3. Der Beschluss ist sofort wirksam.",
            "Gründe: Die Bestellung eines Vormunds ist zum Wohl des Kindes erforderlich, da die "
            "Eltern die elterliche Sorge derzeit nicht ausüben können.",
        ),
        (
            "{adult_name}, geboren am {adult_birth_date}, Ausweis-Nr. {adult_document_number}, "
            "ist durch Beschluss des Familiengerichts zum Vormund für das Kind {child_name}, "
            "geboren am {child_birth_date} in {child_birth_place}, Reisepass-Nr. "
            "{child_document_number}, bestellt worden.<< [np:Der Vater des Kindes ist|Die Mutter "
            "des Kindes ist|Die Eltern des Kindes sind] {parents}.>>",
            "Der Vormund vertritt das Kind in allen Angelegenheiten. Er ist insbesondere "
            "berechtigt, mit dem Kind vom {valid_from} bis zum {valid_until} eine Reise "
            "(Reiseziel: {destination}) zu unternehmen.",
            "Diese Urkunde ist bei Beendigung des Amtes zurückzugeben.",
        ),
    ),
    (_K.CUSTODY_CERTIFICATE, "en"): (
        (
            "This is to certify that, according to the records held by this office, {parents} "
            "[n:exercises sole|jointly exercise] parental responsibility for the child "
            "{child_name}, born on {child_birth_date} in {child_birth_place}, passport no. "
            "{child_document_number}.",
            "[n:The parent named above has|The parents named above have] declared that the "
            "child will travel to {destination} between {valid_from} and {valid_until} "
            "accompanied by {adult_name}, born on {adult_birth_date}, holder of document no. "
            "{adult_document_number}.",
            "This certificate is issued at the request of the person concerned for presentation "
            "to border and immigration authorities.",
        ),
        (
            "It is hereby certified that no order has been registered removing or restricting "
            "the parental responsibility of {parents} in respect of {child_name} (date of birth "
            "{child_birth_date}; passport {child_document_number}).",
            "The child is permitted to travel to {destination} from {valid_from} to "
            "{valid_until} in the care of {adult_name} (identity document "
            "{adult_document_number}).",
            "Issued without alteration or erasure.",
        ),
    ),
    (_K.CUSTODY_CERTIFICATE, "fr"): (
        (
            "L'officier de l'état civil soussigné certifie que, d'après les registres détenus "
            "par ce service, {parents} [n:exerce seul(e)|exercent conjointement] l'autorité "
            "parentale sur l'enfant {child_name}, [c:né|née] le {child_birth_date} à "
            "{child_birth_place}, titulaire du passeport n° {child_document_number}.",
            "[n:Le parent susnommé a déclaré|Les parents susnommés ont déclaré] que l'enfant se "
            f"rendra à l'étranger (destination{_NB}: {{destination}}) du {{valid_from}} au "
            "{valid_until}, [c:accompagné|accompagnée] de {adult_name}, [a:né|née] le "
            "{adult_birth_date}, titulaire du document n° {adult_document_number}.",
            "Le présent certificat est délivré à la demande de l'intéressé(e) pour servir et "
            "valoir ce que de droit.",
        ),
        (
            "Il est certifié qu'aucune décision modifiant l'exercice de l'autorité parentale de "
            "{parents} à l'égard de l'enfant {child_name} ([c:né|née] le {child_birth_date}, "
            "passeport n° {child_document_number}) n'a été portée à la connaissance du service.",
            f"L'enfant est [c:autorisé|autorisée] à voyager (destination{_NB}: {{destination}}) du "
            "{valid_from} au {valid_until} sous la garde de {adult_name}, pièce d'identité n° "
            "{adult_document_number}.",
        ),
    ),
    (_K.CUSTODY_CERTIFICATE, "de"): (
        (
            "Es wird bescheinigt, dass {parents} die elterliche Sorge für das Kind "
            "{child_name}, geboren am {child_birth_date} in {child_birth_place}, Reisepass-Nr. "
            "{child_document_number}, [n:allein ausübt|gemeinsam ausüben].",
            "[n:Sorgeerklärungen wurden nicht abgegeben.|Eine gerichtliche Entscheidung über die "
            "elterliche Sorge ist hier nicht bekannt.]",
            "Nach Angabe der Sorgeberechtigten reist das Kind vom {valid_from} bis zum "
            "{valid_until} in Begleitung von {adult_name}, geboren am {adult_birth_date}, "
            "Ausweis-Nr. {adult_document_number} (Reiseziel: {destination}).",
            "Diese Bescheinigung wird zur Vorlage bei den Grenzbehörden erteilt.",
        ),
        (
            "Auf Antrag wird hiermit bestätigt, dass für das Kind {child_name} (geb. "
            "{child_birth_date}, Reisepass {child_document_number}) die elterliche Sorge "
            "[n:allein bei|gemeinsam bei] {parents} liegt.",
            "Gegen eine Reise des Kindes (Ziel: {destination}) vom {valid_from} bis "
            "{valid_until} in Begleitung von {adult_name}, Ausweis-Nr. {adult_document_number}, "
            "bestehen seitens der Sorgeberechtigten keine Einwände.",
        ),
    ),
}
"""Several wordings per prose kind and language, one tuple of paragraphs each."""

_TABLE_TEXT: Mapping[tuple[LetterKind, str], tuple[str, str]] = {
    (_K.TRAVEL_CONSENT, "en"): (
        "[n:I|We], the undersigned, hereby consent to the journey of the child described below:",
        "[n:I|We] confirm that [n:I hold|we hold] parental responsibility for the child and "
        "that the information above is correct.",
    ),
    (_K.TRAVEL_CONSENT, "fr"): (
        "[n:Je soussigné(e)|Nous soussignés] [n:autorise|autorisons] le voyage de l'enfant "
        f"désigné ci-dessous{_NB}:",
        "[n:J'atteste être titulaire|Nous attestons être titulaires] de l'autorité parentale et "
        "[n:certifie|certifions] l'exactitude des informations ci-dessus.",
    ),
    (_K.TRAVEL_CONSENT, "de"): (
        "[n:Ich erkläre|Wir erklären] hiermit [n:mein|unser] Einverständnis mit der Reise des "
        "nachstehend genannten Kindes:",
        "[n:Ich versichere, Inhaber der elterlichen Sorge zu sein, und bestätige|Wir versichern, "
        "Inhaber der elterlichen Sorge zu sein, und bestätigen] die Richtigkeit der Angaben.",
    ),
    (_K.COURT_ORDER, "en"): (
        "Upon the application of the person named below, the Court orders that the accompanying "
        "adult is appointed guardian of the child and may travel with the child as follows:",
        "This order takes effect immediately.",
    ),
    (_K.COURT_ORDER, "fr"): (
        "Sur requête, le tribunal désigne la personne accompagnatrice ci-dessous en qualité de "
        f"tuteur de l'enfant et l'autorise à voyager avec lui dans les conditions suivantes{_NB}:",
        "La présente ordonnance est exécutoire de droit à titre provisoire.",
    ),
    (_K.COURT_ORDER, "de"): (
        "Auf Antrag beschließt das Familiengericht: Die nachstehend genannte Begleitperson wird "
        "zum Vormund des Kindes bestellt und darf mit dem Kind wie folgt reisen:",
        "Der Beschluss ist sofort wirksam.",
    ),
    (_K.CUSTODY_CERTIFICATE, "en"): (
        "It is hereby certified, on the basis of the records held by this office, that:",
        "[n:The parent named above holds sole|The parents named above jointly hold] parental "
        "responsibility for the child.",
    ),
    (_K.CUSTODY_CERTIFICATE, "fr"): (
        f"Il est certifié, au vu des registres du service, que{_NB}:",
        "[n:Le parent désigné ci-dessus exerce seul(e)|Les parents désignés ci-dessus exercent "
        "conjointement] l'autorité parentale.",
    ),
    (_K.CUSTODY_CERTIFICATE, "de"): (
        "Aufgrund der hier vorliegenden Unterlagen wird bescheinigt:",
        "Die elterliche Sorge [n:steht der oben genannten Person allein zu|steht den oben "
        "genannten Personen gemeinsam zu].",
    ),
}
"""Intro and closing sentence around the particulars table."""

_ROW_LABELS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "child_name": "Child's full name",
        "child_birth_date": "Date of birth",
        "child_birth_place": "Place of birth",
        "child_document_number": "Passport / ID card no.",
        "parents": "Parent(s) with parental responsibility",
        "adult_name": "Accompanying adult",
        "adult_birth_date": "Date of birth",
        "adult_document_number": "Identity document no.",
        "destination": "Destination",
        "valid_from": "Date of departure",
        "valid_until": "Date of return",
    },
    "fr": {
        "child_name": "Nom et prénom(s) de l'enfant",
        "child_birth_date": "Date de naissance",
        "child_birth_place": "Lieu de naissance",
        "child_document_number": "N° du passeport ou de la CNI",
        "parents": "Titulaire(s) de l'autorité parentale",
        "adult_name": "Personne accompagnatrice",
        "adult_birth_date": "Date de naissance",
        "adult_document_number": "N° de la pièce d'identité",
        "destination": "Destination",
        "valid_from": "Date de départ",
        "valid_until": "Date de retour",
    },
    "de": {
        "child_name": "Name, Vorname(n) des Kindes",
        "child_birth_date": "Geburtsdatum",
        "child_birth_place": "Geburtsort",
        "child_document_number": "Reisepass-/Ausweisnummer",
        "parents": "Sorgeberechtigte(r)",
        "adult_name": "Begleitperson",
        "adult_birth_date": "Geburtsdatum",
        "adult_document_number": "Ausweisnummer",
        "destination": "Reiseziel",
        "valid_from": "Reisebeginn",
        "valid_until": "Reiseende",
    },
}

_KIND_WORDS: Mapping[tuple[LetterKind, str], Mapping[str, tuple[str, ...]]] = {
    (_K.COURT_ORDER, "en"): {
        "heading": ("SEALED COPY", "IN THE FAMILY COURT"),
        "dept": ("Family Court", "Family Division", "Guardianship Section"),
        "ref": ("Case No.", "Claim No.", "Ref.:"),
        "role": ("District Judge", "Judge of the Family Court", "By the Court"),
        "seal": ("FAMILY COURT", "SEAL OF THE COURT", ""),
    },
    (_K.COURT_ORDER, "fr"): {
        "heading": ("EXTRAIT DES MINUTES DU GREFFE", "COPIE EXÉCUTOIRE"),
        "dept": ("Juge aux affaires familiales", "Pôle famille", "Service des tutelles mineurs"),
        "ref": (f"N° RG{_NB}:", "Minute n°", f"Réf.{_NB}:"),
        "role": ("Le juge aux affaires familiales", "Le Président", "Le Greffier"),
        "seal": ("JUGE AUX AFFAIRES FAMILIALES", "GREFFE", ""),
    },
    (_K.COURT_ORDER, "de"): {
        "heading": ("Ausfertigung", "Beglaubigte Abschrift"),
        "dept": ("– Familiengericht –", "Abteilung für Familiensachen", "Familiengericht"),
        "ref": ("Az.:", "Geschäftsnummer:", "Aktenzeichen:"),
        "role": ("Richterin am Amtsgericht", "Richter am Amtsgericht", "Die Urkundsbeamtin"),
        "seal": ("FAMILIENGERICHT", "GESCHÄFTSSTELLE", ""),
    },
    (_K.TRAVEL_CONSENT, "en"): {
        "dept": ("Notary Public", "Notarial Office", "Commissioner for Oaths"),
        "ref": ("Ref.:", "Notarial ref.:", "Our ref.:"),
        "role": ("Notary Public", "Notary", "Commissioner for Oaths"),
        "seal": ("NOTARY PUBLIC", "NOTARY", ""),
    },
    (_K.TRAVEL_CONSENT, "fr"): {
        "dept": ("Office notarial", "Étude notariale", "Service des légalisations"),
        "ref": (f"Réf.{_NB}:", "Répertoire n°", f"N/Réf.{_NB}:"),
        "role": ("Le Notaire", "Le Notaire associé", "Pour le Notaire, le clerc habilité"),
        "seal": ("NOTAIRE", "LÉGALISATION", ""),
    },
    (_K.TRAVEL_CONSENT, "de"): {
        "dept": ("Notariat", "Notarin und Notar", "Beglaubigungsstelle"),
        "ref": ("UR-Nr.", "Urkundenrolle Nr.", "Az.:"),
        "role": ("Notarin", "Notar", "Im Auftrag"),
        "seal": ("NOTAR", "BEGLAUBIGT", ""),
    },
    (_K.CUSTODY_CERTIFICATE, "en"): {
        "dept": ("Civil Registry", "Register Office", "Family Records Office"),
        "ref": ("Ref.:", "Certificate No.", "Entry No."),
        "role": ("Registrar", "Superintendent Registrar", "Deputy Registrar"),
        "seal": ("REGISTRAR", "CIVIL REGISTRY", ""),
    },
    (_K.CUSTODY_CERTIFICATE, "fr"): {
        "dept": ("Service de l'état civil", "Mairie – État civil", "Service des affaires civiles"),
        "ref": (f"Réf.{_NB}:", "N° d'acte", f"N° de dossier{_NB}:"),
        "role": ("L'officier de l'état civil", "Pour le Maire, l'officier délégué", "Le Maire"),
        "seal": ("ÉTAT CIVIL", "MAIRIE", ""),
    },
    (_K.CUSTODY_CERTIFICATE, "de"): {
        "dept": ("Standesamt", "Jugendamt – Beurkundungen", "Bürgerservice – Personenstand"),
        "ref": ("Az.:", "Register-Nr.", "Geschäftszeichen:"),
        "role": ("Die Standesbeamtin", "Der Standesbeamte", "Im Auftrag"),
        "seal": ("STANDESAMT", "JUGENDAMT", ""),
    },
}
"""Letterhead department line, reference label, signatory's role and seal centre text."""

_LEX: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "en": {
        "and": (" and ",),
        "dateline": ("{city}, {issue_date}", "Dated: {issue_date}", "{city}, {issue_date}"),
        "closing": ("Signed at {city} on {issue_date}.", "Dated this {issue_date} at {city}."),
        "sig_parent": ("Signature of the {role}", "Signed ({role})", "Signature"),
        "role_f": ("mother",),
        "role_m": ("father",),
        "role_x": ("parent",),
        "legal": (
            "Signed in my presence by the above-named [n:person|persons], whose identity I have "
            "verified.",
            "I certify that the above [n:signature is|signatures are] genuine.",
        ),
        "copy": ("Certified a true copy", "Sealed by the Court"),
        "page": ("Page 1 of 1", "1/1", "- 1 -"),
        "tel": ("Tel.", "Telephone"),
        "streets": ("High Street", "Court Road", "Victoria Avenue", "Station Road", "Mill Lane"),
    },
    "fr": {
        "and": (" et ",),
        "dateline": ("{city}, le {issue_date}", "Fait à {city}, le {issue_date}"),
        "closing": ("Fait à {city}, le {issue_date}.", "Fait à {city} le {issue_date}"),
        "sig_parent": ("Signature du {role}", "Lu et approuvé, signature", "Signature"),
        "role_f": ("la mère",),
        "role_m": ("le père",),
        "role_x": ("le parent",),
        "legal": (
            "Vu pour légalisation [n:de la signature apposée|des signatures apposées] ci-dessus.",
            "Vu pour légalisation matérielle [n:de la signature|des signatures] "
            "[n:de la personne susnommée|des personnes susnommées].",
        ),
        "copy": ("Pour expédition conforme", "Pour copie certifiée conforme"),
        "page": ("Page 1/1", "1/1", "- 1 -"),
        "tel": ("Tél.", "Téléphone"),
        "streets": (
            "rue de la République",
            "place du Palais",
            "avenue Jean Jaurès",
            "boulevard Gambetta",
            "rue des Tribunaux",
        ),
    },
    "de": {
        "and": (" und ",),
        "dateline": ("{city}, den {issue_date}", "{city}, {issue_date}", "Datum: {issue_date}"),
        "closing": ("{city}, den {issue_date}", "Ausgestellt in {city} am {issue_date}."),
        "sig_parent": ("Unterschrift {role}", "Unterschrift", "(Unterschrift {role})"),
        "role_f": ("der Mutter",),
        "role_m": ("des Vaters",),
        "role_x": ("des Elternteils",),
        "legal": (
            "[n:Die vorstehende Unterschrift wurde|Die vorstehenden Unterschriften wurden] vor "
            "mir vollzogen und [n:wird|werden] hiermit beglaubigt.",
            "Die Echtheit [n:der vorstehenden Unterschrift|der vorstehenden Unterschriften] wird "
            "hiermit amtlich beglaubigt.",
        ),
        "copy": ("Ausgefertigt:", "Beglaubigt:"),
        "page": ("Seite 1 von 1", "1/1", "- 1 -"),
        "tel": ("Tel.", "Telefon"),
        "streets": (
            "Hauptstraße",
            "Gerichtsstraße",
            "Bahnhofstraße",
            "Schillerplatz",
            "Lindenallee",
        ),
    },
}

_FORM_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "body": "Department of Home Affairs",
        "sub": "Civil Status and Travel Documents",
        "form": "Form MT-{n}",
        "hint": "Please complete in BLOCK CAPITALS with black or blue ink.",
        "s_child": "1. CHILD",
        "s_parents": "2. PARENT(S) OR LEGAL GUARDIAN(S)",
        "s_adult": "3. ACCOMPANYING ADULT",
        "s_trip": "4. JOURNEY",
        "s_decl": "5. DECLARATION",
        "s_office": "FOR OFFICIAL USE ONLY",
        "name": "Full name",
        "birth_date": "Date of birth",
        "birth_place": "Place of birth",
        "doc": "Passport / ID card no.",
        "parent": "Name of parent {i}",
        "mother": "Mother",
        "father": "Father",
        "guardian": "Guardian",
        "joint": "Joint parental responsibility",
        "sole": "Sole parental responsibility",
        "destination": "Country / city of destination",
        "from": "Departure date",
        "until": "Return date",
        "decl": "I/We, the undersigned, authorise the child named in section 1 to travel with the "
        "adult named in section 3 on the journey described in section 4.",
        "place": "Place",
        "date": "Date",
        "sign": "Signature of parent {i}",
        "authority": "Authority",
        "reference": "Registration no.",
        "state": "State",
        "official": "Stamp and signature",
        "notice": (
            "The information on this form is used only to verify the consent of the persons "
            "with parental responsibility. False statements are punishable by law."
        ),
    },
    "fr": {
        "body": "Ministère de l'Intérieur",
        "sub": "Direction des libertés publiques",
        "form": "Formulaire n° {n}*01",
        "hint": "À compléter en lettres majuscules, à l'encre noire ou bleue.",
        "s_child": "1. ENFANT MINEUR",
        "s_parents": "2. TITULAIRE(S) DE L'AUTORITÉ PARENTALE",
        "s_adult": "3. PERSONNE ACCOMPAGNANT LE MINEUR",
        "s_trip": "4. VOYAGE",
        "s_decl": "5. DÉCLARATION",
        "s_office": "CADRE RÉSERVÉ À L'ADMINISTRATION",
        "name": "Nom et prénom(s)",
        "birth_date": "Date de naissance",
        "birth_place": "Lieu de naissance",
        "doc": "N° de passeport ou de CNI",
        "parent": "Nom et prénom(s) du parent {i}",
        "mother": "Mère",
        "father": "Père",
        "guardian": "Tuteur",
        "joint": "Autorité parentale conjointe",
        "sole": "Autorité parentale exclusive",
        "destination": "Pays / ville de destination",
        "from": "Date de départ",
        "until": "Date de retour",
        "decl": "Je/Nous soussigné(e)(s) autorise/autorisons l'enfant désigné à la rubrique 1 à "
        "voyager avec la personne désignée à la rubrique 3 dans les conditions de la rubrique 4.",
        "place": "Fait à",
        "date": "Le",
        "sign": "Signature du parent {i}",
        "authority": "Autorité",
        "reference": "N° d'enregistrement",
        "state": "État",
        "official": "Cachet et signature",
        "notice": (
            "Les informations recueillies servent uniquement à vérifier l'accord des "
            "titulaires de l'autorité parentale. Toute fausse déclaration est passible de "
            "sanctions pénales."
        ),
    },
    "de": {
        "body": "Ministerium des Innern",
        "sub": "Pass- und Meldewesen",
        "form": "Vordruck ER-{n}",
        "hint": "Bitte in Druckbuchstaben und mit dunkler Tinte ausfüllen.",
        "s_child": "1. ANGABEN ZUM KIND",
        "s_parents": "2. SORGEBERECHTIGTE",
        "s_adult": "3. BEGLEITPERSON",
        "s_trip": "4. ANGABEN ZUR REISE",
        "s_decl": "5. ERKLÄRUNG",
        "s_office": "NUR FÜR AMTLICHE VERMERKE",
        "name": "Name, Vorname(n)",
        "birth_date": "Geburtsdatum",
        "birth_place": "Geburtsort",
        "doc": "Reisepass-/Ausweisnummer",
        "parent": "Name, Vorname(n) Elternteil {i}",
        "mother": "Mutter",
        "father": "Vater",
        "guardian": "Vormund",
        "joint": "Gemeinsames Sorgerecht",
        "sole": "Alleiniges Sorgerecht",
        "destination": "Reiseziel (Land / Ort)",
        "from": "Reisebeginn",
        "until": "Reiseende",
        "decl": "Ich/Wir erkläre(n) mich/uns damit einverstanden, dass das unter 1. genannte Kind "
        "mit der unter 3. genannten Person die unter 4. beschriebene Reise unternimmt.",
        "place": "Ort",
        "date": "Datum",
        "sign": "Unterschrift Elternteil {i}",
        "authority": "Behörde",
        "reference": "Registernummer",
        "state": "Staat",
        "official": "Dienstsiegel und Unterschrift",
        "notice": (
            "Die Angaben dienen ausschließlich der Prüfung des Einverständnisses der "
            "Sorgeberechtigten. Falsche Angaben können strafrechtlich verfolgt werden."
        ),
    },
}

# --- Fonts --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Family:
    regular: str
    bold: str
    italic: str


_SERIF = (
    _Family("NimbusRoman-Regular.otf", "NimbusRoman-Bold.otf", "NimbusRoman-Italic.otf"),
    _Family(
        "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf"
    ),
    _Family("P052-Roman.otf", "P052-Bold.otf", "P052-Italic.otf"),
    _Family("URWBookman-Light.otf", "URWBookman-Demi.otf", "URWBookman-LightItalic.otf"),
    _Family("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"),
    _Family("C059-Roman.otf", "C059-Bold.otf", "C059-Italic.otf"),
)
_SANS = (
    _Family("NimbusSans-Regular.otf", "NimbusSans-Bold.otf", "NimbusSans-Italic.otf"),
    _Family("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf"),
    _Family("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"),
    _Family("URWGothic-Book.otf", "URWGothic-Demi.otf", "URWGothic-BookOblique.otf"),
    _Family("FreeSans.ttf", "FreeSansBold.ttf", "FreeSansOblique.ttf"),
)
_MONO = (
    _Family("NimbusMonoPS-Regular.otf", "NimbusMonoPS-Bold.otf", "NimbusMonoPS-Italic.otf"),
    _Family("LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf", "LiberationMono-Italic.ttf"),
)
_WIDE_SERIF = _Family("FreeSerif.ttf", "FreeSerifBold.ttf", "FreeSerifItalic.ttf")
_WIDE_SANS = _Family("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
"""Fallbacks that cover every name the people pools produce (Vietnamese included)."""
_SCRIPT_FONT = "Z003-MediumItalic.otf"
_HAND_FONTS = (
    "URWGothic-Book.otf",
    "NimbusSans-Regular.otf",
    "LiberationSans-Regular.ttf",
    "FreeSans.ttf",
)


def _covers(font: str, texts: Sequence[str]) -> bool:
    return all(has_glyph(font, c) for text in texts for c in set(text))


# --- Text resolution ----------------------------------------------------------------------------

_MARKER = re.compile(r"\[(np|n|c|a):([^\]]*)\]")
_OPTIONAL = re.compile(r"<<(.*?)>>", re.DOTALL)
_FIELD = re.compile(r"\{(\w+)\}")
_NUMBERED = re.compile(r"^(\d+\.)\s")
_NUMBER_SIGN = re.compile(r"(n°|no\.|Nr\.|No\.) (?=\{)")
"""A number sign stays on the line of its number."""


@dataclass(frozen=True, slots=True)
class _Texts:
    """Everything printed as data on one letter, formatted once in the letter's conventions."""

    values: Mapping[str, str]
    parents: tuple[str, ...]
    picks: Mapping[str, int]
    conjunction: str
    language: str

    def resolve(self, template: str) -> str:
        """Apply the grammatical markers and drop ``<<...>>`` when no parent is named."""
        text = _MARKER.sub(lambda m: m.group(2).split("|")[self.picks[m.group(1)]], template)
        text = _NUMBER_SIGN.sub(lambda m: m.group(1) + _NB, text)
        return _OPTIONAL.sub(lambda m: m.group(1) if self.parents else "", text)

    def segments(self, template: str) -> list[tuple[str, str]]:
        """``template`` as (text, zone name) runs; plain text has an empty zone name."""
        text = self.resolve(template)
        out: list[tuple[str, str]] = []
        pos = 0
        for m in _FIELD.finditer(text):
            if m.start() > pos:
                out.append((text[pos : m.start()], ""))
            if m.group(1) == "parents":
                for i, name in enumerate(self.parents):
                    if i:
                        sep = ", " if i < len(self.parents) - 1 else self.conjunction
                        out.append((sep, ""))
                    out.append((name, "parent_name"))
            else:
                out.append((self.values[m.group(1)], m.group(1)))
            pos = m.end()
        if pos < len(text):
            out.append((text[pos:], ""))
        return out


def _sex_pick(person: Person) -> int:
    return 1 if person.sex == "F" else 0


def _make_texts(rng: np.random.Generator, data: LetterData, form: bool) -> _Texts:
    """The letter's data as printed; forms are filled with numeric dates and plain names."""
    lang = data.language
    styles = ("numeric",) if form else DATE_STYLES[lang]
    date_style = styles[int(rng.integers(len(styles)))]
    names = ("given_surname",) if form else _LANGUAGE_NAME_STYLES[lang]
    name_style = names[int(rng.integers(len(names)))]

    def day(d: date) -> str:
        return format_date(d, lang, date_style)

    def name(p: Person) -> str:
        return format_name(p, name_style)

    values = {
        "child_name": name(data.child),
        "child_birth_date": day(data.child.birth_date),
        "child_birth_place": data.child.birth_place,
        "child_document_number": data.child_document_number,
        "adult_name": name(data.adult),
        "adult_birth_date": day(data.adult.birth_date),
        "adult_document_number": data.adult_document_number,
        "destination": data.destination,
        "valid_from": day(data.valid_from),
        "valid_until": day(data.valid_until),
        "issue_date": day(data.issue_date),
        "authority": data.authority,
        "city": data.city,
        "reference": data.reference,
        "issuing_state": data.issuing_state,
    }
    n = len(data.parents)
    picks = {
        "n": 0 if n <= 1 else 1,
        "np": 2 if n > 1 else _sex_pick(data.parents[0]) if n else 0,
        "c": _sex_pick(data.child),
        "a": _sex_pick(data.adult),
    }
    return _Texts(
        values=values,
        parents=tuple(name(p) for p in data.parents),
        picks=picks,
        conjunction=_LEX[lang]["and"][0],
        language=lang,
    )


def _choice(rng: np.random.Generator, options: Sequence[str]) -> str:
    return options[int(rng.integers(len(options)))]


# --- The sheet: paper, ink, zones ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Piece:
    """A run of text in one style; ``field`` names its zone (empty: not data)."""

    text: str
    style: TextStyle
    field: str = ""


Word = tuple[_Piece, ...]


@dataclass(frozen=True, slots=True)
class _SignatureSlot:
    box: Box
    name: str


@dataclass(frozen=True, slots=True)
class _SealSlot:
    box: Box
    """Where the stamp goes: a square for a round seal, the stamp's rectangle otherwise."""
    lines: tuple[str, ...]
    """Round seal: (ring text, centre text); rectangular stamp: its lines."""
    round: bool


@dataclass
class _Sheet:
    """The page under construction: its stationery, the printing to come, zones and mark slots.

    Stationery (paper, emblem, rules, a form's labels) prints at once onto ``background``; the
    rest is queued and printed over a copy of it by :meth:`finish`. Ink multiplies the paper, so
    the order does not matter, and the stationery is printed once instead of twice.
    """

    background: Rgb
    pending: list[Callable[[Rgb], None]] = field(default_factory=list)
    zones: list[Zone] = field(default_factory=list)
    signatures: list[_SignatureSlot] = field(default_factory=list)
    seals: list[_SealSlot] = field(default_factory=list)

    def ink(
        self,
        alpha: Alpha,
        colour: Colour,
        xy: tuple[int, int],
        *,
        preprinted: bool = False,
        opacity: float = 1.0,
    ) -> None:
        """Print ``alpha`` at ``xy``, as stationery or (queued) as the letter's own printing."""
        if preprinted:
            _blend(self.background, alpha, colour, xy, opacity)
        else:
            self.pending.append(lambda rgb: _blend(rgb, alpha, colour, xy, opacity))

    def tint(self, box: Box, colour: Colour, coverage: float, *, preprinted: bool = True) -> None:
        """Ink a whole rectangle at uniform ``coverage`` (rules, frames, shaded bars)."""
        if preprinted:
            _tint(self.background, box, colour, coverage)
        else:
            self.pending.append(lambda rgb: _tint(rgb, box, colour, coverage))

    def finish(self) -> Rgb:
        """The printed page: the stationery with everything queued printed over it."""
        rgb = self.background.copy()
        for job in self.pending:
            job(rgb)
        return rgb

    def rect(
        self, box: Box, colour: Colour, *, fill: float = 0.0, line: int = 1, preprinted: bool = True
    ) -> None:
        """A ruled rectangle, optionally tinted inside (``fill`` is the ink coverage)."""
        x, y, w, h = box
        if fill:
            self.tint(box, colour, fill, preprinted=preprinted)
        if line:
            for side in ((x, y, w, line), (x, y + h - line, w, line)):
                self.tint(side, colour, 1.0, preprinted=preprinted)
            for side in (
                (x, y + line, line, h - 2 * line),
                (x + w - line, y + line, line, h - 2 * line),
            ):
                self.tint(side, colour, 1.0, preprinted=preprinted)

    def rule(
        self, x0: int, x1: int, y: int, colour: Colour, line: int = 1, *, preprinted: bool = True
    ) -> None:
        self.tint((x0, y, max(1, x1 - x0), line), colour, 1.0, preprinted=preprinted)

    def dotted(
        self, x0: int, x1: int, y: int, colour: Colour, pitch: int, *, preprinted: bool = True
    ) -> None:
        """A dotted line to write or sign on."""
        alpha = np.zeros((1, max(1, x1 - x0)), np.float32)
        alpha[0, ::pitch] = 0.9
        alpha[0, 1::pitch] = 0.5
        self.ink(alpha, colour, (x0, y), preprinted=preprinted)


@lru_cache(maxsize=256)
def _tint_matrix(colour: Colour, coverage: float) -> npt.NDArray[np.float32]:
    """Per-channel scale of ink at ``coverage``: the diagonal matrix ``cv2.transform`` takes."""
    scale = np.diag([1.0 - coverage * (1.0 - c / 255.0) for c in colour]).astype(np.float32)
    scale.flags.writeable = False
    return scale


def _tint(rgb: Rgb, box: Box, colour: Colour, coverage: float) -> None:
    x, y, w, h = box
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(LETTER_WIDTH_PX, x + w), min(LETTER_HEIGHT_PX, y + h)
    if x1 > x0 and y1 > y0:
        rgb[y0:y1, x0:x1] = cv2.transform(rgb[y0:y1, x0:x1], _tint_matrix(colour, coverage))


def _blend(rgb: Rgb, alpha: Alpha, colour: Colour, xy: tuple[int, int], opacity: float) -> None:
    """:func:`ink.blend_ink` (ink multiplies the paper) in fewer passes, rounding to nearest.

    A letter prints about a hundred runs; OpenCV's saturating multiply halves their cost.
    """
    h, w = rgb.shape[:2]
    x, y = xy
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(w, x + alpha.shape[1]), min(h, y + alpha.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    a = alpha[y0 - y : y1 - y, x0 - x : x1 - x]
    factor = cv2.merge([1.0 - a * (opacity * (1.0 - c / 255.0)) for c in colour])
    rgb[y0:y1, x0:x1] = cv2.multiply(rgb[y0:y1, x0:x1], factor, dtype=cv2.CV_8U)


_SPARE = 64
"""Margin of the cached paper texture, so each page cuts it at a random offset."""


@lru_cache(maxsize=1)
def _white_paper() -> Rgb:
    """White paper texture with fibre, toner speckle and faint blotches, a page plus a margin.

    One fixed texture, tinted and cut at a random offset per page: a full-page noise field per
    letter would cost more than the whole layout.
    """
    shape = (LETTER_HEIGHT_PX + _SPARE, LETTER_WIDTH_PX + _SPARE)
    noise = np.random.default_rng(20260312).normal(0.0, 1.0, (2, *shape)).astype(np.float32)
    fibre = cv2.GaussianBlur(noise[0], (0, 0), 0.8)
    blotch = cv2.GaussianBlur(noise[1], (0, 0), 40.0)
    blotch *= 1.5 / max(float(np.abs(blotch).max()), 1e-6)
    grey = np.clip(252.5 - fibre * 1.6 - blotch, 0, 255).astype(np.uint8)
    paper = np.asarray(cv2.merge([grey, grey, grey]), dtype=np.uint8)
    paper.flags.writeable = False
    return paper


@dataclass(frozen=True, slots=True)
class _Paper:
    """Which sheet: tone (RGB scale of the white texture) and offset into the texture."""

    tone: tuple[float, float, float]
    dy: int
    dx: int

    def render(self) -> Rgb:
        """The blank sheet, (H, W, 3) uint8."""
        cut = _white_paper()[
            self.dy : self.dy + LETTER_HEIGHT_PX, self.dx : self.dx + LETTER_WIDTH_PX
        ]
        return np.asarray(cv2.transform(cut, np.diag(self.tone).astype(np.float32)), np.uint8)


def _pick_paper(rng: np.random.Generator) -> _Paper:
    level = rng.uniform(0.94, 1.0)
    warm = rng.uniform(0.0, 0.02)
    dy, dx = (int(v) for v in rng.integers(0, _SPARE, size=2))
    return _Paper((level, level * (1 - warm * 0.3), level * (1 - warm)), dy, dx)


def _ink_box(alpha: Alpha, xy: tuple[int, int], threshold: float = 0.05) -> Box | None:
    """:func:`ink.ink_box` clipped to the page; ``None`` when nothing shows."""
    x0, y0, bw, bh = ink_box(alpha, xy, threshold)
    if bw == 0:
        return None
    x1, y1 = x0 + bw, y0 + bh
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(LETTER_WIDTH_PX, x1), min(LETTER_HEIGHT_PX, y1)
    return (x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else None


# --- Typesetting ----------------------------------------------------------------------------------


_PHASES = 2
"""Sub-pixel positions (half pixels) glyphs and words are cached at."""


@lru_cache(maxsize=65536)
def _advance(font: str, size: int, text: str) -> float:
    """Advance width of ``text`` shaped as :func:`ink.text_alpha` shapes it (kerning, ligatures)."""
    return float(load_font(font, size).getlength(text))


@lru_cache(maxsize=16384)
def _plain_width(font: str, size: int, text: str) -> float:
    """Advance width of plain text: the sum of its letters, unkerned and unligated."""
    return sum(_advance(font, size, char) for char in text)


def _paste(canvas: Alpha, glyph: Alpha, x: int, y: int) -> None:
    """Ink ``glyph`` onto ``canvas`` with its top-left at (x, y), clipped; strokes merge (max)."""
    h, w = canvas.shape
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(w, x + glyph.shape[1]), min(h, y + glyph.shape[0])
    if x1 > x0 and y1 > y0:
        sub = glyph[y0 - y : y1 - y, x0 - x : x1 - x]
        np.maximum(canvas[y0:y1, x0:x1], sub, out=canvas[y0:y1, x0:x1])


@lru_cache(maxsize=65536)
def _glyph_ink(
    font: str, size: int, char: str, phase: int
) -> tuple[npt.NDArray[np.uint8], int, int]:
    """One letter rendered at sub-pixel ``phase``: its ink crop and offset from the pen."""
    canvas = Image.new("L", (3 * size, 3 * size), 0)
    pen = (size + phase / _PHASES, 2 * size)
    ImageDraw.Draw(canvas).text(pen, char, fill=255, font=load_font(font, size), anchor="ls")
    ink = np.asarray(canvas, dtype=np.uint8)
    rows = np.flatnonzero(ink.max(axis=1))
    cols = np.flatnonzero(ink.max(axis=0))
    if rows.size == 0:
        return np.zeros((0, 0), np.uint8), 0, 0
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1].copy()
    crop.flags.writeable = False
    return crop, int(cols[0]) - size, int(rows[0]) - 2 * size


def _piece_width(piece: _Piece) -> float:
    style = piece.style
    if piece.field:
        width = _advance(style.font, style.size_px, piece.text)
    else:
        width = _plain_width(style.font, style.size_px, piece.text)
    return width + style.tracking_px * len(piece.text)


def _word_width(word: Word) -> float:
    return sum(_piece_width(p) for p in word)


def _merge(canvas: npt.NDArray[np.uint8], ink: npt.NDArray[np.uint8], x: int, y: int) -> None:
    """Merge an ink crop into ``canvas`` at (x, y), clipped; overlapping strokes keep the darker."""
    h, w = canvas.shape
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(w, x + ink.shape[1]), min(h, y + ink.shape[0])
    if x1 > x0 and y1 > y0:
        region = canvas[y0:y1, x0:x1]
        np.maximum(region, ink[y0 - y : y1 - y, x0 - x : x1 - x], out=region)


def _set_plain(canvas: npt.NDArray[np.uint8], x: float, baseline: int, piece: _Piece) -> None:
    """Set a plain run letter by letter from cached glyphs, as office software prints by default
    (no kerning or ligatures; FreeType renders each letter once per size and half-pixel phase).
    """
    font, size, tracking = piece.style.font, piece.style.size_px, piece.style.tracking_px
    h, w = canvas.shape
    for char in piece.text:
        snapped = round(x * _PHASES) / _PHASES
        ix = int(snapped // 1)
        glyph, dx, dy = _glyph_ink(font, size, char, int((snapped - ix) * _PHASES))
        gx, gy = ix + dx, baseline + dy
        gh, gw = glyph.shape
        if gx >= 0 and gy >= 0 and gx + gw <= w and gy + gh <= h:
            region = canvas[gy : gy + gh, gx : gx + gw]
            np.maximum(region, glyph, out=region)
        else:
            _merge(canvas, glyph, gx, gy)
        x += _advance(font, size, char) + tracking


def _set_field(
    canvas: npt.NDArray[np.uint8], x: float, baseline: int, piece: _Piece
) -> tuple[Alpha, int]:
    """Render a data run with PIL as :func:`ink.text_alpha` does, merge it into ``canvas``.

    Returns:
        The run's own ink as float alpha (full canvas height) and the column it starts at.
    """
    style = piece.style
    pad = style.size_px
    left = max(0, int(np.floor(x)) - pad)
    width = min(canvas.shape[1] - left, int(np.ceil(_piece_width(piece))) + 2 * pad)
    own = Image.new("L", (width, canvas.shape[0]), 0)
    face = load_font(style.font, style.size_px)
    draw = ImageDraw.Draw(own)
    x -= left
    if style.tracking_px == 0.0:
        draw.text((x, baseline), piece.text, fill=255, font=face, anchor="ls")
    else:
        for char in piece.text:
            draw.text((x, baseline), char, fill=255, font=face, anchor="ls")
            x += face.getlength(char) + style.tracking_px
    ink = np.asarray(own, dtype=np.uint8)
    _merge(canvas, ink, left, 0)
    return ink.astype(np.float32) / np.float32(255.0), left


def _set_line(
    sheet: _Sheet,
    x: float,
    baseline: int,
    words: Sequence[Word],
    gaps: Sequence[float],
    *,
    preprinted: bool = False,
) -> Box | None:
    """Print ``words`` from ``x`` on ``baseline`` as one ink pass; ``gaps[k]`` precedes word k+1.

    Every piece with a ``field`` becomes a zone whose box is that piece's own ink.

    Returns:
        The ink box of the whole line, or None if nothing was printed.
    """
    pieces = [p for w in words for p in w]
    size = max(p.style.size_px for p in pieces)
    descent = max(load_font(p.style.font, p.style.size_px).getmetrics()[1] for p in pieces)
    above = size + 4  # accented capitals rise above the ascent (É: 0.95 em in URW faces)
    pad = size // 3 + 2
    total = sum(_word_width(w) for w in words) + sum(gaps)
    canvas = np.zeros((above + descent + 2, int(np.ceil(total)) + 2 * pad), np.uint8)
    origin = (int(np.floor(x)) - pad, baseline - above)
    cursor = x - origin[0]
    for k, word in enumerate(words):
        if k:
            cursor += gaps[k - 1]
        for piece in word:
            if piece.field:
                own, left = _set_field(canvas, cursor, above, piece)
                box = _ink_box(own, (origin[0] + left, origin[1]))
                if box is not None:
                    sheet.zones.append(Zone(piece.field, box, piece.text, piece.style))
            else:
                _set_plain(canvas, cursor, above, piece)
            cursor += _piece_width(piece)
    alpha = canvas.astype(np.float32) / np.float32(255.0)
    box = _ink_box(alpha, origin)
    if box is not None:
        x0, y0, w, h = box
        crop = alpha[y0 - origin[1] : y0 - origin[1] + h, x0 - origin[0] : x0 - origin[0] + w]
        sheet.ink(crop, pieces[0].style.colour, (x0, y0), preprinted=preprinted)
    return box


def _text(
    sheet: _Sheet,
    x: float,
    baseline: int,
    text: str,
    style: TextStyle,
    *,
    field: str = "",
    align: str = "left",
    preprinted: bool = False,
) -> Box | None:
    """One run of text, left/centre/right aligned on ``x``."""
    piece = _Piece(text, style, field)
    width = _piece_width(piece)
    start = x - width / 2 if align == "centre" else x - width if align == "right" else x
    return _set_line(sheet, start, baseline, [(piece,)], [], preprinted=preprinted)


def _line_of(
    sheet: _Sheet,
    x: float,
    baseline: int,
    segments: Sequence[tuple[str, str]],
    style: TextStyle,
    *,
    align: str = "left",
) -> Box | None:
    """A single line of mixed label and data runs in one style, spaces kept as printed."""
    pieces = tuple(_Piece(t, style, f) for t, f in segments if t)
    width = _word_width(pieces)
    start = x - width / 2 if align == "centre" else x - width if align == "right" else x
    return _set_line(sheet, start, baseline, [pieces], [])


_HYPHEN = re.compile(r"(?<=\w-)(?=\w)")
"""Where a compound may break across lines, after its hyphen ("Personalausweis-|Nr.")."""


def _words(
    segments: Sequence[tuple[str, str]],
    body: TextStyle,
    bold: TextStyle,
    bold_fields: frozenset[str],
) -> list[tuple[Word, bool]]:
    """Split runs into unbreakable words, each flagged whether a space precedes it.

    A data run is never broken; plain compounds may break after a hyphen.
    """
    words: list[tuple[list[_Piece], bool]] = [([], False)]
    for text, name in segments:
        if name:
            words[-1][0].append(_Piece(text, bold if name in bold_fields else body, name))
            continue
        for i, part in enumerate(text.split(" ")):
            if i:
                words.append(([], True))
            for k, chunk in enumerate(_HYPHEN.split(part)):
                if k:
                    words.append(([], False))
                if chunk:
                    words[-1][0].append(_Piece(chunk, body))
    return [(tuple(w), spaced) for w, spaced in words if w]


@dataclass(frozen=True, slots=True)
class _Look:
    """The typographic choices of one letter."""

    family: _Family
    size: int
    leading: int
    """Baseline to baseline, px."""
    ink: Colour
    accent: Colour
    left: int
    right: int
    top: int
    bottom: int
    justify: bool
    bold_fields: frozenset[str]

    def style(
        self, weight: str = "regular", scale: float = 1.0, colour: Colour | None = None
    ) -> TextStyle:
        font = getattr(self.family, weight)
        return TextStyle(font, max(8, round(self.size * scale)), colour or self.ink)

    @property
    def width(self) -> int:
        return LETTER_WIDTH_PX - self.left - self.right


def _paragraph(
    sheet: _Sheet,
    segments: Sequence[tuple[str, str]],
    x: int,
    width: int,
    top: int,
    look: _Look,
    *,
    body: TextStyle | None = None,
    justify: bool | None = None,
    first_indent: int = 0,
    leading: int | None = None,
    preprinted: bool = False,
) -> int:
    """Flow ``segments`` into lines between ``x`` and ``x + width`` from ``top``.

    Data runs print bold when the letter emphasises them. A leading "1." hangs in the margin.

    Returns:
        The y just below the last line (top of the next paragraph before spacing).
    """
    body = body or look.style()
    bold = TextStyle(look.family.bold, body.size_px, body.colour)
    justify = look.justify if justify is None else justify
    leading = leading or look.leading
    ascent = load_font(body.font, body.size_px).getmetrics()[0]
    baseline = top + ascent
    if segments and not segments[0][1] and (m := _NUMBERED.match(segments[0][0])):
        _text(sheet, x, baseline, m.group(1), body, preprinted=preprinted)
        hang = int(_piece_width(_Piece("00. ", body)))
        x, width = x + hang, width - hang
        segments = [(segments[0][0][m.end() :], ""), *segments[1:]]
    space = _piece_width(_Piece(" ", body))
    lines: list[list[tuple[Word, bool]]] = [[]]
    used = float(first_indent)
    for word, spaced in _words(segments, body, bold, look.bold_fields):
        w = _word_width(word)
        sep = space if spaced else 0.0
        if lines[-1] and used + sep + w > width:
            lines.append([])
            used = 0.0
        used += (sep if lines[-1] else 0.0) + w
        lines[-1].append((word, spaced))
    for i, line in enumerate(lines):
        indent = first_indent if i == 0 else 0
        breaks = [s for _, s in line[1:]]
        extra = 0.0
        if justify and i < len(lines) - 1 and any(breaks):
            natural = sum(_word_width(w) for w, _ in line) + space * sum(breaks)
            extra = (width - indent - natural) / sum(breaks)
            if extra > 3 * space:  # a long name pushed to the next line: leave this one ragged
                extra = 0.0
        gaps = [space + extra if s else 0.0 for s in breaks]
        line_words = [w for w, _ in line]
        _set_line(sheet, x + indent, baseline, line_words, gaps, preprinted=preprinted)
        baseline += leading
    return baseline - leading + load_font(body.font, body.size_px).getmetrics()[1]


# --- Stationery -----------------------------------------------------------------------------------


def _emblem(rng: np.random.Generator, size: int, court: bool) -> Alpha:
    """A fictional coat of arms for letterheads: scales of justice, a shield, a wreath or a seal.

    Returns:
        (size, size) float32 ink alpha, drawn at twice the size and area-averaged.
    """
    s = size * 2
    canvas = np.zeros((s, s), np.uint8)
    t = max(2, s // 36)
    aa = cv2.LINE_AA
    variant = 0 if court and rng.random() < 0.5 else int(rng.integers(4))

    def p(fx: float, fy: float) -> tuple[int, int]:
        return (int(fx * s), int(fy * s))

    if variant == 0:
        tilt = rng.uniform(-0.05, 0.05)
        cv2.line(canvas, p(0.5, 0.12), p(0.5, 0.82), 255, t * 2, aa)
        cv2.line(canvas, p(0.14, 0.26 - tilt), p(0.86, 0.26 + tilt), 255, t * 2, aa)
        cv2.circle(canvas, p(0.5, 0.1), t * 2, 255, -1, aa)
        for fx, dy in ((0.18, -tilt), (0.82, tilt)):
            top, pan = 0.26 + dy, 0.56 + dy
            cv2.line(canvas, p(fx, top), p(fx - 0.13, pan), 255, t, aa)
            cv2.line(canvas, p(fx, top), p(fx + 0.13, pan), 255, t, aa)
            cv2.ellipse(canvas, p(fx, pan), p(0.14, 0.07), 0, 0, 180, 255, -1, aa)
        cv2.rectangle(canvas, p(0.3, 0.82), p(0.7, 0.9), 255, -1, aa)
    elif variant == 1:
        u = np.linspace(0.0, 1.0, 16)
        right = np.column_stack([0.82 - 0.32 * u**1.6, 0.55 + 0.37 * np.sin(u * np.pi / 2)])
        left = (right * [-1, 1] + [1, 0])[::-1]
        outline = np.vstack([[[0.18, 0.12], [0.82, 0.12]], right, left]) * s
        shield = np.zeros_like(canvas)
        cv2.fillPoly(shield, [outline.astype(np.int32)], 255, aa)
        charge = np.zeros_like(canvas)
        kind = int(rng.integers(3))
        if kind == 0:
            cv2.rectangle(charge, p(0.5, 0.0), p(1.0, 1.0), 255, -1)
        elif kind == 1:
            cv2.line(charge, p(0.1, 0.1), p(0.9, 0.9), 255, t * 5, aa)
        else:
            cv2.rectangle(charge, p(0.44, 0.1), p(0.56, 0.95), 255, -1)
            cv2.rectangle(charge, p(0.1, 0.38), p(0.9, 0.5), 255, -1)
        canvas = np.minimum(shield, charge)
        cv2.polylines(canvas, [outline.astype(np.int32)], True, 255, t, aa)
    elif variant == 2:
        for side in (-1.0, 1.0):
            for k in range(9):
                ang = np.pi / 2 + side * (0.45 + k * 0.27)
                centre = p(0.5 + 0.36 * np.cos(ang), 0.5 + 0.36 * np.sin(ang))
                deg = float(np.degrees(ang)) + 90 + side * 30
                cv2.ellipse(canvas, centre, p(0.065, 0.028), deg, 0, 360, 255, -1, aa)
        cv2.fillPoly(canvas, [(_star(0.5, 0.5, 0.2) * s).astype(np.int32)], 255, aa)
    else:
        cv2.circle(canvas, p(0.5, 0.5), int(0.45 * s), 255, t, aa)
        cv2.circle(canvas, p(0.5, 0.5), int(0.38 * s), 255, max(1, t // 2), aa)
        for k in range(24):
            ang = k * np.pi / 12
            cv2.circle(canvas, p(0.5 + 0.415 * np.cos(ang), 0.5 + 0.415 * np.sin(ang)), t, 255, -1)
        cv2.fillPoly(canvas, [(_star(0.5, 0.5, 0.26) * s).astype(np.int32)], 255, aa)
    small = cv2.resize(canvas, (size, size), interpolation=cv2.INTER_AREA)
    return np.asarray(small, dtype=np.float32) / np.float32(255.0)


def _star(cx: float, cy: float, r: float) -> npt.NDArray[np.float64]:
    """A five-pointed star's (10, 2) outline around (cx, cy)."""
    k = np.arange(10)
    radius = np.where(k % 2 == 0, r, r * 0.4)
    ang = -np.pi / 2 + k * np.pi / 5
    return np.column_stack([cx + radius * np.cos(ang), cy + radius * np.sin(ang)])


def _address(rng: np.random.Generator, language: str, city: str) -> str:
    """A fictional office address line for the footer or letterhead."""
    lex = _LEX[language]
    street = _choice(rng, lex["streets"])
    number = int(rng.integers(1, 120))
    postcode = "".join(str(int(d)) for d in rng.integers(0, 10, size=5))
    phone = " ".join("".join(str(int(d)) for d in rng.integers(0, 10, size=k)) for k in (2, 3, 4))
    first = f"{number} {street}" if language == "en" else f"{street} {number}"
    if language == "fr":
        first = f"{number}, {street}"
    return f"{first} · {postcode} {city} · {_choice(rng, lex['tel'])} {phone}"


# --- Prose letters ------------------------------------------------------------------------------


def _ascent(style: TextStyle) -> int:
    return int(load_font(style.font, style.size_px).getmetrics()[0])


def _fit(style: TextStyle, text: str, width: int) -> TextStyle:
    """``style`` shrunk, if need be, so that ``text`` set as data fits in ``width`` px."""
    natural = _piece_width(_Piece(text, style, "fit"))
    if natural <= width:
        return style
    size = int(style.size_px * width / natural)
    return TextStyle(style.font, size, style.colour, style.tracking_px * size / style.size_px)


def _crest_head(
    rng: np.random.Generator, sheet: _Sheet, look: _Look, texts: _Texts, dept: str, court: bool
) -> int:
    """Centred emblem, authority and department over a rule; returns the y below it."""
    centre = look.left + look.width // 2
    size = int(rng.integers(58, 86))
    sheet.ink(
        _emblem(rng, size, court), look.accent, (centre - size // 2, look.top), preprinted=True
    )
    y = look.top + size + 10
    head = look.style("bold", rng.uniform(1.1, 1.35), look.accent)
    authority = texts.values["authority"]
    shown = authority.upper() if rng.random() < 0.6 else authority
    head = _fit(head, shown, look.width)
    _text(sheet, centre, y + _ascent(head), shown, head, field="authority", align="centre")
    y += int(head.size_px * 1.35)
    sub = look.style("italic" if rng.random() < 0.5 else "regular", 0.95, look.accent)
    _text(sheet, centre, y + _ascent(sub), dept, sub, align="centre", preprinted=True)
    y += int(sub.size_px * 1.5)
    sheet.rule(look.left, LETTER_WIDTH_PX - look.right, y, look.accent, 2)
    if rng.random() < 0.5:
        sheet.rule(look.left, LETTER_WIDTH_PX - look.right, y + 4, look.accent, 1)
    return y + 14


def _block_head(
    rng: np.random.Generator, sheet: _Sheet, look: _Look, texts: _Texts, dept: str, court: bool
) -> int:
    """Emblem at the left, authority and address beside it, a rule below; returns the y below."""
    size = int(rng.integers(48, 70))
    x = look.left
    if rng.random() < 0.3:
        band = (int(look.left * 0.35), look.top, int(rng.integers(6, 14)), LETTER_HEIGHT_PX // 3)
        sheet.tint(band, look.accent, 0.85)
    sheet.ink(_emblem(rng, size, court), look.accent, (x, look.top), preprinted=True)
    tx = x + size + 14
    head = look.style("bold", rng.uniform(1.05, 1.3), look.accent)
    y = look.top + _ascent(head)
    authority = texts.values["authority"]
    head = _fit(head, authority, LETTER_WIDTH_PX - look.right - tx)
    _text(sheet, tx, y, authority, head, field="authority")
    sub = look.style("regular", 0.9, look.accent)
    y += int(sub.size_px * 1.45)
    _text(sheet, tx, y, dept, sub, preprinted=True)
    small = look.style("regular", 0.75, look.accent)
    y += int(small.size_px * 1.6)
    _text(sheet, tx, y, _address(rng, texts.language, texts.values["city"]), small, preprinted=True)
    y = max(y + small.size_px, look.top + size) + 10
    sheet.rule(look.left, LETTER_WIDTH_PX - look.right, y, look.accent, 1)
    return y + 16


def _dateline(rng: np.random.Generator, texts: _Texts, closing: bool) -> list[tuple[str, str]]:
    lex = _LEX[texts.language]
    return texts.segments(_choice(rng, lex["closing" if closing else "dateline"]))


def _table(rng: np.random.Generator, sheet: _Sheet, look: _Look, texts: _Texts, y: int) -> int:
    """The particulars as a ruled two-column table; returns the y below it."""
    labels = _ROW_LABELS[texts.language]
    keys = ["child_name", "child_birth_date", "child_birth_place", "child_document_number"]
    if texts.parents:
        keys.append("parents")
    keys += ["adult_name", "adult_birth_date", "adult_document_number"]
    keys += ["destination", "valid_from", "valid_until"]
    x0, x1 = look.left, LETTER_WIDTH_PX - look.right
    split = x0 + int(look.width * rng.uniform(0.36, 0.44))
    pad = int(rng.integers(5, 9))
    label_style = look.style("bold" if rng.random() < 0.5 else "regular", 0.92)
    shade = rng.random() < 0.5
    leading = int(look.size * 1.3)
    top = y
    sheet.rule(x0, x1, y, look.ink, 1, preprinted=False)
    for key in keys:
        label_end = _paragraph(
            sheet, [(labels[key], "")], x0 + pad, split - x0 - 2 * pad, y + pad, look,
            body=label_style, justify=False, leading=leading,
        )  # fmt: skip
        value_end = _paragraph(
            sheet, texts.segments("{" + key + "}"), split + pad, x1 - split - 2 * pad, y + pad,
            look, justify=False, leading=leading,
        )  # fmt: skip
        row_h = max(label_end, value_end) - y + pad
        if shade:
            sheet.rect((x0, y, split - x0, row_h), look.ink, fill=0.07, line=0, preprinted=False)
        y += row_h
        sheet.rule(x0, x1, y, look.ink, 1, preprinted=False)
    for x in (x0, split, x1 - 1):
        sheet.tint((x, top, 1, y - top), look.ink, 1.0, preprinted=False)
    return y + 1


def _official_name(rng: np.random.Generator) -> str:
    """An invented signatory name, only ever drawn as a signature (never printed)."""
    first = ("Mar", "Ber", "Lau", "Ren", "Dor", "Fel", "Gau", "Hal", "Ker", "Lin", "Ros", "Val")
    second = ("tin", "ard", "el", "ier", "mann", "ot", "ini", "ert", "and", "ay", "berg", "ez")
    initial = "ABCDEFGHJKLMNPRSTVW"[int(rng.integers(19))]
    return f"{initial}. {_choice(rng, first)}{_choice(rng, second)}"


def _signature_slot(
    rng: np.random.Generator, sheet: _Sheet, x: int, y: int, name: str, scale: float = 1.0
) -> Box:
    """Reserve room at (x, y) for ``name``'s signature, drawn later if the letter is signed."""
    w = int(rng.integers(170, 240) * scale)
    h = int(rng.integers(52, 72) * scale)
    box = (x, y, w, h)
    sheet.signatures.append(_SignatureSlot(box, name))
    return box


def _seal_slot(
    rng: np.random.Generator,
    sheet: _Sheet,
    near: Box,
    ring: str,
    centre: str,
    stamp_lines: tuple[str, ...],
) -> None:
    """A round seal or rectangular stamp over or beside the signature box ``near``."""
    x, y, w, h = near
    if rng.random() < 0.7:
        d = int(rng.integers(130, 176))
        cx = x + int(w * rng.uniform(-0.15, 0.75))
        cy = y + int(h * rng.uniform(0.2, 0.8))
        box = _on_page((cx - d // 2, cy - d // 2, d, d))
        sheet.seals.append(_SealSlot(box, (ring, centre), round=True))
    else:
        sw, sh = int(rng.integers(230, 300)), int(rng.integers(84, 112))
        sx = x + int(w * rng.uniform(-0.5, 0.4))
        sy = y + int(h * rng.uniform(-0.3, 0.5))
        sheet.seals.append(_SealSlot(_on_page((sx, sy, sw, sh)), stamp_lines, round=False))


def _on_page(box: Box, margin: int = 12) -> Box:
    """``box`` moved, not resized, to lie ``margin`` px inside the page: stamps land on paper."""
    x, y, w, h = box
    x = min(max(x, margin), LETTER_WIDTH_PX - margin - w)
    y = min(max(y, margin), LETTER_HEIGHT_PX - margin - h)
    return (x, y, w, h)


def _parent_signatures(
    rng: np.random.Generator, sheet: _Sheet, look: _Look, data: LetterData, texts: _Texts, y: int
) -> int:
    """One signature column per parent: caption, signature space, printed name."""
    lex = _LEX[data.language]
    caption = look.style("italic" if rng.random() < 0.4 else "regular", 0.9)
    col = look.width // 2
    bottom = y
    for i, parent in enumerate(data.parents):
        x = look.left + (i if len(data.parents) > 1 else int(rng.integers(2))) * col
        role = lex["role_f" if parent.sex == "F" else "role_m" if parent.sex == "M" else "role_x"]
        label = _choice(rng, lex["sig_parent"]).format(role=role[0])
        _text(sheet, x, y + _ascent(caption), label, caption)
        box = _signature_slot(
            rng, sheet, x, y + int(caption.size_px * 1.4), format_name(parent, "given_surname")
        )
        base = box[1] + box[3] + look.size
        if rng.random() < 0.5:
            sheet.dotted(x, x + box[2], box[1] + box[3], look.ink, 3, preprinted=False)
        _text(sheet, x, base, texts.parents[i], look.style(), field="parent_name")
        bottom = max(bottom, base + look.size // 2)
    return bottom


def _official_block(
    rng: np.random.Generator,
    sheet: _Sheet,
    look: _Look,
    data: LetterData,
    texts: _Texts,
    y: int,
) -> int:
    """The signatory's role, signature space and the seal of the court, notary or registry."""
    words = _KIND_WORDS[(data.kind, data.language)]
    role = _choice(rng, words["role"])
    right = rng.random() < 0.7
    x = look.left + (int(look.width * rng.uniform(0.5, 0.6)) if right else 0)
    style = look.style("bold" if rng.random() < 0.4 else "regular")
    _text(sheet, x, y + _ascent(style), role, style)
    box = _signature_slot(rng, sheet, x, y + int(style.size_px * 1.5), _official_name(rng))
    if data.kind is LetterKind.COURT_ORDER and rng.random() < 0.5:
        copy = _choice(rng, _LEX[data.language]["copy"])
        _text(sheet, look.left if right else x + 300, y + _ascent(style), copy, look.style())
    authority = data.authority.upper()
    ring = authority if len(authority) > 24 else f"{authority} * {data.city.upper()}"
    centre = _choice(rng, words["seal"])
    lines = (_choice(rng, words["dept"]), data.authority, data.city)
    _seal_slot(rng, sheet, box, ring, centre, lines)
    return box[1] + box[3] + 8


def _footer(rng: np.random.Generator, sheet: _Sheet, look: _Look, texts: _Texts) -> None:
    y = LETTER_HEIGHT_PX - look.bottom
    small = look.style("regular", 0.7, look.accent)
    if rng.random() < 0.7:
        sheet.rule(look.left, LETTER_WIDTH_PX - look.right, y - small.size_px - 6, look.accent, 1)
        address = _address(rng, texts.language, texts.values["city"])
        centre = look.left + look.width // 2
        _text(sheet, centre, y, address, small, align="centre", preprinted=True)
    if rng.random() < 0.6:
        page = _choice(rng, _LEX[texts.language]["page"])
        page_style = look.style("regular", 0.75)
        _text(sheet, LETTER_WIDTH_PX - look.right, y + small.size_px + 4, page, page_style,
              align="right")  # fmt: skip


def _render_prose(
    rng: np.random.Generator,
    sheet: _Sheet,
    data: LetterData,
    texts: _Texts,
    look: _Look,
    layout: str,
) -> int:
    """A typed letter: letterhead, reference and date, title, body or table, signatures, seal.

    Returns:
        The lowest y the content (signatures and seals included) reaches.
    """
    words = _KIND_WORDS[(data.kind, data.language)]
    court = data.kind is LetterKind.COURT_ORDER
    head = layout if layout != "table" else _choice(rng, ("crest", "block"))
    dept = _choice(rng, words["dept"])
    y = (_crest_head if head == "crest" else _block_head)(rng, sheet, look, texts, dept, court)
    ref = [(_choice(rng, words["ref"]) + " ", ""), (texts.values["reference"], "reference")]
    wordings = _WORDINGS[(data.kind, data.language)]
    wording = wordings[int(rng.integers(len(wordings)))]
    date_top = rng.random() < 0.55 or wording[-1] in _VALEDICTIONS
    ref_under_title = head == "crest" and rng.random() < 0.35
    body = look.style()
    x0, x1 = look.left, LETTER_WIDTH_PX - look.right
    base = y + _ascent(body)
    if head == "block":
        _line_of(sheet, x1, base, ref, body, align="right")
        if date_top:
            base += look.leading
            _line_of(sheet, x1, base, _dateline(rng, texts, False), body, align="right")
    else:
        if not ref_under_title:
            _line_of(sheet, x0, base, ref, body)
        if date_top:
            _line_of(sheet, x1, base, _dateline(rng, texts, False), body, align="right")
    y = base + int(look.leading * rng.uniform(1.4, 2.4))
    centred = head == "crest" or rng.random() < 0.4
    tx = x0 + look.width // 2 if centred else x0
    if court and rng.random() < 0.6:
        heading = look.style("bold" if rng.random() < 0.5 else "regular", 0.95)
        y += _ascent(heading)
        _text(sheet, tx, y, _choice(rng, words["heading"]), heading,
              align="centre" if centred else "left")  # fmt: skip
        y += int(look.leading * 1.2)
    title_text = _choice(rng, TITLES[(data.kind, data.language)])
    title = look.style("bold", rng.uniform(1.2, 1.5))
    if rng.random() < 0.3 and title_text.isupper():
        title = TextStyle(title.font, title.size_px, title.colour, float(rng.integers(1, 4)))
    title = _fit(title, title_text, look.width)
    y += _ascent(title)
    box = _text(
        sheet, tx, y, title_text, title, field="title", align="centre" if centred else "left"
    )
    if box is not None and rng.random() < 0.4:
        sheet.rule(box[0], box[0] + box[2], box[1] + box[3] + 3, look.ink, 1, preprinted=False)
    y += int(title.size_px * 0.5)
    if ref_under_title:
        small = look.style("regular", 0.9)
        y += int(look.leading * 1.1)
        _line_of(sheet, tx, y, ref, small, align="centre")
    y += int(look.leading * rng.uniform(1.0, 1.8))
    gap = int(look.leading * rng.uniform(0.45, 0.9))
    indent = int(look.size * 2) if rng.random() < 0.25 else 0
    if layout == "table":
        intro, outro = _TABLE_TEXT[(data.kind, data.language)]
        y = _paragraph(sheet, texts.segments(intro), x0, look.width, y, look) + gap
        y = _table(rng, sheet, look, texts, y) + gap
        y = _paragraph(sheet, texts.segments(outro), x0, look.width, y, look) + gap
    else:
        for para in wording:
            y = _paragraph(sheet, texts.segments(para), x0, look.width, y, look,
                           first_indent=indent) + gap  # fmt: skip
    if not date_top:
        y += gap
        base = y + _ascent(body)
        _line_of(sheet, x0, base, _dateline(rng, texts, True), body)
        y = base + look.leading // 2
    y += int(look.leading * rng.uniform(0.8, 1.5))
    if data.kind is LetterKind.TRAVEL_CONSENT:
        y = _parent_signatures(rng, sheet, look, data, texts, y) + gap
        legal = _choice(rng, _LEX[data.language]["legal"])
        small = look.style("italic" if rng.random() < 0.5 else "regular", 0.92)
        y = _paragraph(sheet, texts.segments(legal), x0, look.width, y + gap, look, body=small)
        y += gap
    y = _official_block(rng, sheet, look, data, texts, y)
    _footer(rng, sheet, look, texts)
    return max([y, *(seal.box[1] + seal.box[3] for seal in sheet.seals)])


# --- Forms -------------------------------------------------------------------------------------

_PENS: tuple[Colour, ...] = ((22, 38, 120), (30, 52, 150), (25, 25, 35), (18, 28, 80))
"""Ballpoint inks: blue, light blue, black, navy."""


@dataclass(frozen=True, slots=True)
class _Hand:
    """How one person fills in a form: a script face or jittered block capitals, in one pen."""

    cursive: bool
    font: str
    size: int
    colour: Colour
    slant: float


def _pick_hand(rng: np.random.Generator, cursive: bool, texts: Sequence[str]) -> _Hand:
    colour = _PENS[int(rng.integers(len(_PENS)))]
    slant = rng.uniform(-0.05, 0.25)
    if cursive and _covers(_SCRIPT_FONT, texts):
        return _Hand(True, _SCRIPT_FONT, int(rng.integers(25, 31)), colour, slant * 0.5)
    fonts = [f for f in _HAND_FONTS if _covers(f, [t.upper() for t in texts])] or ["DejaVuSans.ttf"]
    font = fonts[int(rng.integers(len(fonts)))]
    return _Hand(False, font, int(rng.integers(17, 22)), colour, slant)


def _shear(alpha: Alpha, baseline: int, slant: float, angle: float) -> tuple[Alpha, int]:
    """Slant about the baseline and tilt a little, as handwriting leans; keeps the baseline row."""
    h, w = alpha.shape
    pad = int(abs(slant) * h + abs(angle) * w) + 3
    c, s = np.cos(angle), np.sin(angle)
    shear = np.array([[1.0, -slant, slant * baseline], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    turn = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    move = np.array([[1.0, 0.0, pad], [0.0, 1.0, pad - baseline], [0.0, 0.0, 1.0]])
    back = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, baseline], [0.0, 0.0, 1.0]])
    m = (back @ move @ turn @ shear)[:2].astype(np.float32)
    out = cv2.warpAffine(alpha, m, (w + 2 * pad, h + 2 * pad), flags=cv2.INTER_LINEAR)
    return np.asarray(out, dtype=np.float32), baseline + pad


@lru_cache(maxsize=2048)
def _glyph(font: str, size: int, char: str) -> tuple[Alpha, int]:
    """One character on a square canvas: (s, s) float32 ink and its baseline row."""
    face = load_font(font, size)
    side = 2 * size
    canvas = Image.new("L", (side, side), 0)
    ImageDraw.Draw(canvas).text(
        (size // 2, int(size * 1.4)), char, fill=255, font=face, anchor="ls"
    )
    alpha = np.asarray(canvas, dtype=np.float32) / 255.0
    alpha.flags.writeable = False
    return alpha, int(size * 1.4)


def _hand_glyph(rng: np.random.Generator, font: str, size: int, char: str) -> tuple[Alpha, int]:
    """A block capital as a hand draws it: turned, stretched and shifted a little."""
    glyph, base = _glyph(font, size, char)
    side = glyph.shape[0]
    px, py = size * 0.85, base - size * 0.35
    turn = rng.normal(0.0, 0.07)
    sx, sy = rng.uniform(0.86, 1.08), rng.uniform(0.9, 1.1)
    c, s = math.cos(turn), math.sin(turn)
    a, b, d, e = c * sx, -s * sy, s * sx, c * sy
    m = np.array([[a, b, px - a * px - b * py], [d, e, py - d * px - e * py]], np.float32)
    turned = cv2.warpAffine(glyph, m, (side, side), flags=cv2.INTER_LINEAR)
    return np.asarray(turned, dtype=np.float32), base


def _hand_alpha(rng: np.random.Generator, hand: _Hand, text: str) -> tuple[Alpha, int]:
    """``text`` as ``hand`` writes it: (h, w) float32 ink and the baseline row."""
    face = load_font(hand.font, hand.size)
    above = hand.size + 4
    height = above + face.getmetrics()[1] + 6
    width = int(_plain_width(hand.font, hand.size, text) * 1.3) + 2 * hand.size
    if hand.cursive:
        canvas = Image.new("L", (width, height), 0)
        ImageDraw.Draw(canvas).text((hand.size // 3, above), text, fill=255, font=face, anchor="ls")
        alpha = np.asarray(canvas, dtype=np.float32) / 255.0
    else:
        alpha = np.zeros((height, width), np.float32)
        x = hand.size * 0.3
        for char in text:
            advance = _advance(hand.font, hand.size, char)
            if not char.isspace():
                glyph, base = _hand_glyph(rng, hand.font, hand.size, char)
                dy = int(round(rng.normal(0.0, hand.size * 0.04)))
                _paste(alpha, glyph, int(x) - hand.size // 2, above - base + dy)
            x += advance * rng.uniform(0.98, 1.14) + rng.uniform(0.0, hand.size * 0.06)
    return _shear(alpha, above, hand.slant, rng.normal(0.0, 0.012))


def _write(
    rng: np.random.Generator,
    sheet: _Sheet,
    hand: _Hand,
    text: str,
    xy: tuple[int, int],
    max_width: int,
    name: str,
) -> None:
    """Handwrite ``text`` with its baseline start at ``xy``; squeezed to ``max_width`` if long."""
    alpha, base = _hand_alpha(rng, hand, text)
    if alpha.shape[1] > max_width > 0:
        scale = max_width / alpha.shape[1]
        size = (max_width, max(1, int(alpha.shape[0] * scale)))
        alpha = np.asarray(cv2.resize(alpha, size, interpolation=cv2.INTER_AREA), np.float32)
        base = int(base * scale)
    origin = (xy[0], xy[1] - base)
    sheet.ink(alpha, hand.colour, origin)
    box = _ink_box(alpha, origin)
    if box is not None:
        sheet.zones.append(Zone(name, box, text, TextStyle(hand.font, hand.size, hand.colour)))


def _write_comb(
    rng: np.random.Generator, sheet: _Sheet, hand: _Hand, text: str, cells: Box, n: int, name: str
) -> None:
    """Block capitals one per cell of a comb of ``n`` cells in box ``cells``; a text longer
    than the comb is squeezed across it, as people do.
    """
    x, y, w, h = cells
    pitch = w / max(n, len(text))
    size = max(8, int(min(h * 0.72, pitch * 1.05)))
    alpha = np.zeros((h, w), np.float32)
    for i, char in enumerate(text):
        if char.isspace():
            continue
        glyph, base = _hand_glyph(rng, hand.font, size, char)
        advance = _advance(hand.font, size, char)
        gx = (i + 0.5) * pitch - advance / 2 - size // 2 + rng.normal(0.0, pitch * 0.05)
        gy = h * 0.78 - base + rng.normal(0.0, h * 0.04)
        _paste(alpha, glyph, int(gx), int(gy))
    sheet.ink(alpha, hand.colour, (x, y))
    box = _ink_box(alpha, (x, y))
    if box is not None:
        sheet.zones.append(Zone(name, box, text, TextStyle(hand.font, size, hand.colour)))


def _tick(rng: np.random.Generator, sheet: _Sheet, colour: Colour, box: Box) -> None:
    """A pen cross or check mark in a checkbox (ink, not data)."""
    x, y, w, h = box
    s = 4
    canvas = np.zeros(((h + 8) * s, (w + 8) * s), np.uint8)

    def q(fx: float, fy: float) -> tuple[int, int]:
        return (
            int((4 + fx * w + rng.normal(0, 0.6)) * s),
            int((4 + fy * h + rng.normal(0, 0.6)) * s),
        )

    if rng.random() < 0.6:
        strokes = [(q(0.1, 0.1), q(0.9, 0.95)), (q(0.9, 0.05), q(0.1, 0.9))]
    else:
        strokes = [(q(0.1, 0.5), q(0.4, 0.9)), (q(0.4, 0.9), q(1.0, -0.1))]
    for a, b in strokes:
        cv2.line(canvas, a, b, 255, 2 * s, cv2.LINE_AA)
    small = cv2.resize(canvas, (w + 8, h + 8), interpolation=cv2.INTER_AREA)
    sheet.ink(small.astype(np.float32) / 255.0 * 0.9, colour, (x - 4, y - 4))


@dataclass(frozen=True, slots=True)
class _FormKit:
    """The blank form's drawing choices and the hand that fills it in."""

    layout: str
    label: TextStyle
    hand: _Hand
    line: Colour
    row_h: int
    caps: bool
    """Block capitals, as the form asks (cursive writers ignore it)."""
    half_ticks: bool
    """Comb cells divided by half-height ticks rather than full walls."""
    cell: float
    """Comb cell width, px."""


def _form_field(
    rng: np.random.Generator, sheet: _Sheet, kit: _FormKit, box: Box, label: str, value: str,
    name: str,
) -> None:  # fmt: skip
    """One labelled field of the blank form and, if ``value``, the hand-filled value."""
    x, y, w, h = box
    shown = value.upper() if kit.caps else value
    if kit.layout == "boxes":
        sheet.rect(box, kit.line)
        _text(sheet, x + 5, y + 5 + _ascent(kit.label), label, kit.label, preprinted=True)
        if shown:
            _write(
                rng, sheet, kit.hand, shown, (x + int(rng.integers(8, 20)), y + h - 9), w - 24, name
            )
    elif kit.layout == "lines":
        base = y + h - 10
        _text(sheet, x, base, label + ":", kit.label, preprinted=True)
        lx = x + int(_piece_width(_Piece(label + ":", kit.label))) + 6
        sheet.dotted(lx, x + w, base + 3, kit.line, 3)
        if shown:
            at = (lx + int(rng.integers(4, 24)), base - int(rng.integers(0, 3)))
            _write(rng, sheet, kit.hand, shown, at, x + w - at[0] - 4, name)
    else:
        _text(sheet, x, y + _ascent(kit.label), label, kit.label, preprinted=True)
        top = y + kit.label.size_px + 4
        ch = h - kit.label.size_px - 6
        n = int(w // kit.cell)
        cells = (x, top, int(kit.cell * n), ch)
        pitch = kit.cell
        sheet.rect(cells, kit.line)
        ticks = np.zeros((ch, cells[2]), np.float32)
        for k in range(1, n):
            ticks[ch // 2 if kit.half_ticks else 0 :, int(k * pitch)] = 1.0
        sheet.ink(ticks, kit.line, (x, top), preprinted=True)
        if shown:
            _write_comb(rng, sheet, kit.hand, shown, cells, n, name)


def _checkbox(
    rng: np.random.Generator, sheet: _Sheet, kit: _FormKit, x: int, baseline: int, label: str,
    checked: bool,
) -> int:  # fmt: skip
    """A checkbox and its label; returns the x after it."""
    s = kit.label.size_px
    box = (x, baseline - s + 1, s, s)
    sheet.rect(box, kit.line)
    _text(sheet, x + s + 5, baseline, label, kit.label, preprinted=True)
    if checked:
        _tick(rng, sheet, kit.hand.colour, box)
    return x + s + 5 + int(_piece_width(_Piece(label, kit.label))) + 16


def _render_form(
    rng: np.random.Generator,
    sheet: _Sheet,
    data: LetterData,
    texts: _Texts,
    look: _Look,
    layout: str,
) -> None:
    """A pre-printed consent form (stationery in the background) filled in by hand."""
    fw = _FORM_WORDS[data.language]
    v = texts.values
    x0, x1 = look.left, LETTER_WIDTH_PX - look.right
    width = x1 - x0
    line = look.accent
    y = look.top
    e = int(rng.integers(46, 62))
    sheet.ink(_emblem(rng, e, False), line, (x0, y), preprinted=True)
    bold = look.style("bold", 1.05, line)
    small = look.style("regular", 0.85, line)
    _text(sheet, x0 + e + 12, y + _ascent(bold) + 4, fw["body"], bold, preprinted=True)
    sub_y = y + _ascent(bold) + 4 + int(small.size_px * 1.5)
    _text(sheet, x0 + e + 12, sub_y, fw["sub"], small, preprinted=True)
    number = fw["form"].format(n=int(rng.integers(10000, 99999)))
    _text(sheet, x1, y + _ascent(small), number, small, align="right", preprinted=True)
    y += e + 16
    title = look.style("bold", rng.uniform(1.3, 1.55), line)
    title_text = _choice(rng, TITLES[(data.kind, data.language)])
    if rng.random() < 0.5:
        sheet.rect((x0, y - 6, width, int(title.size_px * 1.6)), line, fill=0.1, line=0)
    _text(sheet, x0 + width // 2, y + _ascent(title), title_text, title, field="title",
          align="centre", preprinted=True)  # fmt: skip
    y += int(title.size_px * 1.6) + 4
    hint = look.style("italic", 0.85, line)
    _text(sheet, x0 + width // 2, y + _ascent(hint), fw["hint"], hint, align="centre",
          preprinted=True)  # fmt: skip
    y += int(hint.size_px * 1.8)
    cursive = layout == "lines" and rng.random() < 0.8 or layout == "boxes" and rng.random() < 0.4
    hand = _pick_hand(rng, cursive, [*v.values(), *texts.parents])
    row_h = {"boxes": 46, "lines": 38, "comb": 50}[layout]
    kit = _FormKit(layout, look.style("regular", 0.8, line), hand, line, row_h,
                   caps=not hand.cursive, half_ticks=rng.random() < 0.5,
                   cell=rng.uniform(22.0, 27.0))  # fmt: skip
    gap = 6
    bar = look.style("bold", 0.9, line)

    def section(label: str) -> None:
        nonlocal y
        y += 4
        sheet.rect((x0, y, width, bar.size_px + 10), line, fill=0.14, line=0)
        _text(sheet, x0 + 6, y + 5 + _ascent(bar), label, bar, preprinted=True)
        y += bar.size_px + 10 + gap

    def row(fields: Sequence[tuple[str, str, str, float]]) -> None:
        nonlocal y
        x = x0
        for label, value, name, frac in fields:
            w = int(width * frac) - (gap if frac < 1 else 0)
            _form_field(rng, sheet, kit, (x, y, w, row_h), label, value, name)
            x += w + gap
        y += row_h + gap

    section(fw["s_child"])
    row([(fw["name"], v["child_name"], "child_name", 1.0)])
    row([(fw["birth_date"], v["child_birth_date"], "child_birth_date", 0.4),
         (fw["birth_place"], v["child_birth_place"], "child_birth_place", 0.6)])  # fmt: skip
    row([(fw["doc"], v["child_document_number"], "child_document_number", 0.6)])
    section(fw["s_parents"])
    for i in range(2):
        name = texts.parents[i] if i < len(texts.parents) else ""
        top = y
        row([(fw["parent"].format(i=i + 1), name, "parent_name", 0.62)])
        cx = x0 + int(width * 0.62) + 4
        sex = data.parents[i].sex if name else ""
        for key, mark in (("mother", "F"), ("father", "M"), ("guardian", "X")):
            cx = _checkbox(rng, sheet, kit, cx, top + row_h - 12, fw[key], sex == mark)
    cx = x0
    for key, checked in (("joint", len(data.parents) == 2), ("sole", len(data.parents) == 1)):
        cx = _checkbox(rng, sheet, kit, cx, y + kit.label.size_px + 2, fw[key], checked)
    y += kit.label.size_px + 10
    section(fw["s_adult"])
    row([(fw["name"], v["adult_name"], "adult_name", 1.0)])
    row([(fw["birth_date"], v["adult_birth_date"], "adult_birth_date", 0.4),
         (fw["doc"], v["adult_document_number"], "adult_document_number", 0.6)])  # fmt: skip
    section(fw["s_trip"])
    row([(fw["destination"], v["destination"], "destination", 1.0)])
    row([(fw["from"], v["valid_from"], "valid_from", 0.5),
         (fw["until"], v["valid_until"], "valid_until", 0.5)])  # fmt: skip
    section(fw["s_decl"])
    y = _paragraph(sheet, [(fw["decl"], "")], x0, width, y, look, body=kit.label, justify=False,
                   leading=int(kit.label.size_px * 1.3), preprinted=True) + gap  # fmt: skip
    row([(fw["place"], v["city"], "city", 0.5), (fw["date"], v["issue_date"], "issue_date", 0.5)])
    sign_h = 84
    for i in range(2):
        bx = x0 + i * (width // 2)
        box = (bx, y, width // 2 - gap, sign_h)
        sheet.rect(box, line)
        _text(sheet, bx + 5, y + 3 + _ascent(kit.label), fw["sign"].format(i=i + 1), kit.label,
              preprinted=True)  # fmt: skip
        if i < len(data.parents):
            name = format_name(data.parents[i], "given_surname")
            _signature_slot(rng, sheet, bx + 20, y + kit.label.size_px + 6, name, 0.85)
    y += sign_h + gap * 2
    notice = look.style("regular", 0.68, line)
    lead = int(notice.size_px * 1.3)
    room = min(170, LETTER_HEIGHT_PX - look.bottom - 2 * lead - gap - y)
    _office_box(rng, sheet, data, texts, look, kit, (x0, y, width, room))
    _paragraph(sheet, [(fw["notice"], "")], x0, width, y + room + gap, look,
               body=notice, justify=False, leading=lead, preprinted=True)  # fmt: skip


def _office_box(
    rng: np.random.Generator, sheet: _Sheet, data: LetterData, texts: _Texts, look: _Look,
    kit: _FormKit, box: Box,
) -> None:  # fmt: skip
    """The "for official use" panel: typed authority and number, official signature and seal."""
    fw = _FORM_WORDS[data.language]
    x, y, w, h = box
    bar = look.style("bold", 0.85, kit.line)
    sheet.rect((x, y, w, h), kit.line, line=2)
    sheet.rect((x, y, w, bar.size_px + 10), kit.line, fill=0.14, line=0)
    _text(sheet, x + 6, y + 5 + _ascent(bar), fw["s_office"], bar, preprinted=True)
    typed = look.style("regular", 0.95, (25, 25, 30))
    base = y + bar.size_px + 16 + _ascent(typed)
    for key, name in (("authority", "authority"), ("reference", "reference"),
                      ("state", "issuing_state")):  # fmt: skip
        _text(sheet, x + 8, base, fw[key] + ":", kit.label, preprinted=True)
        value = texts.values[name]
        _text(sheet, x + 178, base, value, _fit(typed, value, int(w * 0.56) - 178), field=name)
        base += int(typed.size_px * 1.7)
    cx = x + int(w * 0.58)
    _text(sheet, cx, y + bar.size_px + 14 + _ascent(kit.label), fw["official"], kit.label,
          preprinted=True)  # fmt: skip
    slot = _signature_slot(rng, sheet, cx + 10, y + bar.size_px + 34, _official_name(rng), 0.9)
    authority = data.authority.upper()
    ring = authority if len(authority) > 24 else f"{authority} * {data.city.upper()}"
    centre = data.issuing_state if rng.random() < 0.5 else ""
    _seal_slot(rng, sheet, slot, ring, centre, (data.authority, data.city))


# --- Assembly -------------------------------------------------------------------------------------


def _apply_marks(rng: np.random.Generator, sheet: _Sheet, data: LetterData) -> None:
    """Sign and stamp the page at the slots the layout reserved; each mark gets its zone."""
    if data.has_signature:
        for sig in sheet.signatures:
            x, y, w, h = sig.box
            alpha = draw_signature(rng, sig.name, (w, h))
            sheet.ink(alpha, _PENS[int(rng.integers(len(_PENS)))], (x, y))
            box = _ink_box(alpha, (x, y), 0.0)
            if box is not None:
                sheet.zones.append(Zone("signature", box))
    if data.has_seal:
        for seal in sheet.seals:
            x, y, w, h = seal.box
            if seal.round:
                alpha = draw_seal(rng, seal.lines[0], seal.lines[1], w)
            else:
                alpha = draw_rect_stamp(rng, seal.lines, (w, h))
            sheet.ink(alpha, stamp_colour(rng), (x, y), opacity=rng.uniform(0.7, 0.95))
            box = _ink_box(alpha, (x, y), 0.0)
            if box is not None:
                sheet.zones.append(Zone("seal", box))


def _pick_look(rng: np.random.Generator, layout: str, texts: _Texts) -> _Look:
    """Fonts, sizes, margins and colours of one letter, by layout."""
    roll = rng.random()
    pool: tuple[_Family, ...]
    if layout == "crest":
        pool, wide = (_SERIF, _WIDE_SERIF) if roll < 0.75 else (_MONO, _WIDE_SANS)
        if 0.9 < roll:
            pool, wide = _SANS, _WIDE_SANS
    elif layout == "block" or layout in ("boxes", "lines", "comb") and roll < 0.8:
        pool, wide = (
            (_SANS, _WIDE_SANS) if roll < 0.6 or layout != "block" else (_SERIF, _WIDE_SERIF)
        )
    else:
        pool, wide = (_SERIF, _WIDE_SERIF) if roll < 0.5 else (_SANS, _WIDE_SANS)
    family = pool[int(rng.integers(len(pool)))]
    shown = [*texts.values.values(), *texts.parents]
    shown += [t.upper() for t in shown]
    if not all(_covers(f, shown) for f in (family.regular, family.bold)):
        family = wide
    form = layout in LAYOUTS[LetterKind.CONSENT_FORM]
    size = int(rng.integers(15, 18)) if form else int(rng.integers(18, 23))
    grey = int(rng.integers(8, 45))
    accents = ((20, 20, 22), (24, 34, 68), (40, 40, 46), (22, 48, 42), (62, 26, 28))
    accent = accents[int(rng.integers(len(accents)))] if rng.random() < 0.6 else (grey, grey, grey)
    emphasis = rng.random()
    names = frozenset({"child_name", "adult_name", "parent_name"})
    bold = frozenset() if emphasis < 0.5 else names if emphasis < 0.8 else frozenset(texts.values)
    bold = bold | {"parent_name"} if bold else bold
    mm = LETTER_PX_PER_MM
    return _Look(
        family=family,
        size=size,
        leading=int(size * rng.uniform(1.3, 1.55)),
        ink=(grey, grey, min(255, grey + int(rng.integers(0, 10)))),
        accent=accent,
        left=int(mm * (rng.uniform(12, 16) if form else rng.uniform(20, 28))),
        right=int(mm * (rng.uniform(12, 16) if form else rng.uniform(16, 24))),
        top=int(mm * rng.uniform(10, 18)),
        bottom=int(mm * rng.uniform(10, 16)),
        justify=rng.random() < (0.8 if layout == "crest" else 0.35),
        bold_fields=bold,
    )


def _check(data: LetterData, layout: str | None) -> None:
    if data.language not in LANGUAGES:
        raise ValueError(f"language {data.language!r} is not one of {LANGUAGES}")
    if len(data.parents) > 2:
        raise ValueError("a letter names at most two parents")
    if not data.parents and data.kind is not LetterKind.COURT_ORDER:
        raise ValueError(f"a {data.kind} letter needs at least one parent")
    if layout is not None and layout not in LAYOUTS[data.kind]:
        raise ValueError(f"layout {layout!r} is not one of {LAYOUTS[data.kind]}")


def render_letter(rng: np.random.Generator, data: LetterData, layout: str | None = None) -> Page:
    """Render a guardianship or consent letter on an A4 page 1000 px wide.

    Args:
        rng: all randomness (layout, fonts, wording, paper, handwriting, marks).
        data: what the letter says.
        layout: one of ``LAYOUTS[data.kind]``; drawn at random when None.

    Returns:
        A :class:`Page` of ``LETTER_HEIGHT_PX`` × ``LETTER_WIDTH_PX``, template
        ``letter_{kind}_{layout}``, with a zone per printed data item (``child_name``, ...,
        ``parent_name`` once per parent and mention), ``title``, ``signature`` and ``seal``; its
        background is the blank stationery (paper, emblem, rules, a form's boxes and labels).

    Raises:
        ValueError: unknown language or layout, more than two parents, or no parent on a letter
            other than a court order.
    """
    _check(data, layout)
    layouts = LAYOUTS[data.kind]
    chosen = layout or _choice(rng, layouts)
    marks_rng = np.random.default_rng(int(rng.integers(2**63)))
    paper = _pick_paper(rng)
    sheet = _Sheet(paper.render())
    form = data.kind is LetterKind.CONSENT_FORM
    texts = _make_texts(rng, data, form)
    look = _pick_look(rng, chosen, texts)
    if form:
        _render_form(rng, sheet, data, texts, look, chosen)
    else:
        for attempt in range(3):
            bottom = _render_prose(rng, sheet, data, texts, look, chosen)
            if bottom <= LETTER_HEIGHT_PX - look.bottom - 3 * look.size or attempt == 2:
                break
            sheet = _Sheet(paper.render())
            look = replace(look, size=look.size - 2, leading=int(look.leading * 0.88))
    _apply_marks(marks_rng, sheet, data)
    return Page(
        rgb=sheet.finish(),
        zones=tuple(sheet.zones),
        template=f"letter_{data.kind}_{chosen}",
        side=Side.PAGE,
        kind=DocKind.LETTER,
        background=sheet.background,
    )
