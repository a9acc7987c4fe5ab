/** @odoo-module **/
import { registry } from "@web/core/registry";

/**
 * A site supervisor's day on the phone (the test runs it at 390 px wide):
 * Site > Daily Logs > Today, a new log for job J-9001 with the weather, one
 * manpower line and a photo, submitted; then Site > Crew Time, yesterday's
 * time of the crew on J-9001, approved for the whole day from one line.
 * tests/test_tour.py builds the job, the crew's submitted time and checks
 * what the tour leaves in the database.
 */

// A 1x1 PNG, as a phone camera would send a (larger) JPEG.
const PIXEL =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

function photoFile() {
    const bytes = Uint8Array.from(atob(PIXEL), (c) => c.charCodeAt(0));
    return new File([bytes], "pour-level-2.png", { type: "image/png" });
}

registry.category("web_tour.tours").add("construction_field_sync_site_day", {
    steps: () => [
        {
            content: "Today's daily logs are empty: create one",
            trigger: ".o_control_panel button.o-kanban-button-new, .o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Pick the job: on the phone it opens a search screen",
            trigger: ".o_form_view .o_field_widget[name=job_id] input",
            run: "click",
        },
        {
            content: "Choose J-9001, the supervisor's job",
            trigger: ".modal .o_kanban_record:contains('J-9001')",
            run: "click",
        },
        {
            content: "Write the weather",
            trigger: ".o_form_view .o_field_widget[name=weather_conditions] input",
            run: "edit Overcast, light rain after 2 pm",
        },
        {
            content: "Add a manpower line",
            trigger: ".o_field_widget[name=manpower_ids] .o_field_x2many_list_row_add a, .o_field_widget[name=manpower_ids] .o-kanban-button-new",
            run: "click",
        },
        {
            content: "The trade",
            trigger: ".o_field_widget[name=manpower_ids] .o_data_row.o_selected_row .o_field_widget[name=trade] input",
            run: "edit Concrete finishers",
        },
        {
            content: "The headcount",
            trigger: ".o_field_widget[name=manpower_ids] .o_data_row.o_selected_row .o_field_widget[name=headcount] input",
            run: "edit 6",
        },
        {
            content: "The hours per person",
            trigger: ".o_field_widget[name=manpower_ids] .o_data_row.o_selected_row .o_field_widget[name=hours] input",
            run: "edit 8",
        },
        {
            content: "Leave the line",
            trigger: ".o_form_view .o_field_widget[name=weather_conditions] input",
            run: "click",
        },
        {
            content: "The log shows 48 man-hours",
            trigger: ".o_form_view .o_field_widget[name=manpower_hours]:contains('48')",
        },
        {
            content: "Attach a photo from the phone (the button opens the camera)",
            trigger: ".o_form_view .o_field_widget[name=photo_ids] .o_attach",
            async run() {
                const input = document.querySelector(
                    ".o_form_view .o_field_widget[name=photo_ids] input[type=file]"
                );
                const transfer = new DataTransfer();
                transfer.items.add(photoFile());
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The photo is attached",
            trigger: ".o_form_view .o_field_widget[name=photo_ids] .o_attachment:contains('pour-level-2')",
        },
        {
            content: "On the phone the log's buttons are in the gear menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Submit the log",
            trigger: ".o-dropdown--menu button[name=action_submit]",
            run: "click",
        },
        {
            content: "The log is submitted",
            trigger: ".o_form_view .o_statusbar_status:contains('Submitted')",
        },
        {
            content: "Go to the crew time to approve",
            trigger: "body",
            run: "goToUrl /odoo/action-construction_field_sync.account_analytic_line_field_time_action",
        },
        {
            content: "Unfold yesterday",
            trigger: ".o_list_view .o_group_header:contains('(3)')",
            run: "click",
        },
        {
            content: "Unfold the job",
            trigger: ".o_list_view .o_group_header:contains('J-9001')",
            run: "click",
        },
        {
            content: "Open the first line of the crew",
            trigger: ".o_list_view .o_data_row:first td[name=employee_id]",
            run: "click",
        },
        {
            content: "Open the line's gear menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Approve the whole day of the crew",
            trigger: ".o-dropdown--menu button[name=action_field_approve_day]",
            run: "click",
        },
        {
            content: "The line is approved",
            trigger: ".o_form_view .o_field_widget[name=field_state]:contains('Approved')",
        },
    ],
});
