"""Market development funds: periods, allocation, co-op caps and a budget's balance.

Plain data in, plain data out; the controllers read budgets, requests and claims from the database
(under a row lock on the budget), hand them to a :class:`BudgetBook` and persist what it allows.

Money is :class:`~decimal.Decimal`, rounded to the cent half up (``money``); every figure a budget
shows is computed from its requests and claims, never typed:

- **reserved**: what approved, open requests still hold (their approved amount less the claims
  made against them);
- **claimed**: claims waiting for a decision, and approved claims not yet paid;
- **paid**: the paid part of approved claims (from the payouts' ledger);
- **available**: allocated - reserved - claimed - paid.

A request reserves at approval; a claim moves money from the request's reservation to claimed and
never beyond it; closing a request releases what it did not claim. So at every step
``reserved + claimed + paid <= allocated``: :meth:`BudgetBook.check_approve_request` (and the budget
adjustment) refuse anything that would break it.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
MAX_AMOUNT = Decimal("1e13")

QUARTER, HALF_YEAR, YEAR = "Quarter", "Half-year", "Year"
PERIOD_MONTHS = {"Month": 1, QUARTER: 3, HALF_YEAR: 6, YEAR: 12}

PERCENT_OF_REVENUE = "Percent of Trailing Revenue"
FIXED_AMOUNT = "Fixed Amount"

# request lifecycle (the app's ``status``; the admin's workflow has its own states)
DRAFT, SUBMITTED, APPROVED, REJECTED, WITHDRAWN, CLOSED, CANCELLED = (
	"Draft",
	"Submitted",
	"Approved",
	"Rejected",
	"Withdrawn",
	"Closed",
	"Cancelled",
)


class MDFRuleError(ValueError):
	"""A rule of the budget is broken; ``code`` names which (the controller words it)."""

	def __init__(self, code: str, limit: Decimal | None = None):
		super().__init__(code)
		self.code = code
		self.limit = limit


# -- money ---------------------------------------------------------------------------------------


def money(value) -> Decimal:
	"""``value`` as an amount of money: a Decimal rounded to the cent, half up."""
	if isinstance(value, Decimal):
		number = value
	else:
		try:
			number = Decimal(str(value if value is not None else 0))
		except InvalidOperation as e:
			raise MDFRuleError("not_a_number") from e
	if not number.is_finite():
		raise MDFRuleError("not_a_number")
	return number.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount, percent) -> Decimal:
	return money(Decimal(str(amount or 0)) * Decimal(str(percent or 0)) / HUNDRED)


def check_amount(value, code: str = "amount", allow_zero: bool = False) -> Decimal:
	"""A positive amount of money (or zero when allowed); MDFRuleError otherwise."""
	amount = money(value)
	if amount < 0 or (amount == 0 and not allow_zero):
		raise MDFRuleError(f"{code}_not_positive")
	if amount > MAX_AMOUNT:
		raise MDFRuleError(f"{code}_too_large")
	return amount


# -- periods -------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
	"""``day`` moved by whole months, the day of the month kept where the month has it."""
	index = day.year * 12 + (day.month - 1) + months
	year, month = divmod(index, 12)
	month += 1
	return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Period:
	kind: str
	start: date
	end: date

	def previous(self) -> "Period":
		months = PERIOD_MONTHS[self.kind]
		start = add_months(self.start, -months)
		return Period(self.kind, start, self.start - timedelta(days=1))

	def next(self) -> "Period":
		months = PERIOD_MONTHS[self.kind]
		return Period(
			self.kind, self.end + timedelta(days=1), add_months(self.start, 2 * months) - timedelta(days=1)
		)

	def contains(self, day: date) -> bool:
		return self.start <= day <= self.end


def period_containing(day: date, kind: str, fiscal_year_start: date) -> Period:
	"""The quarter, half-year or year (``kind``) of the fiscal year that starts on
	``fiscal_year_start`` in which ``day`` falls (periods are counted from that start, so a fiscal
	year from April has its first quarter April-June)."""
	if kind not in PERIOD_MONTHS:
		raise MDFRuleError("unknown_period")
	months = PERIOD_MONTHS[kind]
	offset = (day.year - fiscal_year_start.year) * 12 + (day.month - fiscal_year_start.month)
	if day.day < fiscal_year_start.day:
		offset -= 1
	index = offset // months
	start = add_months(fiscal_year_start, index * months)
	while start > day:  # a start clamped to a short month's end
		index -= 1
		start = add_months(fiscal_year_start, index * months)
	end = add_months(fiscal_year_start, (index + 1) * months) - timedelta(days=1)
	return Period(kind, start, end)


# -- allocation ----------------------------------------------------------------------------------


def allocation(basis: str | None, percent=0, fixed=0, revenue=0) -> Decimal:
	"""A period's allocation from a tier: ``percent`` of the previous period's invoiced
	``revenue`` (never below zero: a period of credit notes allocates nothing), or the ``fixed``
	amount; nothing without a basis."""
	if basis == PERCENT_OF_REVENUE:
		return max(percent_of(max(money(revenue), ZERO), percent), ZERO)
	if basis == FIXED_AMOUNT:
		return max(money(fixed), ZERO)
	return ZERO


def co_op_cap(cost, co_op_percent) -> Decimal:
	"""The most the vendor funds of an activity costing ``cost``: its co-op share."""
	return percent_of(max(money(cost), ZERO), co_op_percent)


# -- a budget's balance --------------------------------------------------------------------------


@dataclass(slots=True)
class RequestEntry:
	name: str
	status: str
	amount: Decimal  # approved amount (what it reserves once approved)


@dataclass(slots=True)
class ClaimEntry:
	name: str
	request: str
	status: str
	claimed: Decimal
	approved: Decimal = ZERO
	paid: Decimal = ZERO

	@property
	def used(self) -> Decimal:
		"""What the claim takes of its request: the claimed amount while it waits for a decision,
		the approved amount once approved, nothing otherwise."""
		if self.status == SUBMITTED:
			return self.claimed
		if self.status == APPROVED:
			return self.approved
		return ZERO


@dataclass(frozen=True, slots=True)
class Figures:
	allocated: Decimal
	reserved: Decimal
	claimed: Decimal
	paid: Decimal
	available: Decimal

	@property
	def committed(self) -> Decimal:
		return self.reserved + self.claimed + self.paid


@dataclass(slots=True)
class BudgetBook:
	"""A budget with its requests and claims, as the database holds them under the budget's lock."""

	allocated: Decimal
	requests: dict[str, RequestEntry] = field(default_factory=dict)
	claims: dict[str, ClaimEntry] = field(default_factory=dict)

	@classmethod
	def of(cls, allocated, requests: Iterable[RequestEntry] = (), claims: Iterable[ClaimEntry] = ()):
		return cls(money(allocated), {r.name: r for r in requests}, {c.name: c for c in claims})

	# -- what it holds

	def claims_of(self, request: str, excluding: str | None = None) -> list[ClaimEntry]:
		return [c for c in self.claims.values() if c.request == request and c.name != excluding]

	def used_of(self, request: str, excluding: str | None = None) -> Decimal:
		return sum((c.used for c in self.claims_of(request, excluding)), ZERO)

	def reserved_by(self, request: RequestEntry) -> Decimal:
		if request.status != APPROVED:
			return ZERO
		return max(request.amount - self.used_of(request.name), ZERO)

	def figures(self) -> Figures:
		reserved = sum((self.reserved_by(r) for r in self.requests.values()), ZERO)
		claimed = paid = ZERO
		for claim in self.claims.values():
			if claim.status == SUBMITTED:
				claimed += claim.claimed
			elif claim.status == APPROVED:
				settled = min(max(claim.paid, ZERO), claim.approved)
				paid += settled
				claimed += claim.approved - settled
		available = self.allocated - reserved - claimed - paid
		return Figures(self.allocated, reserved, claimed, paid, available)

	def remaining_of(self, request: str, excluding_claim: str | None = None) -> Decimal:
		"""What claims may still take of an approved ``request``."""
		entry = self.requests.get(request)
		if not entry or entry.status != APPROVED:
			return ZERO
		return max(entry.amount - self.used_of(request, excluding_claim), ZERO)

	# -- the rules

	def check_request(
		self, planned_cost, requested, co_op_percent, name: str | None = None, budget: bool = True
	) -> Decimal:
		"""A request's amount: positive, within the co-op share of its planned cost and (``budget``)
		within what the budget has available now (its own earlier reservation aside)."""
		cost = check_amount(planned_cost, "cost")
		amount = check_amount(requested, "requested")
		cap = co_op_cap(cost, co_op_percent)
		if amount > cap:
			raise MDFRuleError("over_co_op_share", cap)
		if not budget:
			return amount
		available = self.available_for(name)
		if amount > available:
			raise MDFRuleError("over_budget", max(available, ZERO))
		return amount

	def available_for(self, request: str | None) -> Decimal:
		available = self.figures().available
		if request and request in self.requests:
			available += self.reserved_by(self.requests[request])
		return available

	def check_approve_request(self, name: str, approved, requested) -> Decimal:
		"""Approving ``name`` for ``approved``: positive, no more than requested, within available."""
		amount = check_amount(approved, "approved")
		if amount > money(requested):
			raise MDFRuleError("over_requested", money(requested))
		available = self.available_for(name)
		if amount > available:
			raise MDFRuleError("over_budget", max(available, ZERO))
		return amount

	def approve_request(self, name: str, approved, requested) -> Decimal:
		amount = self.check_approve_request(name, approved, requested)
		self.requests[name] = RequestEntry(name, APPROVED, amount)
		return amount

	def check_claim(self, name: str, request: str, actual_cost, claimed, co_op_percent) -> Decimal:
		"""A claim's amount: positive, within what its approved request has left (other claims
		aside) and within the co-op share of the actual cost."""
		cost = check_amount(actual_cost, "cost")
		amount = check_amount(claimed, "claimed")
		entry = self.requests.get(request)
		if not entry or entry.status != APPROVED:
			raise MDFRuleError("request_not_approved")
		remaining = self.remaining_of(request, excluding_claim=name)
		if amount > remaining:
			raise MDFRuleError("over_request", remaining)
		cap = co_op_cap(cost, co_op_percent)
		if amount > cap:
			raise MDFRuleError("over_co_op_share", cap)
		return amount

	def submit_claim(self, name: str, request: str, actual_cost, claimed, co_op_percent) -> Decimal:
		amount = self.check_claim(name, request, actual_cost, claimed, co_op_percent)
		self.claims[name] = ClaimEntry(name, request, SUBMITTED, amount)
		return amount

	def check_approve_claim(self, name: str, approved) -> Decimal:
		"""Approving a submitted claim for ``approved``: positive and at most what was claimed
		(a partial approval releases the rest to its request)."""
		claim = self.claims.get(name)
		if not claim or claim.status != SUBMITTED:
			raise MDFRuleError("claim_not_submitted")
		amount = check_amount(approved, "approved")
		if amount > claim.claimed:
			raise MDFRuleError("over_claimed", claim.claimed)
		return amount

	def approve_claim(self, name: str, approved) -> Decimal:
		amount = self.check_approve_claim(name, approved)
		claim = self.claims[name]
		claim.status, claim.approved = APPROVED, amount
		return amount

	def set_claim_status(self, name: str, status: str):
		self.claims[name].status = status

	def pay(self, name: str, paid):
		claim = self.claims[name]
		claim.paid = min(max(money(paid), ZERO), claim.approved)

	def close_request(self, name: str):
		if name in self.requests:
			self.requests[name].status = CLOSED

	def check_allocation(self, new_allocated) -> Decimal:
		"""A new allocation: not negative, and not below what is already committed."""
		amount = check_amount(new_allocated, "allocated", allow_zero=True)
		committed = self.figures().committed
		if amount < committed:
			raise MDFRuleError("below_committed", committed)
		return amount
