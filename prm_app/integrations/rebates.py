"""Rebate accruals and settlements on ERPNext's books.

A partner's tier ``rebate_percent`` and the admin's Incentive Rules accrue on its invoiced revenue
(submitted Sales Invoices tagged with the partner, in the company's currency), in one batch per
rebate period (PRM Settings): one **Rebate Accrual** per partner per company per period, listing
the invoices it covers, posted as one Journal Entry (Dr rebate expense, Cr accrued rebate
liability). Credit notes count as negative invoices (one against an invoice accrued earlier gives
back that invoice's share); an accrued invoice that has since been cancelled gives back what it
accrued. A partner's invoices accrued once are never accrued again.

A **Rebate Settlement** pays a partner's accrued, unsettled periods: a Purchase Invoice to its
Supplier, or a credit note or Journal Entry against its Customer (PRM Settings), each debiting the
accrued rebate liability.

The arithmetic is ``prm_app.engine.rebates``; reads here are set-based (one query per kind of
record for all partners of a company), so the batch's cost grows with invoices, not queries.
"""

from collections import defaultdict
from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import getdate, today

from prm_app.constants import INCENTIVE_RULE, PARTNER, REBATE_ACCRUAL
from prm_app.engine import mdf as money_rules
from prm_app.engine import rebates as engine
from prm_app.exceptions import RebateError
from prm_app.integrations import accounting

INVOICE, CREDIT_NOTE, CANCELLATION = "Invoice", "Credit Note", "Cancellation"
ACTIVE = "Active"


# -- periods -------------------------------------------------------------------------------------


def period_kind() -> str:
	return frappe.db.get_single_value("PRM Settings", "rebate_period") or money_rules.QUARTER


def period_of(day, company: str) -> money_rules.Period:
	return money_rules.period_containing(
		getdate(day), period_kind(), accounting.fiscal_year_start(day, company)
	)


def rebate_companies() -> list[str]:
	rows = frappe.get_all(
		"PRM Company Accounts",
		filters={
			"parenttype": "PRM Settings",
			"rebate_expense_account": ("is", "set"),
			"rebate_liability_account": ("is", "set"),
		},
		pluck="company",
		order_by="idx asc",
	)
	return [c for c in rows if c]


# -- what the rules are --------------------------------------------------------------------------


def incentive_rules(company: str) -> list[frappe._dict]:
	rows = frappe.get_all(
		INCENTIVE_RULE,
		filters={"enabled": 1},
		fields=[
			"name",
			"percent",
			"amount_per_unit",
			"item_code",
			"item_group",
			"valid_from",
			"valid_to",
			"program_tier",
			"partner_type",
			"company",
		],
		order_by="name asc",
	)
	return [row for row in rows if not row.company or row.company == company]


def as_rule(row) -> engine.Rule:
	return engine.Rule(
		row.name,
		Decimal(str(row.percent or 0)),
		Decimal(str(row.amount_per_unit or 0)),
		row.item_code or None,
		row.item_group or None,
		getdate(row.valid_from) if row.valid_from else None,
		getdate(row.valid_to) if row.valid_to else None,
	)


def rules_for(partner_terms, rules: list[frappe._dict]) -> list[engine.Rule]:
	return [
		as_rule(row)
		for row in rules
		if (not row.program_tier or row.program_tier == partner_terms.tier)
		and (not row.partner_type or row.partner_type == partner_terms.partner_type)
	]


def partner_terms(partners: list[str] | None = None) -> dict[str, frappe._dict]:
	"""Each partner's tier, rebate percentage and type (one query)."""
	partner = frappe.qb.DocType(PARTNER)
	tier = frappe.qb.DocType("Program Tier")
	query = (
		frappe.qb.from_(partner)
		.left_join(tier)
		.on(tier.name == partner.program_tier)
		.select(
			partner.name.as_("partner"),
			partner.program_tier.as_("tier"),
			partner.partner_type,
			tier.rebate_percent,
		)
	)
	if partners is not None:
		query = query.where(partner.name.isin(partners or [""]))
	return {row.partner: row for row in query.run(as_dict=True)}


def earns_rebates(terms, rules: list[frappe._dict]) -> bool:
	return bool(terms.rebate_percent) or bool(rules_for(terms, rules))


# -- what the invoices are -----------------------------------------------------------------------


def _coverage():
	"""(accrual, its invoice rows) of submitted accruals."""
	return frappe.qb.DocType(REBATE_ACCRUAL), frappe.qb.DocType("Rebate Accrual Invoice")


def candidate_invoices(company: str, since, until, partners: list[str]) -> list[frappe._dict]:
	"""Submitted invoices and credit notes of ``partners`` in ``company`` dated ``since``..``until``
	that no submitted accrual covers yet."""
	if not partners:
		return []
	invoice = frappe.qb.DocType("Sales Invoice")
	accrual, row = _coverage()
	covered = (
		frappe.qb.from_(row)
		.join(accrual)
		.on(accrual.name == row.parent)
		.select(row.sales_invoice)
		.where((accrual.docstatus == 1) & (row.kind != CANCELLATION) & (row.parenttype == REBATE_ACCRUAL))
	)
	return (
		frappe.qb.from_(invoice)
		.select(
			invoice.name,
			invoice.prm_partner.as_("partner"),
			invoice.posting_date,
			invoice.base_net_total,
			invoice.is_return,
			invoice.return_against,
		)
		.where(
			(invoice.docstatus == 1)
			& (invoice.company == company)
			& invoice.prm_partner.isin(partners)
			& (invoice.posting_date >= getdate(since))
			& (invoice.posting_date <= getdate(until))
			& invoice.name.notin(covered)
		)
		.orderby(invoice.posting_date)
		.orderby(invoice.name)
	).run(as_dict=True)


def cancelled_accrued(company: str, partners: list[str] | None) -> list[frappe._dict]:
	"""Cancelled invoices that a submitted accrual covers and none has given back yet (of
	``partners``, or of every partner)."""
	if partners is not None and not partners:
		return []
	invoice = frappe.qb.DocType("Sales Invoice")
	accrual, row = _coverage()
	given_back = (
		frappe.qb.from_(row)
		.join(accrual)
		.on(accrual.name == row.parent)
		.select(row.sales_invoice)
		.where((accrual.docstatus == 1) & (row.kind == CANCELLATION) & (row.parenttype == REBATE_ACCRUAL))
	)
	query = (
		frappe.qb.from_(invoice)
		.join(row)
		.on(row.sales_invoice == invoice.name)
		.join(accrual)
		.on(accrual.name == row.parent)
		.select(invoice.name, invoice.prm_partner.as_("partner"), invoice.posting_date)
		.distinct()
		.where(
			(invoice.docstatus == 2)
			& (invoice.company == company)
			& (accrual.partner == invoice.prm_partner)
			& (accrual.docstatus == 1)
			& (row.parenttype == REBATE_ACCRUAL)
			& invoice.name.notin(given_back)
		)
	)
	if partners is not None:
		query = query.where(invoice.prm_partner.isin(partners))
	return query.run(as_dict=True)


def accrued_rows(invoices: list[str]) -> dict[str, list[frappe._dict]]:
	"""The submitted accrual rows on each invoice (as the invoice, or reversing it)."""
	if not invoices:
		return {}
	accrual, row = _coverage()
	rows = (
		frappe.qb.from_(row)
		.join(accrual)
		.on(accrual.name == row.parent)
		.select(
			row.kind,
			row.sales_invoice,
			row.reverses,
			row.net_amount,
			row.tier_rebate,
			row.incentive,
			row.rules,
		)
		.where(
			(accrual.docstatus == 1)
			& (row.parenttype == REBATE_ACCRUAL)
			& (row.sales_invoice.isin(invoices) | row.reverses.isin(invoices))
		)
	).run(as_dict=True)
	found = defaultdict(list)
	for r in rows:
		found[r.sales_invoice].append(r)
		if r.reverses and r.reverses != r.sales_invoice:
			found[f"reversed:{r.reverses}"].append(r)
	return found


def item_group_ancestors() -> dict[str, frozenset]:
	groups = frappe.get_all("Item Group", fields=["name", "lft", "rgt"])
	return {g.name: frozenset(o.name for o in groups if o.lft <= g.lft and o.rgt >= g.rgt) for g in groups}


def invoice_lines(invoices: list[str]) -> dict[str, list[engine.Line]]:
	if not invoices:
		return {}
	item = frappe.qb.DocType("Sales Invoice Item")
	rows = (
		frappe.qb.from_(item)
		.select(item.parent, item.item_code, item.item_group, item.qty, item.base_net_amount)
		.where(item.parent.isin(invoices) & (item.parenttype == "Sales Invoice"))
	).run(as_dict=True)
	ancestors = item_group_ancestors()
	lines = defaultdict(list)
	for r in rows:
		lines[r.parent].append(
			engine.Line(
				r.item_code,
				ancestors.get(r.item_group, frozenset({r.item_group} if r.item_group else ())),
				Decimal(str(r.qty or 0)),
				Decimal(str(r.base_net_amount or 0)),
			)
		)
	return lines


def _accrued(r) -> engine.Accrued:
	return engine.Accrued(
		r.sales_invoice,
		Decimal(str(r.net_amount or 0)),
		Decimal(str(r.tier_rebate or 0)),
		Decimal(str(r.incentive or 0)),
		tuple((r.rules or "").split(", ")) if r.rules else (),
	)


# -- the batch -----------------------------------------------------------------------------------


def lines_for(terms, rules, invoices, cancelled, lines, accrued, posting_dates, live) -> list[dict]:
	"""The accrual rows of one partner's batch. ``live``: the credit notes still submitted (a
	cancelled one's reversal no longer counts for later credit notes against the same invoice)."""
	rate = Decimal(str(terms.rebate_percent or 0))
	applicable = rules_for(terms, rules)
	reversed_so_far = {}  # original -> [returned net, tier reversed, incentive reversed]
	result = []
	for inv in invoices:
		original = inv.return_against if inv.is_return else None
		earlier = [r for r in accrued.get(original, []) if r.kind == INVOICE] if original else []
		if earlier:
			if original not in reversed_so_far:
				previous = [
					r
					for r in accrued.get(f"reversed:{original}", [])
					if r.kind == CREDIT_NOTE and r.sales_invoice in live
				]
				reversed_so_far[original] = [
					sum((abs(Decimal(str(p.net_amount or 0))) for p in previous), Decimal(0)),
					sum((Decimal(str(p.tier_rebate or 0)) for p in previous), Decimal(0)),
					sum((Decimal(str(p.incentive or 0)) for p in previous), Decimal(0)),
				]
			so_far = reversed_so_far[original]
			line = engine.reverse_return(
				engine.Invoice(inv.name, getdate(inv.posting_date), Decimal(str(inv.base_net_total or 0))),
				_accrued(earlier[0]),
				returned_before=so_far[0],
				reversed_before=(so_far[1], so_far[2]),
			)
			so_far[0] += abs(Decimal(str(inv.base_net_total or 0)))
			so_far[1] += line.tier_rebate
			so_far[2] += line.incentive
		else:
			rule_day = posting_dates.get(original) or inv.posting_date
			line = engine.accrue(
				engine.Invoice(
					inv.name,
					getdate(rule_day),
					Decimal(str(inv.base_net_total or 0)),
					tuple(lines.get(inv.name, ())),
				),
				rate,
				applicable,
			)
		result.append(row_of(line, CREDIT_NOTE if inv.is_return else INVOICE, inv.posting_date, original))
	for inv in cancelled:
		rows = [_accrued(r) for r in accrued.get(inv.name, []) if r.kind != CANCELLATION]
		if rows:
			result.append(
				row_of(engine.reverse_cancelled(inv.name, rows), CANCELLATION, inv.posting_date, inv.name)
			)
	return [r for r in result if r["net_amount"] or r["rebate_amount"]]


def row_of(line: engine.Accrued, kind: str, posting_date, reverses: str | None) -> dict:
	return {
		"kind": kind,
		"sales_invoice": line.invoice,
		"reverses": reverses or line.reverses,
		"posting_date": posting_date,
		"net_amount": line.net_amount,
		"tier_rebate": line.tier_rebate,
		"incentive": line.incentive,
		"rebate_amount": line.total,
		"rules": ", ".join(line.rules),
	}


def since_date(period: money_rules.Period):
	since = frappe.db.get_single_value("PRM Settings", "rebates_from")
	return getdate(since) if since else period.start


def compute(company: str, period: money_rules.Period, partners: list[str] | None = None) -> dict[str, list]:
	"""Every eligible partner's accrual rows for ``period`` in ``company``: {partner: rows}."""
	rules = incentive_rules(company)
	terms = partner_terms(partners)  # every partner's (or those asked for)
	earning = [p for p, t in terms.items() if partners is not None or earns_rebates(t, rules)]
	invoices = candidate_invoices(company, since_date(period), period.end, earning)
	# an accrued invoice cancelled since gives back its share, whatever the partner earns now
	cancelled = cancelled_accrued(company, partners)
	originals = [i.return_against for i in invoices if i.is_return and i.return_against]
	accrued = accrued_rows([*originals, *(c.name for c in cancelled)])
	lines = invoice_lines([i.name for i in invoices]) if rules else {}
	posting_dates = dict(
		frappe.get_all(
			"Sales Invoice",
			filters={"name": ("in", originals or [""])},
			fields=["name", "posting_date"],
			as_list=True,
		)
	)
	by_partner, gone = defaultdict(list), defaultdict(list)
	for inv in invoices:
		by_partner[inv.partner].append(inv)
	for inv in cancelled:
		gone[inv.partner].append(inv)
	earlier_notes = {
		r.sales_invoice for key, rows in accrued.items() if key.startswith("reversed:") for r in rows
	}
	live = set(
		frappe.get_all(
			"Sales Invoice",
			filters={"name": ("in", list(earlier_notes) or [""]), "docstatus": 1},
			pluck="name",
		)
	)
	result = {}
	for partner in sorted(set(by_partner) | set(gone)):
		rows = lines_for(
			terms[partner], rules, by_partner[partner], gone[partner], lines, accrued, posting_dates, live
		)
		if rows:
			result[partner] = rows
	return result


def existing_accruals(company: str, period: money_rules.Period) -> set[str]:
	accrual = frappe.qb.DocType(REBATE_ACCRUAL)
	return set(
		frappe.qb.from_(accrual)
		.select(accrual.partner)
		.where(
			(accrual.company == company)
			& (accrual.period_start == period.start)
			& (accrual.period_end == period.end)
			& (accrual.docstatus < 2)
		)
		.run(pluck=True)
	)


def accrue(day=None, companies: list[str] | None = None, partners: list[str] | None = None) -> list[str]:
	"""The batch of the rebate period containing ``day`` (default: the last period that ended):
	one submitted Rebate Accrual per partner per company, for partners that have none for it."""
	made = []
	for company in companies or rebate_companies():
		accounting.company_accounts(company, "rebate_expense_account", "rebate_liability_account")
		period = period_of(day, company) if day else period_of(today(), company).previous()
		done = existing_accruals(company, period)
		for partner, rows in compute(company, period, partners).items():
			if partner in done:
				continue
			doc = frappe.new_doc(REBATE_ACCRUAL)
			doc.update(
				{
					"partner": partner,
					"company": company,
					"period_start": period.start,
					"period_end": period.end,
				}
			)
			for row in rows:
				doc.append("invoices", row)
			doc.flags.lines_given = True
			doc.flags.ignore_permissions = True  # the system's batch, for the channel team
			doc.insert()
			doc.submit()
			made.append(doc.name)
	return made


def accrue_closed_periods(commit: bool = True) -> list[str]:
	"""Daily: once a rebate period has ended, its batch (once; later days find nothing to do)."""
	companies = rebate_companies()
	if not companies:
		return []
	settings_until = frappe.db.get_single_value("PRM Settings", "rebates_accrued_until")
	last = period_of(today(), companies[0]).previous()
	if settings_until and getdate(settings_until) >= last.end:
		return []
	if not frappe.db.get_single_value("PRM Settings", "rebates_from"):
		frappe.db.set_single_value("PRM Settings", "rebates_from", last.start)
	made = []
	for company in companies:
		frappe.db.savepoint("prm_accrue")
		try:
			made += accrue(last.start, [company])
		except frappe.ValidationError:
			frappe.db.rollback(save_point="prm_accrue")
			frappe.log_error(title=_("Rebates of {0} could not be accrued").format(company))
			continue
		if commit:
			frappe.db.commit()  # nosemgrep: scheduled job, commits per company
	frappe.db.set_single_value("PRM Settings", "rebates_accrued_until", last.end)
	if commit:
		frappe.db.commit()  # nosemgrep: scheduled job
	return made


@frappe.whitelist(methods=["POST"])
def accrue_rebates(date=None) -> dict:
	"""The "Accrue Rebates" action of the Rebate Accrual list: the batch of the period containing
	``date`` (default: the last period that ended), in a background job."""
	from prm_app.permissions import is_privileged

	if not is_privileged(frappe.session.user) or not frappe.has_permission(REBATE_ACCRUAL, "submit"):
		frappe.throw(_("Only the channel team accrues rebates."), frappe.PermissionError)
	day = str(getdate(date)) if date else None
	if not rebate_companies():
		frappe.throw(
			_("Set the rebate accounts of a company in PRM Settings, under Accounts per Company."),
			RebateError,
			title=_("Accounts Missing"),
		)
	frappe.enqueue(
		"prm_app.integrations.rebates.accrue_in_background",
		queue="long",
		day=day,
		enqueue_after_commit=True,
	)
	return {"queued": True}


def accrue_in_background(day=None) -> None:
	accrue(day)
	frappe.db.commit()  # nosemgrep: background job


# -- posting ----------------------------------------------------------------------------------


def post_accrual(accrual) -> str | None:
	"""The accrual's Journal Entry (none for a total of zero)."""
	total = money_rules.money(accrual.total_rebate)
	if not total:
		return None
	accounts = accounting.company_accounts(
		accrual.company, "rebate_expense_account", "rebate_liability_account"
	)
	account_of = {"expense": accounts.rebate_expense_account, "liability": accounts.rebate_liability_account}
	rows = [
		{
			"account": account_of[side],
			"cost_center": accounts.cost_center if side == "expense" else None,
			"debit": debit,
			"credit": credit,
		}
		for side, debit, credit in engine.journal_lines(total)
	]
	remark = _("Rebate accrual {0}: partner {1}, {2} to {3}").format(
		accrual.name, accrual.partner, accrual.period_start, accrual.period_end
	)
	return accounting.journal_entry(accrual.company, rows, remark, posting_date=accrual.posting_date)


def settlement_document() -> str:
	return frappe.db.get_single_value("PRM Settings", "rebate_settlement_document") or "Purchase Invoice"


def post_settlement(settlement) -> tuple[str, str]:
	"""Pay the settled accruals: (doctype, name) of the payout, which debits the liability."""
	accounts = accounting.company_accounts(settlement.company, "rebate_liability_account")
	amount = money_rules.money(settlement.total_amount)
	description = _("Rebate settlement {0}: partner {1}, periods up to {2}").format(
		settlement.name, settlement.partner, settlement.up_to
	)
	how = settlement.settlement_document or settlement_document()
	if how == "Purchase Invoice":
		supplier = accounting.partner_party(settlement.partner, "Supplier")
		name = accounting.purchase_invoice(
			settlement.company,
			supplier,
			amount,
			accounts.rebate_liability_account,
			accounts.cost_center,
			description,
			posting_date=settlement.posting_date,
			bill_no=settlement.name,
			remarks=description,
		)
		return "Purchase Invoice", name
	customer = accounting.partner_party(settlement.partner, "Customer")
	if how == "Credit Note":
		name = accounting.credit_note(
			settlement.company,
			customer,
			amount,
			accounts.rebate_liability_account,
			accounts.cost_center,
			description,
			posting_date=settlement.posting_date,
		)
		return "Sales Invoice", name
	name = accounting.journal_entry(
		settlement.company,
		[
			{"account": accounts.rebate_liability_account, "debit": amount},
			{
				"account": accounting.party_account("Customer", customer, settlement.company),
				"party_type": "Customer",
				"party": customer,
				"credit": amount,
			},
		],
		description,
		posting_date=settlement.posting_date,
	)
	return "Journal Entry", name


def unsettled_accruals(partner: str, company: str, up_to, lock: bool = False) -> list[frappe._dict]:
	accrual = frappe.qb.DocType(REBATE_ACCRUAL)
	query = (
		frappe.qb.from_(accrual)
		.select(
			accrual.name, accrual.period_start, accrual.period_end, accrual.total_rebate, accrual.settlement
		)
		.where(
			(accrual.partner == partner)
			& (accrual.company == company)
			& (accrual.docstatus == 1)
			& (accrual.period_end <= getdate(up_to))
			& (accrual.settlement.isnull() | (accrual.settlement == ""))
		)
		.orderby(accrual.period_start)
	)
	if lock:
		query = query.for_update()
	return query.run(as_dict=True)


def lock_partner(partner: str) -> None:
	"""Rebate documents of one partner are posted one at a time (a row lock on the Partner)."""
	table = frappe.qb.DocType(PARTNER)
	frappe.qb.from_(table).select(table.name).where(table.name == partner).for_update().run()


def covered_elsewhere(invoices: list[str], accrual_name: str) -> int:
	"""How many of ``invoices`` another submitted accrual already covers (read under the lock)."""
	if not invoices:
		return 0
	accrual, row = _coverage()
	return (
		frappe.qb.from_(row)
		.join(accrual)
		.on(accrual.name == row.parent)
		.select(Count(row.name))
		.where(
			(accrual.docstatus == 1)
			& (accrual.name != accrual_name)
			& (row.parenttype == REBATE_ACCRUAL)
			& row.sales_invoice.isin(invoices)
			& (row.kind != CANCELLATION)
		)
		.for_update()
	).run()[0][0]
