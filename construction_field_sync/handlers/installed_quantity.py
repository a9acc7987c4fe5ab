"""Apply field.installed_quantity batches."""

from .common import invalid


def apply_installed_quantities(inbound, batch):
    return {message.id: invalid("type", "not applied yet") for message, _p in batch}
