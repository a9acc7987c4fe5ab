{
    "name": "Construction Base",
    "summary": "Jobs with phases and cost codes, cost types, retention defaults, "
    "external references, construction roles and multi-company rules",
    "version": "18.0.1.0.0",
    "category": "Construction",
    "author": "Construction Suite Developers",
    "license": "LGPL-3",
    "depends": ["project", "analytic", "account"],
    "data": [
        "security/construction_base_groups.xml",
        "security/ir.model.access.csv",
        "security/construction_base_security.xml",
        "data/construction_cost_code_data.xml",
        "views/construction_cost_code_views.xml",
        "views/construction_phase_views.xml",
        "views/project_project_views.xml",
        "views/construction_external_ref_views.xml",
        "views/account_analytic_line_views.xml",
        "views/res_config_settings_views.xml",
        "views/construction_base_menus.xml",
    ],
    "demo": ["demo/construction_base_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "construction_base/static/src/tours/*.js",
        ],
    },
    "application": True,
}
