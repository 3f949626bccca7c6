"""MRZ check digits (Doc 9303 Part 3, 4.9; worked examples in Part 3, Appendix A).

Weights 7, 3, 1 repeat from the left; ``<`` counts 0, digits count as themselves and A-Z count
10-35; the check digit is the weighted sum mod 10.

Blind spot: ``<``, ``0``, ``A`` (10), ``K`` (20) and ``U`` (30) are all 0 mod 10, so swapping any
of them for another never changes a check digit. A filler ``<`` misread as ``K`` is invisible to
every check digit, composite included; so are ``1``/``B``, ``6``/``G`` and any two characters whose
values agree mod 10.
"""

from __future__ import annotations

_WEIGHTS = (7, 3, 1)


def char_value(c: str) -> int:
    """Numeric value of one MRZ character for check-digit arithmetic.

    Args:
        c: one character of the MRZ set (A-Z, 0-9, ``<``).

    Returns:
        0 for ``<``, the digit's value for 0-9, 10-35 for A-Z.

    Raises:
        ValueError: ``c`` is not a single MRZ character.

    >>> [char_value(c) for c in "<09AKUZ"]
    [0, 0, 9, 10, 20, 30, 35]
    """
    if len(c) == 1:
        if c == "<":
            return 0
        if "0" <= c <= "9":
            return ord(c) - ord("0")
        if "A" <= c <= "Z":
            return ord(c) - ord("A") + 10
    raise ValueError(f"not an MRZ character: {c!r}")


def compute_check_digit(text: str) -> str:
    """The check digit of ``text`` (weights 7, 3, 1; mod 10).

    Args:
        text: MRZ characters, fillers included (an empty string gives ``"0"``).

    Returns:
        One digit character.

    Raises:
        ValueError: ``text`` holds a character outside the MRZ set.

    Part 3, Appendix A, examples 1-5:

    >>> compute_check_digit("520727")
    '3'
    >>> compute_check_digit("AB2134<<<")
    '5'
    >>> compute_check_digit("HA672242<6" + "5802254" + "9601086<<<<<<<<<<<<<<0")
    '8'
    >>> compute_check_digit("D231458907<<<<<<<<<<<<<<<" + "3407127" + "9507122" + "<" * 11)
    '2'
    >>> compute_check_digit("HA672242<6" + "5802254" + "9601086<<<<<<<")
    '8'

    The blind spot: a filler read as K does not change the digit.

    >>> compute_check_digit("AB2134<<<") == compute_check_digit("AB2134K<<")
    True
    """
    total = sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(text))
    return str(total % 10)


def is_valid_check_digit(text: str, check: str) -> bool:
    """Whether ``check`` is the check digit of ``text``; False when either holds non-MRZ chars.

    >>> is_valid_check_digit("520727", "3"), is_valid_check_digit("520727", "4")
    (True, False)
    """
    try:
        return compute_check_digit(text) == check
    except ValueError:
        return False
