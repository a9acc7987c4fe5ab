"""Normalisation and checks of job codes, phase codes and cost codes."""

import re

COST_TYPES = (
    ("labor", "Labor"),
    ("material", "Material"),
    ("subcontract", "Subcontract"),
    ("equipment", "Equipment"),
    ("other", "Other"),
)
JOB_STATUSES = (
    ("bid", "Bid"),
    ("awarded", "Awarded"),
    ("in_progress", "In Progress"),
    ("closed", "Closed"),
)

CODE_MAX_LEN = 64
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


def normalize_code(value):
    """Strip surrounding blanks and inner spaces around separators.

    >>> normalize_code("  03-300 ")
    '03-300'
    >>> normalize_code(None) is None
    True
    """
    if value is None or value is False:
        return value
    return value.strip()


def code_problem(value):
    """Return a key saying why ``value`` is not a usable code, or None.

    Codes are what external systems send in payloads, so they must be plain:
    letters, digits, dot, dash, underscore and slash, no spaces.

    >>> code_problem("J-1001") is None
    True
    >>> code_problem("J 1001")
    'bad_chars'
    >>> code_problem("")
    'empty'
    """
    if not value:
        return "empty"
    if len(value) > CODE_MAX_LEN:
        return "too_long"
    if not _CODE_RE.match(value):
        return "bad_chars"
    return None


def percent_problem(value):
    """Return why ``value`` is not a percentage between 0 and 100, or None.

    >>> percent_problem(10.0) is None
    True
    >>> percent_problem(120)
    'must be between 0 and 100'
    """
    if value is None or value is False:
        return None
    if value < 0 or value > 100:
        return "must be between 0 and 100"
    return None
