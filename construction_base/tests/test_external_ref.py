from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ConstructionCase


@tagged("post_install", "-at_install")
class TestExternalRef(ConstructionCase):
    def test_bind_and_resolve(self):
        Ref = self.env["construction.external.ref"]
        vendor_a = self.env["res.partner"].create({"name": "Vendor A"})
        vendor_b = self.env["res.partner"].create({"name": "Vendor B"})
        refs = Ref._bind("procure", {"V-1": vendor_a, "V-2": vendor_b})
        self.assertEqual(len(refs), 2)
        self.assertEqual(refs.mapped("record_name"), ["Vendor A", "Vendor B"])
        found = Ref._resolve("procure", "res.partner", ["V-1", "V-2", "V-404", ""])
        self.assertEqual(found, {"V-1": vendor_a, "V-2": vendor_b})
        # Another source's ids are its own.
        self.assertEqual(Ref._resolve("fieldapp", "res.partner", ["V-1"]), {})

        # Re-binding an id points it at the new record, without a second ref.
        vendor_c = self.env["res.partner"].create({"name": "Vendor C"})
        Ref._bind("procure", {"V-1": vendor_c})
        self.assertEqual(Ref._resolve("procure", "res.partner", ["V-1"]), {"V-1": vendor_c})
        self.assertEqual(Ref.search_count([("source", "=", "procure")]), 2)

    def test_deleted_record_is_unknown(self):
        Ref = self.env["construction.external.ref"]
        vendor = self.env["res.partner"].create({"name": "Short-lived"})
        Ref._bind("procure", {"V-9": vendor})
        vendor.unlink()
        self.assertEqual(Ref._resolve("procure", "res.partner", ["V-9"]), {})

    def test_unique_in_database(self):
        Ref = self.env["construction.external.ref"]
        Ref._bind("procure", {"J": self.job})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Ref.create(
                    {
                        "source": "procure",
                        "res_model": "project.project",
                        "res_id": self.job_2.id,
                        "external_id": "J",
                    }
                )
