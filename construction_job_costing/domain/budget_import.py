"""Budget lines from an estimating system: read the export, check every row.

Pure Python (stdlib and openpyxl, never odoo), shared by the import wizard and
the ``master.budget`` message handler so that a file row and a message line
obey the same rules.

- :func:`read_file` turns the bytes of a CSV or XLSX export into
  :class:`RawRow` objects (one per non-blank row, numbered as a spreadsheet
  shows them: the header is row 1). Whole-file problems raise
  :class:`ImportFileError`.
- :func:`validate_rows` checks the rows against the job's phases, the
  company's cost codes and the units of measure (passed in as dicts of
  ``code: id``) and returns :class:`BudgetRow` objects carrying their
  :class:`Issue` list.
- :func:`plan_changes` says which budget lines to create, update or delete.

Problems are keys with parameters, not sentences: the Odoo side words them in
the user's language (the wizard) or in the contract's English (the API).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

# The fields of a budget row, in the order of the export's columns.
COLUMNS = ("phase", "cost_code", "description", "quantity", "uom", "amount")
REQUIRED_COLUMNS = ("cost_code", "amount")
MAX_ROWS = 10000

# Headers as an estimating system may write them, after _header_key().
HEADER_ALIASES = {
    "phase": "phase",
    "phase code": "phase",
    "cost code": "cost_code",
    "costcode": "cost_code",
    "description": "description",
    "quantity": "quantity",
    "qty": "quantity",
    "uom": "uom",
    "unit": "uom",
    "unit of measure": "uom",
    "amount": "amount",
}

# File problems (ImportFileError.problem)
EMPTY_FILE = "empty_file"
UNSUPPORTED_FORMAT = "unsupported_format"
NOT_UTF8 = "not_utf8"
UNREADABLE = "unreadable"
MISSING_COLUMNS = "missing_columns"
DUPLICATE_COLUMN = "duplicate_column"
NO_ROWS = "no_rows"
TOO_MANY_ROWS = "too_many_rows"

# Row problems (Issue.problem)
MISSING_COST_CODE = "missing_cost_code"
UNKNOWN_COST_CODE = "unknown_cost_code"
ARCHIVED_COST_CODE = "archived_cost_code"
UNKNOWN_PHASE = "unknown_phase"
ARCHIVED_PHASE = "archived_phase"
UNKNOWN_UOM = "unknown_uom"
MISSING_AMOUNT = "missing_amount"
NOT_A_NUMBER = "not_a_number"
NEGATIVE = "negative"
DUPLICATE_LINE = "duplicate_line"

# Problems about a record the row names that does not exist (the API's
# ``unknown_reference``); the others are invalid values.
UNKNOWN_PROBLEMS = frozenset({UNKNOWN_COST_CODE, UNKNOWN_PHASE, UNKNOWN_UOM})


class ImportFileError(ValueError):
    """The file as a whole cannot be read; ``problem`` is one of the file problem keys.

    >>> ImportFileError(MISSING_COLUMNS, columns=["amount"]).params
    {'columns': ['amount']}
    """

    def __init__(self, problem: str, **params: Any) -> None:
        self.problem = problem
        self.params = params
        super().__init__(f"{problem}: {params}" if params else problem)


@dataclass(frozen=True)
class RawRow:
    """One row as read: ``values`` holds the file's columns only (cells as read).

    ``decimal_comma``: the row comes from a ``;`` separated file, where
    ``1234,50`` means 1234.50.
    """

    row: int
    values: Mapping[str, Any]
    decimal_comma: bool = False


@dataclass(frozen=True)
class Issue:
    """One problem of one row: ``field`` is the column (``cost_code``, ``amount``...)."""

    problem: str
    field: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Lookups:
    """What rows may refer to: ``{code: id}`` of the job's phases, of the cost
    codes of the job's company and ``{name: id}`` of the units of measure
    (matched without regard to case). Archived phases and codes are named so
    that the row says "archived" rather than "unknown"."""

    phases: Mapping[str, int]
    cost_codes: Mapping[str, int]
    uoms: Mapping[str, int]
    archived_phases: Collection[str] = frozenset()
    archived_cost_codes: Collection[str] = frozenset()


@dataclass(frozen=True)
class BudgetRow:
    """A checked row: its values, the ids they resolve to and its issues.

    ``sent`` names the fields the row gives (the file's columns, the keys of a
    message line): updating a budget line writes only those.
    """

    row: int
    phase: str | None
    cost_code: str | None
    description: str | None
    quantity: Decimal | None
    uom: str | None
    amount: Decimal | None
    phase_id: int | None = None
    cost_code_id: int | None = None
    uom_id: int | None = None
    issues: tuple[Issue, ...] = ()
    sent: frozenset[str] = frozenset(COLUMNS)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def key(self) -> tuple[int | None, int | None]:
        """The budget line this row is: (phase id or None, cost code id)."""
        return (self.phase_id, self.cost_code_id)


# ----------------------------------------------------------------------
# Reading files
# ----------------------------------------------------------------------


def _header_key(value: Any) -> str:
    """
    >>> _header_key("  Cost_Code ")
    'cost code'
    >>> _header_key("UNIT-of  measure")
    'unit of measure'
    """
    text = _text(value) or ""
    return " ".join(re.sub(r"[_\-]", " ", text).casefold().split())


def _text(value: Any) -> str | None:
    """A cell as stripped text, ``None`` when blank; integral floats lose ``.0``.

    >>> _text(3.0), _text(" P1 "), _text(""), _text(None)
    ('3', 'P1', None, None)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif hasattr(value, "isoformat"):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.replace("\x00", "").strip()
    return text or None


def _is_xlsx(data: bytes, filename: str) -> bool:
    name = (filename or "").casefold()
    if name.endswith((".xlsx", ".xlsm")):
        return True
    if name.endswith((".csv", ".txt")):
        return False
    if data.startswith(b"PK\x03\x04"):
        return True
    if name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        # The binary Excel 97-2003 format: openpyxl cannot read it.
        raise ImportFileError(UNSUPPORTED_FORMAT, filename=filename or "")
    if "." in name.rsplit("/", 1)[-1]:
        raise ImportFileError(UNSUPPORTED_FORMAT, filename=filename or "")
    return False


def _csv_cells(data: bytes) -> tuple[list[list[Any]], str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(NOT_UTF8, position=exc.start) from exc
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), delimiter


def _xlsx_cells(data: bytes) -> list[list[Any]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(UNREADABLE, reason=str(exc)) from exc
    try:
        if not workbook.worksheets:
            return []
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_file(data: bytes, filename: str = "") -> list[RawRow]:
    """The rows of a CSV (``,`` or ``;``, UTF-8 with or without BOM) or XLSX
    (first sheet) export, under a header row naming the columns.

    >>> rows = read_file(b"Phase;Cost Code;Amount\\nP1;03-300;1200,50\\n", "budget.csv")
    >>> rows[0].row, dict(rows[0].values)
    (2, {'phase': 'P1', 'cost_code': '03-300', 'amount': '1200,50'})
    """
    if not data:
        raise ImportFileError(EMPTY_FILE)
    if _is_xlsx(data, filename):
        cells, decimal_comma = _xlsx_cells(data), False
    else:
        cells, delimiter = _csv_cells(data)
        decimal_comma = delimiter == ";"
    rows = iter(enumerate(cells, start=1))
    header = None
    for _number, row in rows:
        if any(_text(cell) for cell in row):
            header = row
            break
    if header is None:
        raise ImportFileError(EMPTY_FILE)
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        column = HEADER_ALIASES.get(_header_key(title))
        if column is None:
            continue  # other columns of the export are not ours
        if column in columns.values():
            raise ImportFileError(DUPLICATE_COLUMN, column=column)
        columns[index] = column
    missing = [column for column in REQUIRED_COLUMNS if column not in columns.values()]
    if missing:
        raise ImportFileError(
            MISSING_COLUMNS,
            columns=missing,
            found=[_text(title) for title in header if _text(title)],
        )
    result = []
    for number, row in rows:
        if not any(_text(cell) for cell in row):
            continue
        values = {
            column: row[index] if index < len(row) else None for index, column in columns.items()
        }
        result.append(RawRow(number, values, decimal_comma))
        if len(result) > MAX_ROWS:
            raise ImportFileError(TOO_MANY_ROWS, limit=MAX_ROWS)
    if not result:
        raise ImportFileError(NO_ROWS)
    return result


# ----------------------------------------------------------------------
# Numbers
# ----------------------------------------------------------------------

_CURRENCY = "$€£¥"
_GROUPING = re.compile(r"[\s\u00a0\u202f']")


def parse_number(value: Any, decimal_comma: bool = False) -> Decimal | None:
    """A cell as a :class:`Decimal`, ``None`` when blank; ``ValueError`` when not a number.

    Thousands separators and a currency sign are allowed. With both ``.`` and
    ``,`` the last one is the decimal separator; a lone ``,`` is decimal unless
    it is followed by exactly three digits in a ``,`` separated file.

    >>> parse_number("1,234.50"), parse_number("1.234,50"), parse_number("$ 12")
    (Decimal('1234.50'), Decimal('1234.50'), Decimal('12'))
    >>> parse_number("1,250"), parse_number("1,250", decimal_comma=True)
    (Decimal('1250'), Decimal('1.250'))
    >>> parse_number(7.5), parse_number("  ")
    (Decimal('7.5'), None)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = _GROUPING.sub("", str(value)).strip(_CURRENCY + " ")
        if not text:
            return None
        negative = text.startswith("(") and text.endswith(")")
        if negative:
            text = text[1:-1]
        if "," in text and "." in text:
            decimal = "," if text.rindex(",") > text.rindex(".") else "."
            text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
        elif text.count(",") == 1:
            digits_after = len(text) - text.index(",") - 1
            text = text.replace(",", "." if decimal_comma or digits_after != 3 else "")
        elif text.count(",") > 1:
            text = text.replace(",", "")
        elif text.count(".") > 1:
            text = text.replace(".", "")
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text):
            raise ValueError(value)
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(value) from exc
        if negative:
            number = -number
    if not number.is_finite():
        raise ValueError(value)
    return number


# ----------------------------------------------------------------------
# Checking rows
# ----------------------------------------------------------------------


def cost_codes_of(raw_rows: Iterable[RawRow]) -> set[str]:
    """The cost codes the rows name, as :func:`validate_rows` looks them up.

    >>> sorted(cost_codes_of([RawRow(2, {"cost_code": " 03-300 "}), RawRow(3, {"cost_code": 5.0})]))
    ['03-300', '5']
    """
    return {code for raw in raw_rows if (code := _text(raw.values.get("cost_code")))}


def duplicate_keys(keys: Iterable[tuple[str | None, str | None]]) -> dict[int, int]:
    """``{index: index of the first with the same key}`` for repeated (phase, cost code).

    Keys without a cost code are not compared.

    >>> duplicate_keys([("P1", "03"), (None, "03"), ("P1", "03"), (None, None), (None, None)])
    {2: 0}
    """
    first: dict[tuple[str | None, str], int] = {}
    repeated = {}
    for index, (phase, code) in enumerate(keys):
        if not code:
            continue
        seen = first.setdefault((phase or None, code), index)
        if seen != index:
            repeated[index] = seen
    return repeated


def _amount(raw: RawRow, column: str, issues: list[Issue], required: bool) -> Decimal | None:
    value = raw.values.get(column)
    try:
        number = parse_number(value, raw.decimal_comma)
    except ValueError:
        issues.append(Issue(NOT_A_NUMBER, column, {"value": _text(value)}))
        return None
    if number is None:
        if required:
            issues.append(Issue(MISSING_AMOUNT, column))
        return None
    if number < 0:
        issues.append(Issue(NEGATIVE, column, {"value": _text(value)}))
        return None
    return number


def _uoms_by_folded_name(lookups: Lookups) -> dict[str, int]:
    return {name.casefold(): uom_id for name, uom_id in lookups.uoms.items()}


def validate_row(
    raw: RawRow, lookups: Lookups, _uoms: Mapping[str, int] | None = None
) -> BudgetRow:
    """Check one row (not against the others: see :func:`validate_rows`)."""
    issues: list[Issue] = []
    phase = _text(raw.values.get("phase"))
    code = _text(raw.values.get("cost_code"))
    uom = _text(raw.values.get("uom"))
    uoms = _uoms if _uoms is not None else _uoms_by_folded_name(lookups)
    cost_code_id = phase_id = uom_id = None
    if code is None:
        issues.append(Issue(MISSING_COST_CODE, "cost_code"))
    elif code in lookups.cost_codes:
        cost_code_id = lookups.cost_codes[code]
    elif code in lookups.archived_cost_codes:
        issues.append(Issue(ARCHIVED_COST_CODE, "cost_code", {"value": code}))
    else:
        issues.append(Issue(UNKNOWN_COST_CODE, "cost_code", {"value": code}))
    if phase is not None:
        if phase in lookups.phases:
            phase_id = lookups.phases[phase]
        elif phase in lookups.archived_phases:
            issues.append(Issue(ARCHIVED_PHASE, "phase", {"value": phase}))
        else:
            issues.append(Issue(UNKNOWN_PHASE, "phase", {"value": phase}))
    if uom is not None:
        uom_id = uoms.get(uom.casefold())
        if uom_id is None:
            issues.append(Issue(UNKNOWN_UOM, "uom", {"value": uom}))
    quantity = _amount(raw, "quantity", issues, required=False)
    amount = _amount(raw, "amount", issues, required=True)
    return BudgetRow(
        row=raw.row,
        phase=phase,
        cost_code=code,
        description=_text(raw.values.get("description")),
        quantity=quantity,
        uom=uom,
        amount=amount,
        phase_id=phase_id,
        cost_code_id=cost_code_id,
        uom_id=uom_id,
        issues=tuple(issues),
        sent=frozenset(raw.values),
    )


def validate_rows(raw_rows: Iterable[RawRow], lookups: Lookups) -> list[BudgetRow]:
    """Check every row, and that no two rows budget the same (phase, cost code).

    The second of two such rows gets ``duplicate_line`` naming the first.
    """
    uoms = _uoms_by_folded_name(lookups)
    rows = [validate_row(raw, lookups, uoms) for raw in raw_rows]
    repeated = duplicate_keys((row.phase, row.cost_code) for row in rows)
    for index, first in repeated.items():
        row = rows[index]
        issue = Issue(
            DUPLICATE_LINE,
            "cost_code",
            {"phase": row.phase, "value": row.cost_code, "first_row": rows[first].row},
        )
        rows[index] = _with_issue(row, issue)
    return rows


def _with_issue(row: BudgetRow, issue: Issue) -> BudgetRow:
    return dataclasses.replace(row, issues=(*row.issues, issue))


def rows_in_error(rows: Iterable[BudgetRow]) -> list[BudgetRow]:
    return [row for row in rows if row.issues]


# ----------------------------------------------------------------------
# Applying
# ----------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Budget lines to create (rows), update ((line id, row)) and delete (line ids)."""

    create: tuple[BudgetRow, ...]
    update: tuple[tuple[int, BudgetRow], ...]
    delete: tuple[int, ...]


def plan_changes(
    rows: Iterable[BudgetRow],
    existing: Mapping[tuple[int | None, int], int],
    replace: bool = False,
) -> Plan:
    """What to do with the budget's lines ``{(phase id or None, cost code id): line id}``.

    A row updates the line of its (phase, cost code) or creates one; with
    ``replace`` the lines no row names are deleted.

    >>> row = lambda phase, code: BudgetRow(0, None, None, None, None, None, Decimal(1),
    ...                                     phase_id=phase, cost_code_id=code)
    >>> plan = plan_changes([row(1, 7), row(None, 8)], {(1, 7): 50, (2, 7): 51}, replace=True)
    >>> [r.key for r in plan.create], [(i, r.key) for i, r in plan.update], plan.delete
    ([(None, 8)], [(50, (1, 7))], (51,))
    """
    rows = list(rows)
    if rows_in_error(rows):
        raise ValueError("rows in error cannot be applied")
    create, update, named = [], [], set()
    for row in rows:
        line_id = existing.get(row.key)
        named.add(row.key)
        if line_id is None:
            create.append(row)
        else:
            update.append((line_id, row))
    delete = tuple(line_id for key, line_id in existing.items() if replace and key not in named)
    return Plan(tuple(create), tuple(update), delete)
