from . import (
    construction_crew_entry_wizard,
    construction_crew_entry_wizard_line,
    construction_timesheet_reject_wizard,
    construction_daily_log_week_wizard,
)
