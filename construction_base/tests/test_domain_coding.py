import doctest
import unittest

from ..domain import coding, csi


class TestDomainCoding(unittest.TestCase):
    def test_codes(self):
        self.assertIsNone(coding.code_problem("J-1001"))
        self.assertIsNone(coding.code_problem("03-300"))
        self.assertIsNone(coding.code_problem("A.1/b_2"))
        self.assertEqual(coding.code_problem(""), "empty")
        self.assertEqual(coding.code_problem(None), "empty")
        self.assertEqual(coding.code_problem("J 1001"), "bad_chars")
        self.assertEqual(coding.code_problem("-J1"), "bad_chars")
        self.assertEqual(coding.code_problem("<b>x</b>"), "bad_chars")
        self.assertEqual(coding.code_problem("x" * 65), "too_long")
        self.assertIsNone(coding.code_problem("x" * 64))

    def test_normalize(self):
        self.assertEqual(coding.normalize_code("  J-1001\t"), "J-1001")
        self.assertIs(coding.normalize_code(False), False)

    def test_percent(self):
        self.assertIsNone(coding.percent_problem(0))
        self.assertIsNone(coding.percent_problem(100))
        self.assertEqual(coding.percent_problem(100.01), "must be between 0 and 100")
        self.assertEqual(coding.percent_problem(-1), "must be between 0 and 100")

    def test_csi(self):
        codes = [code for code, _name, _type in csi.DIVISIONS]
        self.assertEqual(len(codes), len(set(codes)))
        self.assertEqual(codes[:4], ["00", "01", "02", "03"])
        self.assertEqual({c: n for c, n, _t in csi.DIVISIONS}["03"], "Concrete")
        missing = csi.missing_divisions({"00", "01", "03"})
        self.assertEqual(len(missing), len(codes) - 3)
        self.assertNotIn("03", [code for code, _n, _t in missing])

    def test_doctests(self):
        for module in (coding, csi):
            result = doctest.testmod(module)
            self.assertGreater(result.attempted, 0, module.__name__)
            self.assertEqual(result.failed, 0, module.__name__)
