"""Vendor compliance: which requirements apply to a vendor and what is missing.

Pure Python, no Odoo import. The models read requirements, documents and
payments into these dataclasses, call :func:`evaluate` and turn the
:class:`Gap` objects into translated messages.

Rules decided here:

- A per-vendor document (certificate, licence, tax form) counts on a date when
  it is accepted (or was accepted and has since been marked expired by the
  cron), its effective date is on or before that date and its expiry date is
  on or after it: the expiry date is the last day the certificate shows as
  covered, so a payment dated on the expiry date is still covered, one dated
  the day after is not.
- A document naming a job counts only for that job; a document without job
  counts for every job. A vendor's own status (on the vendor form) is checked
  without job, so only documents without job count there.
- A coverage below the requirement's minimum does not count.
- A per-payment requirement (lien waiver) covers either the previous payment
  to the vendor on the job (``previous``: the unconditional waiver of the
  payment already made) or the bill being paid (``current``: the conditional
  waiver given with the bill). The first payment on a job needs no
  ``previous`` waiver.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

APPLIES_ALL = "all"
APPLIES_SUBCONTRACTORS = "subcontractors"
APPLIES_CATEGORIES = "categories"

KIND_VENDOR = "vendor"
KIND_PAYMENT = "payment"

COVERS_PREVIOUS = "previous"
COVERS_CURRENT = "current"

BLOCK = "block"
WARN = "warn"

# Document states that count, on the dates they cover.
COUNTING_STATES = frozenset({"accepted", "expired"})

# Compliance states, best first.
NONE = "none"
COMPLIANT = "compliant"
EXPIRING = "expiring"
NON_COMPLIANT = "non_compliant"

# Problems of a gap.
MISSING = "missing"
EXPIRED = "expired"
NOT_EFFECTIVE = "not_effective"
PENDING = "pending"
REJECTED = "rejected"
INSUFFICIENT = "insufficient"
WAIVER_MISSING = "waiver_missing"


@dataclass(frozen=True)
class Requirement:
    id: int
    code: str
    name: str
    applies_to: str = APPLIES_ALL
    category_ids: frozenset[int] = frozenset()
    kind: str = KIND_VENDOR
    waiver_covers: str = COVERS_PREVIOUS
    action: str = BLOCK
    min_coverage: Decimal = Decimal(0)


@dataclass(frozen=True)
class Vendor:
    id: int
    category_ids: frozenset[int] = frozenset()
    is_subcontractor: bool = False


@dataclass(frozen=True)
class Document:
    id: int
    requirement_id: int
    state: str
    name: str = ""
    job_id: int | None = None
    effective_date: date | None = None
    expiry_date: date | None = None
    coverage: Decimal = Decimal(0)
    payment_id: int | None = None
    move_id: int | None = None
    through_date: date | None = None


@dataclass(frozen=True)
class PreviousPayment:
    """The last payment made to the vendor on a job before the one checked."""

    id: int
    name: str
    date: date


@dataclass(frozen=True)
class Gap:
    requirement_id: int
    code: str
    name: str
    action: str
    problem: str
    job_id: int | None = None
    document_name: str = ""
    expiry_date: date | None = None
    effective_date: date | None = None
    coverage: Decimal | None = None
    required: Decimal | None = None
    payment_name: str = ""

    @property
    def blocks(self) -> bool:
        return self.action == BLOCK


@dataclass(frozen=True)
class Expiring:
    requirement_id: int
    name: str
    document_id: int
    expiry_date: date


@dataclass(frozen=True)
class Result:
    state: str
    gaps: tuple[Gap, ...] = ()
    expiring: tuple[Expiring, ...] = field(default_factory=tuple)

    @property
    def blocking(self) -> tuple[Gap, ...]:
        return tuple(gap for gap in self.gaps if gap.blocks)

    @property
    def warnings(self) -> tuple[Gap, ...]:
        return tuple(gap for gap in self.gaps if not gap.blocks)


def applies(requirement: Requirement, vendor: Vendor) -> bool:
    """Whether ``requirement`` concerns ``vendor``.

    >>> sub = Vendor(1, is_subcontractor=True)
    >>> applies(Requirement(1, "GL", "GL", applies_to="subcontractors"), sub)
    True
    >>> applies(Requirement(1, "GL", "GL", applies_to="subcontractors"), Vendor(2))
    False
    >>> applies(Requirement(1, "W9", "W9", applies_to="categories",
    ...                     category_ids=frozenset({7})), Vendor(2, frozenset({7})))
    True
    """
    if requirement.applies_to == APPLIES_ALL:
        return True
    if requirement.applies_to == APPLIES_SUBCONTRACTORS:
        return vendor.is_subcontractor
    if requirement.applies_to == APPLIES_CATEGORIES:
        return bool(requirement.category_ids & vendor.category_ids)
    return False


def counts_on(document: Document, on_date: date) -> bool:
    """Whether a per-vendor document covers ``on_date`` (both ends included).

    >>> doc = Document(1, 1, "accepted", effective_date=date(2026, 1, 1),
    ...                expiry_date=date(2026, 12, 31))
    >>> counts_on(doc, date(2026, 12, 31)), counts_on(doc, date(2027, 1, 1))
    (True, False)
    >>> counts_on(doc, date(2025, 12, 31))
    False
    """
    if document.state not in COUNTING_STATES:
        return False
    if document.effective_date and document.effective_date > on_date:
        return False
    return not (document.expiry_date and document.expiry_date < on_date)


def _vendor_gap(
    requirement: Requirement, documents: list[Document], on_date: date, job_id: int | None
) -> tuple[Gap | None, Document | None]:
    """The gap of a per-vendor requirement on one job, or the document covering it."""
    covering = [doc for doc in documents if counts_on(doc, on_date)]
    enough = [doc for doc in covering if doc.coverage >= requirement.min_coverage]
    if enough:
        # The one lasting longest (no expiry date: forever).
        return None, max(enough, key=lambda d: (d.expiry_date is None, d.expiry_date or on_date))
    base = {
        "requirement_id": requirement.id,
        "code": requirement.code,
        "name": requirement.name,
        "action": requirement.action,
        "job_id": job_id,
    }
    if covering:
        best = max(covering, key=lambda d: d.coverage)
        return Gap(
            **base,
            problem=INSUFFICIENT,
            document_name=best.name,
            coverage=best.coverage,
            required=requirement.min_coverage,
        ), None
    pending = [doc for doc in documents if doc.state == "pending"]
    if pending:
        return Gap(**base, problem=PENDING, document_name=pending[-1].name), None
    past = [
        doc
        for doc in documents
        if doc.state in COUNTING_STATES and doc.expiry_date and doc.expiry_date < on_date
    ]
    if past:
        last = max(past, key=lambda d: d.expiry_date)
        return Gap(
            **base, problem=EXPIRED, document_name=last.name, expiry_date=last.expiry_date
        ), None
    future = [doc for doc in documents if doc.state in COUNTING_STATES]
    if future:
        first = min(future, key=lambda d: d.effective_date or on_date)
        return Gap(
            **base,
            problem=NOT_EFFECTIVE,
            document_name=first.name,
            effective_date=first.effective_date,
        ), None
    if any(doc.state == "rejected" for doc in documents):
        return Gap(**base, problem=REJECTED), None
    return Gap(**base, problem=MISSING), None


def _waiver_gap(
    requirement: Requirement,
    documents: list[Document],
    job_id: int | None,
    previous: PreviousPayment | None,
    bill_id: int | None,
) -> Gap | None:
    """The gap of a lien-waiver requirement for a payment on ``job_id``."""
    base = {
        "requirement_id": requirement.id,
        "code": requirement.code,
        "name": requirement.name,
        "action": requirement.action,
        "job_id": job_id,
    }
    if requirement.waiver_covers == COVERS_CURRENT:
        if not bill_id:
            return None
        candidates = [doc for doc in documents if doc.move_id == bill_id]
        payment_name = ""
    else:
        if job_id is None or previous is None:
            return None
        candidates = [
            doc
            for doc in documents
            if doc.payment_id == previous.id
            or (
                doc.payment_id is None
                and doc.move_id is None
                and doc.job_id == job_id
                and doc.through_date is not None
                and doc.through_date >= previous.date
            )
        ]
        payment_name = previous.name
    if any(doc.state == "accepted" for doc in candidates):
        return None
    pending = [doc for doc in candidates if doc.state == "pending"]
    if pending:
        return Gap(
            **base, problem=PENDING, document_name=pending[-1].name, payment_name=payment_name
        )
    return Gap(**base, problem=WAIVER_MISSING, payment_name=payment_name)


def evaluate(
    vendor: Vendor,
    requirements: Iterable[Requirement],
    documents: Iterable[Document],
    on_date: date,
    jobs: Iterable[int | None] = (None,),
    previous_payments: Mapping[int, PreviousPayment] | None = None,
    bill_id: int | None = None,
    expiring_days: int = 0,
    waiver_jobs: Iterable[int | None] | None = None,
) -> Result:
    """The compliance of ``vendor`` on ``on_date`` for work on ``jobs``.

    ``documents`` are the vendor's documents (any state, any job);
    ``previous_payments`` the last payment per job before the one checked;
    ``bill_id`` the bill being paid (for waivers covering the current bill).
    Per-payment requirements are checked only when a job (previous waivers)
    or a bill (current waivers) is given; ``waiver_jobs`` checks them on other
    jobs than ``jobs`` (the vendor's own status: every job it was paid on).

    >>> gl = Requirement(1, "GL", "General liability")
    >>> evaluate(Vendor(5), [gl], [], date(2026, 5, 1)).gaps[0].problem
    'missing'
    >>> doc = Document(9, 1, "accepted", expiry_date=date(2026, 5, 10))
    >>> evaluate(Vendor(5), [gl], [doc], date(2026, 5, 1), expiring_days=30).state
    'expiring'
    >>> evaluate(Vendor(5), [], [doc], date(2026, 5, 1)).state
    'none'
    """
    concerned = [req for req in requirements if applies(req, vendor)]
    if not concerned:
        return Result(NONE)
    by_requirement: dict[int, list[Document]] = {}
    for doc in sorted(documents, key=lambda d: d.id):
        by_requirement.setdefault(doc.requirement_id, []).append(doc)
    previous_payments = previous_payments or {}
    jobs = list(dict.fromkeys(jobs)) or [None]
    waiver_jobs = jobs if waiver_jobs is None else list(dict.fromkeys(waiver_jobs))
    horizon = on_date + timedelta(days=max(expiring_days, 0))
    gaps: list[Gap] = []
    expiring: dict[int, Expiring] = {}
    for requirement in sorted(concerned, key=lambda r: (r.action != BLOCK, r.kind, r.code, r.id)):
        docs = by_requirement.get(requirement.id, [])
        for job_id in waiver_jobs if requirement.kind == KIND_PAYMENT else jobs:
            job_docs = [doc for doc in docs if doc.job_id is None or doc.job_id == job_id]
            if requirement.kind == KIND_PAYMENT:
                gap = _waiver_gap(
                    requirement, job_docs, job_id, previous_payments.get(job_id), bill_id
                )
                if gap:
                    gaps.append(gap)
                continue
            gap, covering = _vendor_gap(requirement, job_docs, on_date, job_id)
            if gap:
                gaps.append(gap)
            elif expiring_days > 0 and covering.expiry_date and covering.expiry_date <= horizon:
                known = expiring.get(requirement.id)
                if not known or covering.expiry_date < known.expiry_date:
                    expiring[requirement.id] = Expiring(
                        requirement.id, requirement.name, covering.id, covering.expiry_date
                    )
    if gaps:
        state = NON_COMPLIANT
    elif expiring:
        state = EXPIRING
    else:
        state = COMPLIANT
    return Result(state, tuple(gaps), tuple(expiring.values()))


def change_event(previous_state: str | None, new_state: str) -> str | None:
    """Which ``vendor.compliance_changed`` to send when the status moves.

    ``"non_compliant"`` when a vendor becomes non-compliant, ``"compliant"`` when
    a non-compliant vendor is compliant again (expiring soon counts as
    compliant, and so does a vendor no requirement concerns any more); nothing
    otherwise.

    >>> change_event("compliant", "non_compliant"), change_event(None, "non_compliant")
    ('non_compliant', 'non_compliant')
    >>> change_event("non_compliant", "expiring"), change_event("compliant", "expiring")
    ('compliant', None)
    >>> change_event(None, "compliant") is None
    True
    """
    was_bad = previous_state == NON_COMPLIANT
    is_bad = new_state == NON_COMPLIANT
    if is_bad and not was_bad:
        return NON_COMPLIANT
    if was_bad and not is_bad:
        return COMPLIANT
    return None


def base64_size(value: str | bytes | None) -> int:
    """Bytes of the file a base64 text decodes to, without decoding it.

    >>> base64_size("aGVsbG8="), base64_size(b"aGVsbG8h"), base64_size(None)
    (5, 6, 0)
    """
    if not value:
        return 0
    if isinstance(value, str):
        value = value.encode()
    value = b"".join(value.split())
    padding = len(value) - len(value.rstrip(b"="))
    return len(value) * 3 // 4 - padding


def over_limit(size_bytes: int, limit_mb: float) -> bool:
    """Whether a file exceeds a limit in megabytes (0: no limit).

    >>> over_limit(2 * 1024 * 1024, 2), over_limit(2 * 1024 * 1024 + 1, 2), over_limit(10**9, 0)
    (False, True, False)
    """
    return bool(limit_mb) and size_bytes > limit_mb * 1024 * 1024


# The requirement types shipped (inactive) for a company to opt in to.
STANDARD_REQUIREMENTS = (
    {
        "code": "GL",
        "name": "General liability certificate",
        "kind": KIND_VENDOR,
        "applies_to": APPLIES_SUBCONTRACTORS,
        "action": BLOCK,
        "min_coverage": 1_000_000,
    },
    {
        "code": "WC",
        "name": "Workers' compensation certificate",
        "kind": KIND_VENDOR,
        "applies_to": APPLIES_SUBCONTRACTORS,
        "action": BLOCK,
        "min_coverage": 0,
    },
    {
        "code": "AUTO",
        "name": "Auto liability certificate",
        "kind": KIND_VENDOR,
        "applies_to": APPLIES_SUBCONTRACTORS,
        "action": WARN,
        "min_coverage": 0,
    },
    {
        "code": "LIC",
        "name": "Contractor licence",
        "kind": KIND_VENDOR,
        "applies_to": APPLIES_SUBCONTRACTORS,
        "action": BLOCK,
        "min_coverage": 0,
    },
    {
        "code": "W9",
        "name": "Tax form (W-9)",
        "kind": KIND_VENDOR,
        "applies_to": APPLIES_ALL,
        "action": WARN,
        "min_coverage": 0,
    },
    {
        "code": "CLW",
        "name": "Conditional lien waiver (this payment)",
        "kind": KIND_PAYMENT,
        "waiver_covers": COVERS_CURRENT,
        "applies_to": APPLIES_SUBCONTRACTORS,
        "action": WARN,
        "min_coverage": 0,
    },
    {
        "code": "ULW",
        "name": "Unconditional lien waiver (previous payment)",
        "kind": KIND_PAYMENT,
        "waiver_covers": COVERS_PREVIOUS,
        "applies_to": APPLIES_SUBCONTRACTORS,
        "action": BLOCK,
        "min_coverage": 0,
    },
)
