{
    "name": "Construction AP Match",
    "summary": "Two- and three-way matching of vendor bills with tolerance rules, duplicate "
    "detection, exceptions routed to the person who can fix them, payment control and "
    "vendor compliance gating (insurance, licences, lien waivers)",
    "version": "18.0.1.0.0",
    "category": "Construction",
    "author": "Construction Suite Developers",
    "license": "LGPL-3",
    "depends": ["construction_procurement", "account"],
    "data": [
        "security/ir.model.access.csv",
        "security/construction_ap_match_security.xml",
        "data/construction_compliance_requirement_data.xml",
        "data/construction_compliance_cron.xml",
        "views/construction_match_rule_views.xml",
        "views/construction_compliance_requirement_views.xml",
        "views/construction_compliance_document_views.xml",
        "views/res_partner_views.xml",
        "views/purchase_order_views.xml",
        "views/account_move_compliance_views.xml",
        "views/construction_match_exception_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "views/construction_ap_match_menus.xml",
        "wizards/construction_match_override_wizard_views.xml",
        "wizards/construction_compliance_release_wizard_views.xml",
    ],
    "demo": [
        "demo/construction_ap_match_demo.xml",
        "demo/construction_compliance_demo.xml",
    ],
    "assets": {
        "web.assets_tests": ["construction_ap_match/static/src/tours/*.js"],
    },
}
