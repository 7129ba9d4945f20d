"""Rebates: what a partner earns on its invoiced revenue, from its tier's percentage and the
admin's incentive rules, rounded the way the ledger posts it.

- Each invoice accrues ``tier percent x its net total`` plus what the incentive rules give its
  lines (a percentage of a line's net amount, and/or an amount per unit), each part rounded to the
  cent once per invoice. A period's accrual is the sum of its invoices' rounded amounts, so the
  journal entry and the list of invoices it covers agree to the cent.
- A credit note counts as a negative invoice. One against an invoice accrued in an earlier batch
  reverses the original's share: of everything returned so far, that fraction of what the original
  accrued, less what earlier credit notes reversed already (so a full return reverses exactly what
  was accrued, whatever the rounding on the way).
- A cancelled invoice that was accrued reverses exactly what it accrued.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from prm_app.engine.mdf import ZERO, money

HUNDRED = Decimal(100)


def _decimal(value) -> Decimal:
	return value if isinstance(value, Decimal) else Decimal(str(value or 0))


@dataclass(frozen=True, slots=True)
class Line:
	item_code: str | None
	item_groups: frozenset  # the item's group and every group above it
	qty: Decimal
	net_amount: Decimal  # in the company's currency; negative on a credit note


@dataclass(frozen=True, slots=True)
class Rule:
	"""An incentive rule an admin keeps as a record: a percentage of matching lines' net amount
	and/or an amount per unit sold, for an item or a product line (item group, with its
	sub-groups), optionally only between two dates (a SPIFF)."""

	name: str
	percent: Decimal = ZERO
	amount_per_unit: Decimal = ZERO
	item_code: str | None = None
	item_group: str | None = None
	valid_from: date | None = None
	valid_to: date | None = None

	def applies(self, line: Line, day: date) -> bool:
		if self.valid_from and day < self.valid_from:
			return False
		if self.valid_to and day > self.valid_to:
			return False
		if self.item_code and line.item_code != self.item_code:
			return False
		if self.item_group and self.item_group not in line.item_groups:
			return False
		return True

	def bonus(self, line: Line) -> Decimal:
		"""Unrounded: rounding happens once per invoice."""
		return _decimal(line.net_amount) * _decimal(self.percent) / HUNDRED + _decimal(line.qty) * _decimal(
			self.amount_per_unit
		)


@dataclass(frozen=True, slots=True)
class Invoice:
	name: str
	posting_date: date  # the date the rules look at: the original invoice's for a credit note
	net_total: Decimal
	lines: tuple = ()
	return_against: str | None = None


@dataclass(frozen=True, slots=True)
class Accrued:
	invoice: str
	net_amount: Decimal
	tier_rebate: Decimal
	incentive: Decimal
	rules: tuple = ()
	reverses: str | None = None  # the accrued invoice whose share this reverses

	@property
	def total(self) -> Decimal:
		return self.tier_rebate + self.incentive


def accrue(invoice: Invoice, tier_percent, rules: Iterable[Rule] = ()) -> Accrued:
	"""What ``invoice`` earns: the tier's percentage of its net total and the rules' bonuses."""
	tier = money(_decimal(invoice.net_total) * _decimal(tier_percent) / HUNDRED)
	bonus, applied = ZERO, []
	for rule in rules:
		matched = [line for line in invoice.lines if rule.applies(line, invoice.posting_date)]
		if matched:
			bonus += sum((rule.bonus(line) for line in matched), ZERO)
			applied.append(rule.name)
	return Accrued(invoice.name, money(invoice.net_total), tier, money(bonus), tuple(applied))


def reverse_return(
	credit_note: Invoice,
	original: Accrued,
	returned_before=ZERO,
	reversed_before: tuple = (ZERO, ZERO),
) -> Accrued:
	"""A credit note against ``original``, an invoice accrued in an earlier batch.

	``returned_before``: the net amount earlier credit notes returned of it (a positive number);
	``reversed_before``: the (tier, incentive) amounts they reversed (negative numbers)."""
	original_net = abs(_decimal(original.net_amount))
	returned = abs(_decimal(returned_before)) + abs(_decimal(credit_note.net_total))
	share = min(returned / original_net, Decimal(1)) if original_net else Decimal(1)
	tier_target = -money(original.tier_rebate * share)
	incentive_target = -money(original.incentive * share)
	tier = tier_target - _decimal(reversed_before[0])
	incentive = incentive_target - _decimal(reversed_before[1])
	return Accrued(
		credit_note.name,
		money(credit_note.net_total),
		money(tier),
		money(incentive),
		original.rules,
		reverses=original.invoice,
	)


def reverse_cancelled(invoice: str, accrued: Iterable[Accrued]) -> Accrued:
	"""A cancelled invoice gives back everything accrued on it (all its earlier lines)."""
	rows = list(accrued)
	return Accrued(
		invoice,
		-sum((_decimal(r.net_amount) for r in rows), ZERO),
		-sum((_decimal(r.tier_rebate) for r in rows), ZERO),
		-sum((_decimal(r.incentive) for r in rows), ZERO),
		reverses=invoice,
	)


@dataclass(frozen=True, slots=True)
class Batch:
	revenue: Decimal
	tier_rebate: Decimal
	incentive: Decimal

	@property
	def total(self) -> Decimal:
		return self.tier_rebate + self.incentive


def batch(lines: Iterable[Accrued]) -> Batch:
	"""A period's accrual for one partner: the sums of its lines (already rounded each)."""
	rows = list(lines)
	return Batch(
		sum((money(r.net_amount) for r in rows), ZERO),
		sum((money(r.tier_rebate) for r in rows), ZERO),
		sum((money(r.incentive) for r in rows), ZERO),
	)


def journal_lines(total: Decimal) -> tuple[tuple[str, Decimal, Decimal], ...]:
	"""The two sides of an accrual: ("expense"|"liability", debit, credit). A positive total
	debits the rebate expense and credits the accrued-rebate liability; a negative one (a period of
	credit notes and cancellations) the other way round."""
	amount = money(total)
	if amount >= 0:
		return (("expense", amount, ZERO), ("liability", ZERO, amount))
	return (("expense", ZERO, -amount), ("liability", -amount, ZERO))
