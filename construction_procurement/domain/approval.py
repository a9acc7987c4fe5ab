"""Which approval band a requisition amount falls into."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    rule_id: int
    sequence: int
    min_amount: float
    max_amount: float  # 0: no upper limit


def band_for(amount, bands):
    """The first band (by sequence, then lowest minimum) whose range holds ``amount``.

    A band holds min_amount < amount <= max_amount (0 as max: no limit), so
    that "up to 5,000" and "above 5,000" meet without overlapping.

    >>> bands = [Band(1, 10, 0, 5000), Band(2, 20, 5000, 0)]
    >>> band_for(5000, bands).rule_id, band_for(5000.01, bands).rule_id
    (1, 2)
    >>> band_for(0, bands).rule_id
    1
    """
    for band in sorted(bands, key=lambda b: (b.sequence, b.min_amount)):
        above_min = amount > band.min_amount or (band.min_amount == 0 and amount >= 0)
        below_max = not band.max_amount or amount <= band.max_amount
        if above_min and below_max:
            return band
    return None
