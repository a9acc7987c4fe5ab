from . import report_job_cost
