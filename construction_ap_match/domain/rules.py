"""Match rules: tolerances per vendor, product category or job, and which one applies.

A rule belongs to a company and may name a vendor, a product category and a
job; a dimension it leaves empty matches anything.  Among the rules that
apply to a bill line the most specific wins; company settings form the
default rule when none applies.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .normalize import as_decimal

LEVEL_TWO_WAY = "two_way"
LEVEL_THREE_WAY = "three_way"
LEVELS = (
    (LEVEL_TWO_WAY, "Two-way (bill against PO)"),
    (LEVEL_THREE_WAY, "Three-way (bill against PO and receipt)"),
)

ACTION_WARN = "warn"
ACTION_BLOCK = "block"
ACTIONS = (
    (ACTION_WARN, "Warn"),
    (ACTION_BLOCK, "Block"),
)

_TOLERANCE_FIELDS = (
    "price_tolerance_percent",
    "price_tolerance_amount",
    "qty_tolerance_percent",
    "qty_tolerance_units",
    "total_tolerance_amount",
)


@dataclass(frozen=True)
class MatchRule:
    """Tolerances and the action on breach, for the bill lines the rule applies to.

    A tolerance of 0 is "not used" (see :func:`.tolerance.allowed_over`).
    Price tolerances are per unit, in the PO's currency; the total tolerance
    is in the bill's currency.  Numbers are stored as ``Decimal`` (floats read
    from the ORM are converted on creation).  The default rule built from the
    company settings has, by convention, ``id`` 0 and no vendor, category or job.
    """

    id: int
    sequence: int
    company_id: int
    vendor_id: int | None = None
    categ_id: int | None = None
    job_id: int | None = None
    level: str = LEVEL_THREE_WAY
    price_tolerance_percent: Decimal = Decimal(0)
    price_tolerance_amount: Decimal = Decimal(0)
    qty_tolerance_percent: Decimal = Decimal(0)
    qty_tolerance_units: Decimal = Decimal(0)
    total_tolerance_amount: Decimal = Decimal(0)
    action: str = ACTION_BLOCK

    def __post_init__(self) -> None:
        if self.level not in dict(LEVELS):
            raise ValueError("rule %s: unknown level %r" % (self.id, self.level))
        if self.action not in dict(ACTIONS):
            raise ValueError("rule %s: unknown action %r" % (self.id, self.action))
        for name in _TOLERANCE_FIELDS:
            value = as_decimal(getattr(self, name))
            if value < 0:
                raise ValueError("rule %s: %s cannot be negative (%s)" % (self.id, name, value))
            object.__setattr__(self, name, value)

    def applies_to(
        self, company_id: int, vendor_id: int | None, categ_id: int | None, job_id: int | None
    ) -> bool:
        """Whether every dimension the rule sets equals the given one (unset = any).

        >>> rule = MatchRule(1, 10, company_id=1, vendor_id=7)
        >>> rule.applies_to(1, 7, 3, None), rule.applies_to(1, 8, 3, None)
        (True, False)
        """
        return (
            self.company_id == company_id
            and (self.vendor_id is None or self.vendor_id == vendor_id)
            and (self.categ_id is None or self.categ_id == categ_id)
            and (self.job_id is None or self.job_id == job_id)
        )

    @property
    def specificity(self) -> int:
        """How many of vendor, category and job the rule sets (0 to 3)."""
        return sum(dim is not None for dim in (self.vendor_id, self.categ_id, self.job_id))

    def precedence(self) -> tuple[int, bool, bool, bool, int, int]:
        """Sort key: the rule that sorts first wins.

        More dimensions set first; among equally specific rules vendor beats
        category beats job (so vendor + category beats vendor + job beats
        category + job); then the lower sequence, then the lower id.
        """
        return (
            -self.specificity,
            self.vendor_id is None,
            self.categ_id is None,
            self.job_id is None,
            self.sequence,
            self.id,
        )


def select_rule(
    rules: Iterable[MatchRule],
    company_id: int,
    vendor_id: int | None,
    categ_id: int | None,
    job_id: int | None,
    default: MatchRule,
) -> MatchRule:
    """The most specific rule that applies, or ``default`` when none does.

    ``vendor_id`` is the bill's commercial partner; ``categ_id`` the product
    category and ``job_id`` the job of the line being matched.  A rule of
    another company never applies.

    >>> default = MatchRule(0, 0, company_id=1)
    >>> rules = [MatchRule(1, 10, 1, vendor_id=7), MatchRule(2, 10, 1, categ_id=3)]
    >>> select_rule(rules, 1, 7, 3, None, default).id  # vendor beats category
    1
    >>> select_rule(rules, 1, 8, 4, None, default).id  # none applies
    0
    """
    best = None
    best_key = None
    for rule in rules:
        if not rule.applies_to(company_id, vendor_id, categ_id, job_id):
            continue
        key = rule.precedence()
        if best_key is None or key < best_key:
            best, best_key = rule, key
    return default if best is None else best
