/** @odoo-module **/
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("construction_base_open_app", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Construction app",
            trigger: '.o_app[data-menu-xmlid="construction_base.construction_menu_root"]',
            run: "click",
        },
        {
            content: "The job list shows the job code",
            trigger: ".o_list_view .o_data_row td[name='job_code']:contains('J-9001')",
            run: "click",
        },
        {
            content: "The job form opens with its job page",
            trigger: ".o_form_view .o_notebook a.nav-link:contains('Job')",
            run: "click",
        },
        {
            content: "Its phases are listed",
            trigger: ".o_form_view .o_field_one2many[name='phase_ids'] td:contains('Foundations')",
        },
    ],
});
