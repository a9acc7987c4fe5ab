"""Apply field.timesheet batches (crew time)."""

from .common import invalid


def apply_timesheets(inbound, batch):
    return {message.id: invalid("type", "field.timesheet is not applied yet") for message, _p in batch}
