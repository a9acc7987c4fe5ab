from . import (
    construction_budget_import_wizard,
    construction_budget_import_wizard_line,
    construction_budget_override_wizard,
    construction_job_cost_as_of_wizard,
)
