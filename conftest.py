"""pytest-odoo glue for the whole repository.

Odoo logs an error with a stack trace when its test framework is imported
outside test mode, which is what pytest's collection does. Test mode is on
during collection only: the registry must still load with it off, or Odoo
would run every module's at_install tests while loading (pytest-odoo turns
it on again around each test module).
"""

import logging

import odoo

logging.getLogger("odoo.tests.common").addFilter(
    lambda record: not record.getMessage().startswith("Importing test framework")
)


def pytest_collectstart(collector):
    odoo.tools.config["test_enable"] = True


def pytest_collection_finish(session):
    odoo.tools.config["test_enable"] = False
