"""MDF budgets in the database: their balance from requests, claims and payouts, the row lock that
serialises spending, and the allocation of a period's budgets (a daily job and the "Allocate MDF"
action).

The rules are ``prm_app.engine.mdf``; this module reads what they need, set-based (one query per
kind of record for any number of budgets), and writes what they allow.

Locking: whoever changes what a budget holds (approving a request, submitting or approving a
claim, adjusting the allocation) first locks the budget's row (``SELECT ... FOR UPDATE``) and then
reads its requests and claims with locking reads, which see the latest committed rows whatever
the transaction's snapshot: of two approvals racing for the same money, the second waits for the
first to commit and then sees it.
"""

from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder import Order
from frappe.query_builder.functions import Sum
from frappe.utils import add_days, cint, flt, getdate, today

from prm_app.constants import (
	APPROVED,
	BUDGET_OPEN,
	MDF_BUDGET,
	MDF_CLAIM,
	MDF_REQUEST,
	MDF_SUBMITTED,
	PARTNER,
)
from prm_app.engine import mdf as rules
from prm_app.exceptions import MDFStateError
from prm_app.integrations import accounting, figures_cache
from prm_app.queries import param, prepared

ACTIVE = "Active"
# the claims that hold money: waiting for a decision, or approved (submitted documents)
HOLDING_CLAIMS = (MDF_SUBMITTED, APPROVED)


# -- reading a budget's book ---------------------------------------------------------------------


def _requests(budgets: list[str], lock: bool = False) -> list[frappe._dict]:
	request = frappe.qb.DocType(MDF_REQUEST)
	query = (
		frappe.qb.from_(request)
		.select(
			request.name,
			request.budget,
			request.status,
			request.requested_amount,
			request.approved_amount,
		)
		.where(request.budget.isin(budgets))
	)
	if lock:
		query = query.for_update()
	return query.run(as_dict=True)


def _claims(budgets: list[str], lock: bool = False) -> list[frappe._dict]:
	claim = frappe.qb.DocType(MDF_CLAIM)
	query = (
		frappe.qb.from_(claim)
		.select(
			claim.name,
			claim.budget,
			claim.mdf_request,
			claim.status,
			claim.docstatus,
			claim.claimed_amount,
			claim.approved_amount,
			claim.payout_name,
		)
		.where(claim.budget.isin(budgets) & (claim.docstatus < 2))
	)
	if lock:
		query = query.for_update()
	return query.run(as_dict=True)


def _claim_entry(row, paid: dict) -> rules.ClaimEntry:
	status = row.status
	if status == APPROVED and row.docstatus != 1:
		status = MDF_SUBMITTED  # not yet posted: still waiting
	return rules.ClaimEntry(
		row.name,
		row.mdf_request,
		status,
		rules.money(row.claimed_amount),
		rules.money(row.approved_amount),
		rules.money(paid.get(row.payout_name, 0)),
	)


def books(budgets: list[str], lock: bool = False) -> dict[str, rules.BudgetBook]:
	"""Each budget with its requests and claims; ``lock``: read them with locking reads (the caller
	holds the budget's row lock)."""
	budgets = [b for b in budgets if b]
	if not budgets:
		return {}
	budget = frappe.qb.DocType(MDF_BUDGET)
	allocated = dict(
		frappe.qb.from_(budget)
		.select(budget.name, budget.allocated_amount)
		.where(budget.name.isin(budgets))
		.run()
	)
	requests = _requests(budgets, lock)
	claims = _claims(budgets, lock)
	paid = accounting.paid_amounts([c.payout_name for c in claims if c.docstatus == 1])
	result = {name: rules.BudgetBook.of(allocated.get(name) or 0) for name in budgets if name in allocated}
	for row in requests:
		if row.budget in result:
			result[row.budget].requests[row.name] = rules.RequestEntry(
				row.name, row.status, rules.money(row.approved_amount)
			)
	for row in claims:
		if row.budget in result:
			result[row.budget].claims[row.name] = _claim_entry(row, paid)
	return result


def figures(budgets: list[str]) -> dict[str, rules.Figures]:
	return {name: book.figures() for name, book in books(budgets).items()}


def lock(budget: str):
	"""Lock the budget's row until the transaction ends; its stored document."""
	if not budget or not frappe.db.exists(MDF_BUDGET, budget):
		frappe.throw(_("MDF Budget {0} does not exist.").format(budget), MDFStateError)
	return frappe.get_doc(MDF_BUDGET, budget, for_update=True)


def locked_book(budget: str) -> tuple:
	"""(the locked budget, its book read with locking reads)."""
	doc = lock(budget)
	return doc, books([budget], lock=True)[budget]


def refresh(budgets: list[str]) -> None:
	"""Store each budget's computed balance on it (what its form and list show); the partners'
	dashboards show the new balance on their next request."""
	budgets = list(set(budgets))
	for partner in set(frappe.get_all(MDF_BUDGET, filters={"name": ("in", budgets)}, pluck="partner")):
		figures_cache.invalidate(partner)
	for name, figure in figures(budgets).items():
		frappe.db.set_value(
			MDF_BUDGET,
			name,
			{
				"reserved_amount": figure.reserved,
				"claimed_amount": figure.claimed,
				"paid_amount": figure.paid,
				"available_amount": figure.available,
			},
			update_modified=False,
		)


def refresh_requests(requests: list[str]) -> None:
	"""Store what each request's claims took and what is left to claim."""
	requests = [r for r in set(requests) if r]
	if not requests:
		return
	budgets = frappe.get_all(MDF_REQUEST, filters={"name": ("in", requests)}, pluck="budget")
	for book in books(budgets).values():
		for name in requests:
			entry = book.requests.get(name)
			if not entry:
				continue
			frappe.db.set_value(
				MDF_REQUEST,
				name,
				{"claimed_amount": book.used_of(name), "remaining_amount": book.remaining_of(name)},
				update_modified=False,
			)


# -- co-op share ---------------------------------------------------------------------------------


def co_op_percent(partner: str) -> float:
	"""What part of an activity's cost the vendor pays for ``partner``: its tier's share, else PRM
	Settings' default."""
	tier = frappe.db.get_value(PARTNER, partner, "program_tier") if partner else None
	share = flt(frappe.db.get_value("Program Tier", tier, "mdf_co_op_percent")) if tier else 0
	if not share:
		share = flt(frappe.db.get_single_value("PRM Settings", "mdf_co_op_percent"))
	return min(max(share, 0), 100)


# -- allocation ----------------------------------------------------------------------------------


def period_of(day, kind: str, company: str) -> rules.Period:
	return rules.period_containing(getdate(day), kind, accounting.fiscal_year_start(day, company))


def invoiced_revenue(partners: list[str], company: str, start, end) -> dict[str, Decimal]:
	"""Each partner's net invoiced revenue in ``company`` between two dates (company currency):
	submitted Sales Invoices tagged with the partner, credit notes subtracting. One query."""
	if not partners:
		return {}
	invoice = frappe.qb.DocType("Sales Invoice")
	rows = (
		frappe.qb.from_(invoice)
		.select(invoice.prm_partner, Sum(invoice.base_net_total))
		.where(
			(invoice.docstatus == 1)
			& invoice.prm_partner.isin(partners)
			& (invoice.company == company)
			& (invoice.posting_date >= getdate(start))
			& (invoice.posting_date <= getdate(end))
		)
		.groupby(invoice.prm_partner)
	).run()
	return {partner: rules.money(amount) for partner, amount in rows}


def budget_key(partner: str, company: str, kind: str, start) -> str:
	return f"{partner}|{company}|{kind}|{getdate(start).isoformat()}"


def eligible_partners(kind: str | None = None, partners: list[str] | None = None) -> list[frappe._dict]:
	"""Active partners whose tier allocates MDF (of periods ``kind``), with the tier's terms."""
	partner = frappe.qb.DocType(PARTNER)
	tier = frappe.qb.DocType("Program Tier")
	query = (
		frappe.qb.from_(partner)
		.join(tier)
		.on(tier.name == partner.program_tier)
		.select(
			partner.name.as_("partner"),
			tier.name.as_("tier"),
			tier.mdf_allocation_type.as_("basis"),
			tier.mdf_allocation_percent.as_("percent"),
			tier.mdf_fixed_amount.as_("fixed"),
			tier.mdf_period.as_("period"),
		)
		.where((partner.status == ACTIVE) & tier.mdf_allocation_type.isin(rules_bases()))
	)
	if kind:
		query = query.where(tier.mdf_period == kind)
	if partners:
		query = query.where(partner.name.isin(partners))
	return query.run(as_dict=True)


def rules_bases() -> tuple[str, str]:
	return (rules.PERCENT_OF_REVENUE, rules.FIXED_AMOUNT)


def allocation_for(terms, company: str, period: rules.Period, revenue: Decimal | None = None) -> dict:
	"""The values a new budget takes from its partner's tier (``terms``: a row of
	``eligible_partners``)."""
	previous = period.previous()
	if revenue is None:
		revenue = invoiced_revenue([terms.partner], company, previous.start, previous.end).get(
			terms.partner, rules.ZERO
		)
	fixed = (
		terms.fixed if company == accounting.default_company() or len(accounting.mdf_companies()) == 1 else 0
	)
	amount = rules.allocation(terms.basis, terms.percent, fixed, revenue)
	return {
		"program_tier": terms.tier,
		"allocation_basis": terms.basis,
		"allocation_percent": flt(terms.percent) if terms.basis == rules.PERCENT_OF_REVENUE else 0,
		"basis_revenue": revenue,
		"computed_amount": amount,
		"allocated_amount": amount,
	}


def allocate(
	kind: str, day=None, partners: list[str] | None = None, companies: list[str] | None = None
) -> list[str]:
	"""Make the budgets of the period of ``kind`` containing ``day`` (default today) that do not
	exist yet: for every active partner whose tier allocates MDF by such periods, in every MDF
	company. Idempotent; set-based reads (one revenue query per company)."""
	day = getdate(day or today())
	made = []
	terms = eligible_partners(kind, partners)
	if not terms:
		return made
	for company in companies or accounting.mdf_companies():
		period = period_of(day, kind, company)
		budget = frappe.qb.DocType(MDF_BUDGET)
		existing = set(
			frappe.qb.from_(budget)
			.select(budget.partner)
			.where(
				(budget.company == company)
				& (budget.period_type == kind)
				& (budget.period_start == period.start)
				& budget.partner.isin([t.partner for t in terms])
			)
			.run(pluck=True)
		)
		missing = [t for t in terms if t.partner not in existing]
		previous = period.previous()
		revenue = invoiced_revenue([t.partner for t in missing], company, previous.start, previous.end)
		for row in missing:
			doc = frappe.new_doc(MDF_BUDGET)
			doc.update(
				{
					"partner": row.partner,
					"company": company,
					"period_type": kind,
					"period_start": period.start,
					"status": BUDGET_OPEN,
				}
			)
			doc.update(allocation_for(row, company, period, revenue.get(row.partner, rules.ZERO)))
			doc.flags.allocated = True  # the values above are the tier's: keep them
			doc.flags.ignore_permissions = True  # the system's allocation, for the channel team
			doc.insert()
			made.append(doc.name)
	return made


def allocate_current_periods(commit: bool = True) -> list[str]:
	"""Daily: the budgets of today's periods that are missing (a new period has started, a partner
	was activated or moved to a tier with MDF)."""
	made = []
	for kind in (rules.QUARTER, rules.HALF_YEAR, rules.YEAR):
		frappe.db.savepoint("prm_allocate")
		try:
			made += allocate(kind)
		except frappe.ValidationError:
			frappe.db.rollback(save_point="prm_allocate")
			frappe.log_error(title=_("MDF budgets for the current {0} could not be allocated").format(kind))
			continue
		if commit:
			frappe.db.commit()  # nosemgrep: scheduled job, commits per kind of period
	return made


ENQUEUE_ABOVE = 50


@frappe.whitelist(methods=["POST"])
def allocate_mdf(period_type=None, date=None) -> dict:
	"""The "Allocate MDF" action of the MDF Budget list: the budgets of the period containing
	``date`` (default today), of ``period_type`` (default every kind of period), for every eligible
	partner that has none. Large programmes are allocated in a background job."""
	from prm_app.permissions import is_privileged

	if not is_privileged(frappe.session.user) or not frappe.has_permission(MDF_BUDGET, "create"):
		frappe.throw(_("Only the channel team allocates MDF."), frappe.PermissionError)
	kinds = [period_type] if period_type else [rules.QUARTER, rules.HALF_YEAR, rules.YEAR]
	if any(kind not in rules.PERIOD_MONTHS or kind == "Month" for kind in kinds):
		frappe.throw(_("Choose Quarter, Half-year or Year."), MDFStateError, title=_("Invalid Period"))
	day = getdate(date) if date else getdate(today())
	partners = sum(len(eligible_partners(kind)) for kind in kinds)
	if partners > ENQUEUE_ABOVE:
		frappe.enqueue(
			"prm_app.integrations.mdf_budget.allocate_in_background",
			queue="long",
			kinds=kinds,
			day=str(day),
			enqueue_after_commit=True,
		)
		return {"queued": True, "partners": partners, "made": []}
	made = []
	for kind in kinds:
		made += allocate(kind, day)
	return {"queued": False, "partners": partners, "made": made}


def allocate_in_background(kinds: list[str], day: str) -> None:
	for kind in kinds:
		allocate(kind, day)
		frappe.db.commit()  # nosemgrep: background job


@prepared
def open_budget_rows():
	budget = frappe.qb.DocType(MDF_BUDGET)
	return (
		frappe.qb.from_(budget)
		.select(
			budget.name,
			budget.period_type,
			budget.period_start,
			budget.period_end,
			budget.currency,
			budget.company,
		)
		.where(
			(budget.partner == param("partner"))
			& (budget.status == BUDGET_OPEN)
			& (budget.period_end >= param("ended_after"))
		)
		.orderby(budget.period_start, order=Order.desc)
	)


def open_budgets(partner: str) -> list[frappe._dict]:
	"""The partner's open budgets whose period has not ended more than 90 days ago, newest first."""
	return open_budget_rows(partner=partner, ended_after=add_days(getdate(today()), -90))


def open_budgets_of(partner: str) -> list[str]:
	return [row.name for row in open_budgets(partner)]


def budget_is_usable(budget: str) -> bool:
	return frappe.db.get_value(MDF_BUDGET, budget, "status") == BUDGET_OPEN
