"""Apply field.equipment_usage batches."""

from .common import invalid


def apply_equipment_usages(inbound, batch):
    return {message.id: invalid("type", "not applied yet") for message, _p in batch}
