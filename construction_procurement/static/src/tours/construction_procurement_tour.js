/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * A site supervisor on a phone receives part of a delivery: the Receive on
 * Site kanban, the receipt of purchase order PO-TOUR-0001 (its origin), 5 of
 * the 10 ordered, one button. tests/test_tour.py builds the data and checks
 * the picking, its backorder and the order line afterwards.
 */
registry.category("web_tour.tours").add("construction_procurement_site_receipt", {
    url: "/odoo/action-construction_procurement.stock_picking_action_site_receive",
    steps: () => [
        {
            content: "The receipt of the order is on the supervisor's kanban",
            trigger: ".o_kanban_view .o_kanban_record:contains('PO-TOUR-0001')",
            run: "click",
        },
        {
            content: "The site receipt form shows the job",
            trigger: ".o_form_view .o_field_widget[name=job_id]:contains('J-9001')",
        },
        {
            content: "Open the line of the delivered product",
            trigger:
                ".o_field_widget[name=move_ids] .o_data_row:contains('Tour Gravel') .o_data_cell[name=quantity]",
            run: "click",
        },
        {
            content: "5 of the 10 ordered arrived",
            trigger: ".o_field_widget[name=move_ids] .o_data_row .o_field_widget[name=quantity] input",
            run: "edit 5",
        },
        {
            content: "Leave the line",
            trigger: ".o_form_view .o_field_widget[name=site_note] textarea",
            run: "edit Five bags short, driver says the rest comes Monday.",
        },
        {
            content: "Confirm the receipt",
            trigger: ".o_form_view button[name=action_site_validate]",
            run: "click",
        },
        {
            content: "The receipt is done",
            trigger: ".o_form_view .o_site_receipt_done",
        },
        {
            content: "and Confirm receipt is gone",
            trigger: ".o_form_view:not(:has(button[name=action_site_validate]))",
        },
    ],
});
