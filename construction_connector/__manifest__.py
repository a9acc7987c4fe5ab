{
    "name": "Construction Connector",
    "summary": "Inbound and outbound sync queues with idempotency, retries, dead letters, "
    "signed webhooks and the JSON API of the integration contract",
    "version": "18.0.1.0.0",
    "category": "Construction",
    "author": "Construction Suite Developers",
    "license": "LGPL-3",
    "depends": ["construction_base", "mail"],
    "external_dependencies": {"python": ["pydantic", "requests"]},
    "data": [
        "security/construction_connector_groups.xml",
        "security/ir.model.access.csv",
        "security/construction_connector_security.xml",
        "data/ir_cron_data.xml",
        "views/construction_sync_source_views.xml",
        "views/construction_sync_inbound_views.xml",
        "views/construction_sync_endpoint_views.xml",
        "views/construction_sync_outbound_views.xml",
        "views/construction_connector_menus.xml",
    ],
    "demo": ["demo/construction_connector_demo.xml"],
}
