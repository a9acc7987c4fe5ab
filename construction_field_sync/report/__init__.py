from . import report_daily_log, report_daily_log_week
