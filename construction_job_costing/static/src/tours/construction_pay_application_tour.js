/** @odoo-module **/
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * Billing staff certify a pay application and open it on paper: Construction >
 * Job Cost > Pay Applications, the submitted J-9001-PA-001, Certify (confirm),
 * the certified figures and the invoice, then Preview: the report of the PDF,
 * with its application summary (line 8, current payment due 337,000.00) and
 * its continuation sheet. tests/test_tour_pay_application.py builds the job,
 * its schedule of values and the submitted application.
 */
registry.category("web_tour.tours").add("construction_job_costing_certify_pay_application", {
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
            content: "Open the pay applications",
            trigger:
                '.dropdown-item[data-menu-xmlid="construction_job_costing.construction_pay_application_menu"]',
            run: "click",
        },
        {
            content: "Open the submitted application of J-9001",
            trigger: ".o_list_view .o_data_row td[name=name]:contains('J-9001-PA-001')",
            run: "click",
        },
        {
            content: "It is submitted, asking for 337,000.00",
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Submitted')",
        },
        {
            content: "Certify it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_certify]",
            run: "click",
        },
        {
            content: "Confirm: it creates the invoice",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The application is certified",
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Certified')",
        },
        {
            content: "with its invoice",
            trigger: ".o_form_view button[name=action_view_invoice]",
        },
        {
            content: "Line 8, current payment due",
            trigger: ".o_form_view .o_field_widget[name=current_payment_due]:contains('337,000.00')",
        },
        {
            content: "Open the application on paper",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_preview]",
            run: "click",
        },
        {
            content: "The report of the PDF opens",
            trigger:
                ".o_action iframe[src*='/report/html/construction_job_costing.report_pay_application/']",
        },
        {
            content: "Its summary page shows line 8, current payment due",
            trigger:
                ":iframe .o_construction_pay_application_summary tr[name=line_8]:contains('CURRENT PAYMENT DUE'):contains('337,000.00')",
        },
        {
            content: "Its continuation sheet has the row of item 3",
            trigger:
                ":iframe .o_construction_pay_application_continuation tr[name=row_3] td[name=td_total]:contains('160,000.00')",
        },
    ],
});
