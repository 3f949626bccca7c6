"""Document numbers as the store compares them: link analysis across a seizure and stop-list
lookups share one key (:func:`number_key`), so an O read for a 0 neither splits a link nor misses
a listed document.

Two normalisations, on purpose: :func:`normalise_number` keeps letters and digits only, for numbers
read from a page (a printed ``X4R-7215`` is the MRZ's ``X4R7215``); a stop-list import instead
rejects a row whose number holds anything but letters, digits, spaces and ``<``
(:func:`docfraud.store.watchlist.normalise_document_number`), since a list is typed by a person
and a stray character there is a mistake to report, not noise to drop.
"""

from __future__ import annotations

import re

_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
O_AS_ZERO = ("O", "0")
"""The letter read as the digit in :func:`number_key` (also the stop-list's SQL index)."""


def normalise_number(text: str) -> str:
    """Upper case letters and digits only, as the MRZ writes a number.

    >>> normalise_number("x4r 7215-k0<<")
    'X4R7215K0'
    """
    return _NOT_ALNUM.sub("", text.upper())


def number_key(text: str) -> str:
    """What two document numbers must share to be one number: :func:`normalise_number` with the
    letter O read as the digit 0.

    OCR-B's O and 0 differ by a few pixels of width, and a check digit does not catch every such
    misread: two swaps at weights 7 and 3 cancel (24 x 7 + 24 x 3 = 240, 0 mod 10). On generated
    seizures, O/0 swaps were a third of the misread numbers of pages whose MRZ was read.

    >>> number_key("15SKO3O75") == number_key("15SK03075")
    True
    """
    return normalise_number(text).replace(*O_AS_ZERO)
