"""Apply field.daily_log and field.daily_log_photo batches."""

from .common import invalid


def apply_daily_logs(inbound, batch):
    return {message.id: invalid("type", "field.daily_log is not applied yet") for message, _p in batch}


def apply_daily_log_photos(inbound, batch):
    return {message.id: invalid("type", "not applied yet") for message, _p in batch}
