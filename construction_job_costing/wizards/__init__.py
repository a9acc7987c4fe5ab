from . import (
    construction_budget_import_wizard,
    construction_budget_import_wizard_line,
    construction_budget_override_wizard,
    construction_job_cost_as_of_wizard,
    construction_retention_release_wizard,
    construction_wip_as_of_wizard,
)
