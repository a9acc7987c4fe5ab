{
    "name": "Construction Field Sync",
    "summary": "Crew time, daily logs, installed quantities and equipment hours from field "
    "apps that work offline, approved by site supervisors, into job cost",
    "version": "18.0.1.0.0",
    "category": "Construction",
    "author": "Construction Suite Developers",
    "license": "LGPL-3",
    "depends": ["construction_job_costing", "hr_timesheet"],
    "data": [
        "security/construction_field_sync_security.xml",
        "security/ir.model.access.csv",
        "security/ir.model.access-time.csv",
        "security/ir.model.access-daily_log.csv",
        "security/ir.model.access-equipment.csv",
        "views/construction_field_sync_menus.xml",
        "views/construction_field_common_views.xml",
        # Each feature's views hold its own menu items, under the Site menu.
        "wizards/construction_crew_entry_wizard_views.xml",
        "wizards/construction_timesheet_reject_wizard_views.xml",
        "views/account_analytic_line_views.xml",
        "views/res_config_settings_views.xml",
        "report/construction_daily_log_templates.xml",
        "views/construction_daily_log_views.xml",
        "views/construction_equipment_views.xml",
        "views/construction_installed_quantity_views.xml",
        "views/construction_job_cost_report_views.xml",
        "views/project_project_views.xml",
    ],
    "demo": [
        "demo/construction_field_sync_demo.xml",
    ],
    "assets": {
        "web.assets_tests": ["construction_field_sync/static/src/tours/*.js"],
    },
}
