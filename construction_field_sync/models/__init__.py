from . import (
    construction_field_record,
    construction_field_revision,
    construction_field_amendment,
    construction_field_sync_status,
    construction_sync_inbound,
    account_analytic_line,
    project_project,
)
