/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * A controller opens a vendor bill blocked by a price exception (the test passes
 * the bill's URL), overrides the exception with a reason and posts the bill.
 */
registry.category("web_tour.tours").add("construction_ap_match_override", {
    steps: () => [
        {
            content: "The bill is blocked by its match",
            trigger: ".o_form_view .o_field_widget[name=construction_match_state] .badge:contains('Blocked')",
        },
        {
            content: "Open the Match tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name=construction_match]",
            run: "click",
        },
        {
            content: "Override the price exception",
            trigger:
                ".o_field_widget[name=construction_exception_ids] .o_data_row:has(td[name=reason]:contains('Price over tolerance')) button[name=action_open_override_wizard]",
            run: "click",
        },
        {
            content: "Say why the price is accepted",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Fuel surcharge agreed",
        },
        {
            content: "Confirm the override",
            trigger: ".modal .modal-footer button[name=action_override]",
            run: "click",
        },
        {
            content: "The exception shows as overridden",
            trigger:
                "body:not(:has(.modal)) .o_field_widget[name=construction_exception_ids] .o_data_row td[name=state]:contains('Overridden')",
        },
        {
            content: "The bill is matched now",
            trigger: ".o_form_view .o_field_widget[name=construction_match_state] .badge:contains('Matched')",
        },
        {
            content: "Post the bill",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_post]",
            run: "click",
        },
        {
            content: "The bill is posted",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Posted')",
        },
    ],
});
