from decimal import Decimal

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..domain.daily_log import ManpowerLine, week_bounds, week_days, week_label, week_totals


class ReportDailyLogWeek(models.AbstractModel):
    """The weekly daily report: the logs of a job for one ISO week, with the
    week's manpower per day and per trade.

    The report prints the logs it is given (from the list, or from the
    "Weekly Daily Report" wizard of a job), one section per job and week;
    withdrawn logs are left out.
    """

    _name = "report.construction_field_sync.report_daily_log_week"
    _description = "Weekly Daily Report (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        logs = self.env["construction.daily.log"].browse(docids)
        logs.check_access("read")
        logs = logs.filtered(lambda log: log.state != "cancelled")
        if not logs:
            raise UserError(_("There is no daily log to print: withdrawn logs are left out."))
        return {
            "doc_ids": logs.ids,
            "doc_model": "construction.daily.log",
            "docs": logs,
            "weeks": self._weeks(logs),
            "day_name": lambda day: format_date(self.env, day, date_format="EEEE"),
            "hours": lambda value: "%.2f" % float(value or 0),
        }

    @api.model
    def _weeks(self, logs):
        """[{job, week, start, end, days, trades, headcount, hours, ...}] of
        the logs, one per job and ISO week, by job code then week."""
        groups = {}
        for log in logs.sorted(lambda log: (log.job_id.job_code or "", log.date, log.id)):
            start, _end = week_bounds(log.date)
            groups.setdefault((log.job_id, start), self.env["construction.daily.log"])
            groups[(log.job_id, start)] |= log
        weeks = []
        for (job, start), week_logs in groups.items():
            days = week_days(start)
            lines = [
                ManpowerLine(
                    day=line.log_id.date,
                    trade=line.trade,
                    subcontractor=line.subcontractor or None,
                    headcount=line.headcount,
                    hours=Decimal(str(line.hours)),
                )
                for line in week_logs.manpower_ids
            ]
            totals = week_totals(lines, days)
            weeks.append(
                {
                    "job": job,
                    "week": week_label(start),
                    "start": start,
                    "end": week_bounds(start)[1],
                    "logs": week_logs,
                    "days": [
                        {
                            "date": day,
                            "logs": week_logs.filtered(lambda log, day=day: log.date == day),
                            "headcount": totals.by_day[day][0],
                            "hours": totals.by_day[day][1],
                        }
                        for day in days
                    ],
                    "trades": totals.by_trade,
                    "headcount": totals.headcount,
                    "hours": totals.hours,
                    "weather_delay": sum(week_logs.mapped("weather_delay_hours")),
                    "incidents": week_logs.incident_ids,
                }
            )
        return weeks
