import doctest
import io
from decimal import Decimal

import openpyxl

from ..domain import budget_import as rules
from ..domain.budget_import import BudgetRow, ImportFileError, Issue, Lookups, RawRow

if __name__.startswith("odoo.addons."):
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase

LOOKUPS = Lookups(
    phases={"P1": 11, "P2": 12},
    cost_codes={"03-300": 31, "03-310": 32, "5": 35},
    uoms={"m³": 41, "Units": 42, "Hours": 43},
    archived_phases={"P0"},
    archived_cost_codes={"01-000"},
)


def xlsx(rows):
    """A workbook with ``rows`` on its first sheet and a decoy second sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Notes").append(["cost code", "amount"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def values(rows):
    return [(raw.row, dict(raw.values)) for raw in rows]


def check(*rows):
    return rules.validate_rows([RawRow(number, row) for number, row in rows], LOOKUPS)


class TestReadFile(TestCase):
    def test_csv_comma_with_bom_and_header_spellings(self):
        data = (
            "\ufeffPhase,COST_CODE,Description,Qty,UoM,Amount,Notes\n"
            'P1,03-300,"Footings, east",12.5,m³,"1,250.00",x\n'
            "\n"
            ",03-310,Labor,,,800\n"
        ).encode()
        self.assertEqual(
            values(rules.read_file(data, "budget.CSV")),
            [
                (
                    2,
                    {
                        "phase": "P1",
                        "cost_code": "03-300",
                        "description": "Footings, east",
                        "quantity": "12.5",
                        "uom": "m³",
                        "amount": "1,250.00",
                    },
                ),
                (
                    4,
                    {
                        "phase": "",
                        "cost_code": "03-310",
                        "description": "Labor",
                        "quantity": "",
                        "uom": "",
                        "amount": "800",
                    },
                ),
            ],
        )

    def test_csv_semicolon_reads_decimal_commas(self):
        data = b"phase;cost code;amount;quantity\nP1;03-300;1.250,50;2,5\n"
        [raw] = rules.read_file(data, "b.csv")
        self.assertTrue(raw.decimal_comma)
        [row] = rules.validate_rows([raw], LOOKUPS)
        self.assertEqual(
            (row.amount, row.quantity, row.issues), (Decimal("1250.50"), Decimal("2.5"), ())
        )
        # In a ";" file a lone comma is decimal even before three digits.
        [raw] = rules.read_file(b"cost code;amount\n03-300;1,250\n", "b.csv")
        self.assertEqual(rules.validate_rows([raw], LOOKUPS)[0].amount, Decimal("1.250"))

    def test_xlsx_first_sheet_typed_cells(self):
        data = xlsx(
            [
                [None],
                ["Phase", "Cost Code", "Description", "Quantity", "UOM", "Amount"],
                ["P2", "03-300", "Slab", 40, "m³", 5200.5],
                [None, 5, None, None, None, 100],
            ]
        )
        rows = rules.read_file(data, "estimate.xlsx")
        self.assertEqual([raw.row for raw in rows], [3, 4])
        checked = rules.validate_rows(rows, LOOKUPS)
        self.assertEqual(
            [
                (r.phase, r.cost_code, r.description, r.quantity, r.uom, r.amount, r.issues)
                for r in checked
            ],
            [
                ("P2", "03-300", "Slab", Decimal("40"), "m³", Decimal("5200.5"), ()),
                (None, "5", None, None, None, Decimal("100"), ()),
            ],
        )
        self.assertEqual(
            [(r.phase_id, r.cost_code_id, r.uom_id) for r in checked],
            [(12, 31, 41), (None, 35, None)],
        )

    def test_xlsx_recognised_without_extension(self):
        data = xlsx([["cost code", "amount"], ["03-300", 1]])
        self.assertEqual(
            values(rules.read_file(data, "")), [(2, {"cost_code": "03-300", "amount": 1})]
        )

    def test_file_problems(self):
        cases = [
            (b"", "b.csv", rules.EMPTY_FILE, {}),
            (b"\n \n", "b.csv", rules.EMPTY_FILE, {}),
            (b"cost code,amount\n", "b.csv", rules.NO_ROWS, {}),
            (
                b"phase,code,value\nP1,03-300,1\n",
                "b.csv",
                rules.MISSING_COLUMNS,
                {"columns": ["cost_code", "amount"], "found": ["phase", "code", "value"]},
            ),
            (
                b"cost code,amount,Amount\n03-300,1,2\n",
                "b.csv",
                rules.DUPLICATE_COLUMN,
                {"column": "amount"},
            ),
            (b"cost code,amount\n03-300,1\xe9\n", "b.csv", rules.NOT_UTF8, {"position": 25}),
            (b"\xd0\xcf\x11\xe0rest", "old.xls", rules.UNSUPPORTED_FORMAT, {"filename": "old.xls"}),
            (b"whatever", "budget.ods", rules.UNSUPPORTED_FORMAT, {"filename": "budget.ods"}),
        ]
        for data, filename, problem, params in cases:
            with self.subTest(data=data), self.assertRaises(ImportFileError) as caught:
                rules.read_file(data, filename)
            self.assertEqual((caught.exception.problem, caught.exception.params), (problem, params))
        with self.assertRaises(ImportFileError) as caught:
            rules.read_file(b"PK\x03\x04 not really a zip", "b.xlsx")
        self.assertEqual(caught.exception.problem, rules.UNREADABLE)

    def test_too_many_rows(self):
        data = "cost code,amount\n" + "03-300,1\n" * (rules.MAX_ROWS + 1)
        with self.assertRaises(ImportFileError) as caught:
            rules.read_file(data.encode(), "b.csv")
        self.assertEqual(caught.exception.params, {"limit": rules.MAX_ROWS})


class TestValidateRows(TestCase):
    def test_every_row_problem_names_its_field(self):
        rows = check(
            (2, {"phase": "P1", "cost_code": "03-300", "amount": "100", "uom": "units"}),
            (3, {"phase": "P9", "cost_code": "99-999", "amount": "1"}),
            (4, {"phase": "P0", "cost_code": "01-000", "amount": "1"}),
            (5, {"cost_code": " ", "amount": "abc", "quantity": "-2"}),
            (6, {"cost_code": "03-310", "amount": "(50)", "uom": "furlong"}),
            (7, {"cost_code": "5", "amount": ""}),
            (8, {"phase": "P1", "cost_code": "03-300", "amount": "5"}),
            (9, {"phase": "", "cost_code": "03-310", "amount": "5"}),
        )
        self.assertEqual(
            [(row.row, row.issues) for row in rows],
            [
                (2, ()),
                (
                    3,
                    (
                        Issue(rules.UNKNOWN_COST_CODE, "cost_code", {"value": "99-999"}),
                        Issue(rules.UNKNOWN_PHASE, "phase", {"value": "P9"}),
                    ),
                ),
                (
                    4,
                    (
                        Issue(rules.ARCHIVED_COST_CODE, "cost_code", {"value": "01-000"}),
                        Issue(rules.ARCHIVED_PHASE, "phase", {"value": "P0"}),
                    ),
                ),
                (
                    5,
                    (
                        Issue(rules.MISSING_COST_CODE, "cost_code"),
                        Issue(rules.NEGATIVE, "quantity", {"value": "-2"}),
                        Issue(rules.NOT_A_NUMBER, "amount", {"value": "abc"}),
                    ),
                ),
                (
                    6,
                    (
                        Issue(rules.UNKNOWN_UOM, "uom", {"value": "furlong"}),
                        Issue(rules.NEGATIVE, "amount", {"value": "(50)"}),
                    ),
                ),
                (7, (Issue(rules.MISSING_AMOUNT, "amount"),)),
                (
                    8,
                    (
                        Issue(
                            rules.DUPLICATE_LINE,
                            "cost_code",
                            {"phase": "P1", "value": "03-300", "first_row": 2},
                        ),
                    ),
                ),
                (
                    9,
                    (
                        Issue(
                            rules.DUPLICATE_LINE,
                            "cost_code",
                            {"phase": None, "value": "03-310", "first_row": 6},
                        ),
                    ),
                ),
            ],
        )
        self.assertEqual(rows[0].uom_id, 42, "units are matched without regard to case")
        self.assertEqual([row.row for row in rules.rows_in_error(rows)], [3, 4, 5, 6, 7, 8, 9])

    def test_same_code_in_two_phases_is_two_lines(self):
        rows = check(
            (2, {"phase": "P1", "cost_code": "03-300", "amount": "1"}),
            (3, {"phase": "P2", "cost_code": "03-300", "amount": "2"}),
            (4, {"cost_code": "03-300", "amount": "3"}),
        )
        self.assertEqual([row.issues for row in rows], [(), (), ()])
        self.assertEqual([row.key for row in rows], [(11, 31), (12, 31), (None, 31)])

    def test_numbers(self):
        cases = {
            "1,234.50": Decimal("1234.50"),
            "1.234,50": Decimal("1234.50"),
            "1 234,5": Decimal("1234.5"),
            "€ 99": Decimal("99"),
            "12,5": Decimal("12.5"),
            "1,250": Decimal("1250"),
            "1.250.000": Decimal("1250000"),
            "0": Decimal("0"),
            ".5": Decimal("0.5"),
            7: Decimal("7"),
            2.25: Decimal("2.25"),
            None: None,
            "": None,
        }
        for value, expected in cases.items():
            with self.subTest(value=value):
                self.assertEqual(rules.parse_number(value), expected)
        self.assertEqual(rules.parse_number("1,250", decimal_comma=True), Decimal("1.250"))
        for value in ("abc", "1.2.3,4,5", "NaN", "inf", "1e5", True, "12-3"):
            with self.subTest(value=value), self.assertRaises(ValueError):
                rules.parse_number(value)

    def test_sent_fields_are_the_columns_given(self):
        [row] = check((2, {"cost_code": "03-300", "amount": 1}))
        self.assertEqual(row.sent, {"cost_code", "amount"})


class TestPlan(TestCase):
    @staticmethod
    def row(phase_id, cost_code_id, issues=()):
        return BudgetRow(
            2, None, None, None, None, None, Decimal(1), phase_id, cost_code_id, None, issues
        )

    def test_create_update_and_replace(self):
        rows = [self.row(11, 31), self.row(None, 32)]
        existing = {(11, 31): 501, (12, 31): 502}
        plan = rules.plan_changes(rows, existing)
        self.assertEqual(
            ([r.key for r in plan.create], [(i, r.key) for i, r in plan.update], plan.delete),
            ([(None, 32)], [(501, (11, 31))], ()),
        )
        plan = rules.plan_changes(rows, existing, replace=True)
        self.assertEqual(plan.delete, (502,))

    def test_rows_in_error_are_refused(self):
        with self.assertRaises(ValueError):
            rules.plan_changes([self.row(None, None, (Issue(rules.MISSING_COST_CODE, "x"),))], {})

    def test_doctests(self):
        result = doctest.testmod(rules)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)
