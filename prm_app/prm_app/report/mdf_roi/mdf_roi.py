# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""MDF ROI: per partner, activity type and campaign, what MDF paid for and what it brought.

- **Spent**: the approved amounts of the claims posted (submitted) against the approved or closed
  requests, in the company's currency.
- **Leads**: the ERPNext Leads tagged with the partner and the request's campaign (those made from
  approved claims, and any the channel team tags the same way).
- **Opportunities**: the Opportunities of those leads, or of the Customers made from them.
- **Won deals**: the submitted Sales Orders of those Customers.
- **Invoiced revenue**: their submitted Sales Invoices, net, credit notes subtracting.
- **Revenue per MDF**: invoiced revenue / spent; **ROI (%)**: (invoiced revenue - spent) / spent.

Every figure is one set-based query for all rows.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, getdate

from prm_app.constants import APPROVED, MDF_BUDGET, MDF_CLAIM, MDF_CLOSED, MDF_REQUEST
from prm_app.insights.access import require_channel_team
from prm_app.integrations.mdf_leads import campaign_link, campaign_value


def execute(filters=None):
	require_channel_team()
	filters = frappe._dict(filters or {})
	if not filters.company:
		frappe.throw(_("Choose the company."), title=_("Company"))
	return columns(), data(filters)


def columns() -> list[dict]:
	money = {"fieldtype": "Currency", "options": "currency", "width": 130}
	count = {"fieldtype": "Int", "width": 100}
	return [
		{"fieldname": "partner", "label": _("Partner"), "fieldtype": "Link", "options": "Partner", "width": 170},
		{"fieldname": "activity_type", "label": _("Activity Type"), "fieldtype": "Link", "options": "MDF Activity Type", "width": 130},
		{"fieldname": "campaign", "label": _("Campaign"), "fieldtype": "Link", "options": "Campaign", "width": 170},
		{"fieldname": "requests", "label": _("Requests"), **count},
		{"fieldname": "spent", "label": _("Spent"), **money},
		{"fieldname": "leads", "label": _("Leads"), **count},
		{"fieldname": "opportunities", "label": _("Opportunities"), **count},
		{"fieldname": "won_deals", "label": _("Won Deals"), **count},
		{"fieldname": "revenue", "label": _("Invoiced Revenue"), **money},
		{"fieldname": "revenue_per_spent", "label": _("Revenue per MDF"), "fieldtype": "Float", "precision": 2, "width": 120},
		{"fieldname": "roi", "label": _("ROI (%)"), "fieldtype": "Percent", "width": 100},
		{"fieldname": "currency", "label": _("Currency"), "fieldtype": "Link", "options": "Currency", "hidden": 1},
	]  # fmt: skip


def requests_of(filters) -> list[frappe._dict]:
	request = frappe.qb.DocType(MDF_REQUEST)
	budget = frappe.qb.DocType(MDF_BUDGET)
	query = (
		frappe.qb.from_(request)
		.join(budget)
		.on(budget.name == request.budget)
		.select(request.name, request.partner, request.activity_type, request.campaign, budget.currency)
		.where((budget.company == filters.company) & request.status.isin((APPROVED, MDF_CLOSED)))
	)
	if filters.partner:
		query = query.where(request.partner == filters.partner)
	if filters.activity_type:
		query = query.where(request.activity_type == filters.activity_type)
	if filters.from_date:
		query = query.where(request.start_date >= getdate(filters.from_date))
	if filters.to_date:
		query = query.where(request.start_date <= getdate(filters.to_date))
	return query.run(as_dict=True)


def spent_by_request(requests: list[str]) -> dict[str, float]:
	claim = frappe.qb.DocType(MDF_CLAIM)
	rows = (
		frappe.qb.from_(claim)
		.select(claim.mdf_request, Sum(claim.approved_amount))
		.where(claim.mdf_request.isin(requests or [""]) & (claim.docstatus == 1))
		.groupby(claim.mdf_request)
	).run()
	return {name: flt(amount) for name, amount in rows}


def leads_by_tag(partners: list[str], tags: list[str]) -> dict[tuple, set]:
	field, _options = campaign_link("Lead")
	if not field or not tags:
		return {}
	lead = frappe.qb.DocType("Lead")
	rows = (
		frappe.qb.from_(lead)
		.select(lead.name, lead.prm_partner, lead[field])
		.where(lead.prm_partner.isin(partners or [""]) & lead[field].isin(tags))
	).run()
	found = defaultdict(set)
	for name, partner, tag in rows:
		found[(partner, tag)].add(name)
	return found


def customers_of(leads: set) -> dict[str, set]:
	rows = frappe.get_all(
		"Customer", filters={"lead_name": ("in", list(leads) or [""])}, fields=["name", "lead_name"]
	)
	found = defaultdict(set)
	for row in rows:
		found[row.lead_name].add(row.name)
	return found


def opportunities_of(leads: set, customers: set, company: str) -> list[frappe._dict]:
	opportunity = frappe.qb.DocType("Opportunity")
	return (
		frappe.qb.from_(opportunity)
		.select(opportunity.name, opportunity.opportunity_from, opportunity.party_name)
		.where(
			(opportunity.company == company)
			& (
				((opportunity.opportunity_from == "Lead") & opportunity.party_name.isin(list(leads) or [""]))
				| (
					(opportunity.opportunity_from == "Customer")
					& opportunity.party_name.isin(list(customers) or [""])
				)
			)
		)
	).run(as_dict=True)


def sums_by_customer(doctype: str, customers: set, company: str, field: str) -> dict[str, tuple]:
	"""{customer: (count, sum of ``field``)} of submitted documents of ``doctype``."""
	table = frappe.qb.DocType(doctype)
	from frappe.query_builder.functions import Count

	rows = (
		frappe.qb.from_(table)
		.select(table.customer, Count(table.name), Sum(table[field]))
		.where(
			(table.docstatus == 1) & (table.company == company) & table.customer.isin(list(customers) or [""])
		)
		.groupby(table.customer)
	).run()
	return {customer: (int(count), flt(amount)) for customer, count, amount in rows}


def data(filters) -> list[dict]:
	requests = requests_of(filters)
	spent = spent_by_request([r.name for r in requests])
	groups = {}
	for r in requests:
		key = (r.partner, r.activity_type, r.campaign)
		group = groups.setdefault(
			key,
			frappe._dict(
				partner=r.partner,
				activity_type=r.activity_type,
				campaign=r.campaign,
				requests=0,
				spent=0.0,
				currency=r.currency,
			),
		)
		group.requests += 1
		group.spent += spent.get(r.name, 0)
	tags = {c: campaign_value(c) for c in {r.campaign for r in requests if r.campaign}}
	leads = leads_by_tag(list({r.partner for r in requests}), [t for t in tags.values() if t])
	all_leads = set().union(*leads.values()) if leads else set()
	customers = customers_of(all_leads)
	all_customers = set().union(*customers.values()) if customers else set()
	opportunities = opportunities_of(all_leads, all_customers, filters.company)
	orders = sums_by_customer("Sales Order", all_customers, filters.company, "base_net_total")
	invoices = sums_by_customer("Sales Invoice", all_customers, filters.company, "base_net_total")
	rows = []
	for group in groups.values():
		group_leads = leads.get((group.partner, tags.get(group.campaign)), set()) if group.campaign else set()
		group_customers = (
			set().union(*(customers.get(lead, set()) for lead in group_leads)) if group_leads else set()
		)
		group.leads = len(group_leads)
		group.opportunities = len(
			{
				o.name
				for o in opportunities
				if (o.opportunity_from == "Lead" and o.party_name in group_leads)
				or (o.opportunity_from == "Customer" and o.party_name in group_customers)
			}
		)
		group.won_deals = sum(orders.get(c, (0, 0))[0] for c in group_customers)
		group.revenue = flt(sum(invoices.get(c, (0, 0))[1] for c in group_customers), 2)
		group.spent = flt(group.spent, 2)
		group.revenue_per_spent = flt(group.revenue / group.spent, 2) if group.spent else 0
		group.roi = flt((group.revenue - group.spent) * 100 / group.spent, 2) if group.spent else 0
		rows.append(group)
	return sorted(rows, key=lambda r: (r.partner, r.activity_type or "", r.campaign or ""))
