from . import report_job_cost, report_wip
