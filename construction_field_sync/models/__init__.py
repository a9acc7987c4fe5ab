from . import (
    construction_field_record,
    construction_field_revision,
    construction_field_amendment,
    construction_field_sync_log,
    construction_field_sync_status,
    construction_sync_inbound,
    account_analytic_line,
    project_project,
    # crew time
    account_analytic_line_approval,
    construction_field_day_claim,
    res_company,
    res_config_settings,
    construction_job_cost_report,
    # daily logs
    construction_daily_log,
    construction_daily_log_manpower,
    construction_daily_log_incident,
    ir_attachment,
    # equipment and installed quantities
    construction_equipment,
    construction_equipment_usage,
    account_analytic_line_equipment,
    construction_installed_quantity,
    construction_budget_line,
    construction_job_cost_report_installed,
    construction_field_sync_demo,
)
