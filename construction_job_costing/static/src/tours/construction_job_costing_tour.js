/** @odoo-module **/
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * The project manager drills down from a job cost figure to the bill behind it:
 * Construction > Job Cost > Job Cost Report, the job's group, the actual cost
 * of phase P1 / cost code 03-300, the analytic line of the bill, its Document
 * button, and the posted bill GRM-TOUR-77. tests/test_tour.py builds the job,
 * its approved budget, the received order and the posted bill.
 */
registry.category("web_tour.tours").add("construction_job_costing_drill_to_bill", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Construction app",
            trigger: '.o_app[data-menu-xmlid="construction_base.construction_menu_root"]',
            run: "click",
        },
        {
            content: "Open the Job Cost menu",
            trigger:
                '.o_menu_sections [data-menu-xmlid="construction_job_costing.construction_menu_job_cost"]',
            run: "click",
        },
        {
            content: "Open the Job Cost Report",
            trigger:
                '.dropdown-item[data-menu-xmlid="construction_job_costing.construction_job_cost_report_menu"]',
            run: "click",
        },
        {
            content: "Unfold the job's group",
            trigger: ".o_list_view .o_group_header:contains('J-9001')",
            run: "click",
        },
        {
            content: "The line of P1 / 03-300 shows the billed 1,800.00 as actual",
            trigger:
                ".o_list_view .o_data_row:has(td[name=phase_id]:contains('P1')):has(td[name=cost_code_id]:contains('03-300')) td[name=actual]:contains('1,800.00')",
        },
        {
            content: "Open the actual cost of the line",
            trigger:
                ".o_list_view .o_data_row:has(td[name=phase_id]:contains('P1')):has(td[name=cost_code_id]:contains('03-300')) button[name=action_open_actual]",
            run: "click",
        },
        {
            content: "The actual cost is the analytic line of the bill",
            trigger: ".o_list_view .o_data_row td[name=amount]:contains('-1,800.00')",
        },
        {
            content: "Open the document behind it",
            trigger: ".o_list_view .o_data_row button[name=action_open_job_cost_source]",
            run: "click",
        },
        {
            content: "The vendor bill opens, with its vendor",
            trigger: ".o_form_view .o_field_widget[name=partner_id]:contains('Granite Ready-Mix')",
        },
        {
            content: "with the vendor's reference",
            trigger: ".o_form_view .o_field_widget[name=ref] input:value(GRM-TOUR-77)",
        },
        {
            content: "and it is posted",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Posted')",
        },
    ],
});
