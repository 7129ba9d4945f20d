"""Deal registrations in every state (draft, under review, approved, rejected, won, lost, expired,
withdrawn), extension requests, channel conflicts (one open, one resolved, one with an ERPNext
customer), and a year of partner engagement.

Partner users register their deals; the channel team decides (as Administrator), through the
admin's workflow: each move takes the transition that leads to the wanted lifecycle status, so no
action is named here. Dates are then spread over the past year (submission, decision), with the
engagement events they stand for.
"""

from datetime import datetime, timedelta

import frappe
from frappe.query_builder.functions import Count
from frappe.utils import add_days, now_datetime, today

from prm_app import workflows
from prm_app.constants import (
	APPROVED,
	DEAL_REGISTRATION,
	DRAFT,
	EVENT_REGISTRATION_SUBMITTED,
	EVENT_SIGN_IN,
	EXPIRED,
	LOST,
	PENDING,
	REGISTRATION_STATUSES,
	REJECTED,
	WITHDRAWN,
	WON,
)
from prm_app.demo import days_ago
from prm_app.engagement import record as record_event
from prm_app.engine import partner_status

# what becomes of each partner's registrations, in turn (every state is reached)
SCENARIOS = (
	WON,
	APPROVED,
	PENDING,
	DRAFT,
	REJECTED,
	LOST,
	EXPIRED,
	WITHDRAWN,
	"extension",
	WON,
	APPROVED,
	"pending_extension",
)
PROSPECT_PLACES = (
	"Aurora",
	"Boulder",
	"Calder",
	"Dover",
	"Elmstead",
	"Fairhaven",
	"Glenrock",
	"Hollis",
	"Ivywood",
	"Juniper",
	"Kingsbay",
	"Lakemont",
	"Millbrook",
	"Newhaven",
	"Orchard",
	"Pinecrest",
	"Quarry",
	"Rosewood",
	"Sandpoint",
	"Thornbury",
)
PROSPECT_TRADES = (
	"Dental Group",
	"Freight Lines",
	"Veterinary Clinics",
	"Credit Union",
	"Ceramics",
	"Hotels",
	"Biotech",
	"School District",
	"Water Utility",
	"Architects",
	"Packaging",
	"Textiles",
)


def prospects():
	for shift in range(len(PROSPECT_TRADES)):
		for i, place in enumerate(PROSPECT_PLACES):
			yield f"{place} {PROSPECT_TRADES[(i + shift) % len(PROSPECT_TRADES)]}"


def move(doc, status: str):
	"""Take the workflow transition (granted to the session user) into ``status``."""
	return move_through_workflow(frappe.get_doc(DEAL_REGISTRATION, doc.name), status, REGISTRATION_STATUSES)


def move_through_workflow(doc, status: str, statuses: tuple):
	"""Take the admin's workflow transition, granted to the session user, into ``status``."""
	action = workflows.action_into(doc, status, statuses=statuses)
	if not action:
		raise frappe.ValidationError(f"the workflow offers no way to {status} from {doc.status}")
	return workflows.take(doc, action, statuses=statuses)


def register(demo, partner, company_name: str, value: float):
	"""A registration made by the partner's own user, as on the portal."""
	item = demo.rng.choice(demo.items)
	qty = max(1, round(value / item.rate))
	frappe.set_user(partner.admin)
	try:
		doc = frappe.get_doc(
			{
				"doctype": DEAL_REGISTRATION,
				"partner": partner.name,
				"company_name": company_name,
				"contact_name": "Jordan Buyer",
				"contact_email": f"buyer@{''.join(c for c in company_name.lower() if c.isalnum())}.example",
				"territory": partner.region,
				"expected_value": qty * item.rate,
				"currency": demo.currency,
				"expected_close_date": add_days(today(), demo.rng.randint(20, 120)),
				"description": "Demo opportunity registered by the partner.",
				"items": [{"item_code": item.code, "qty": qty, "amount": qty * item.rate}],
			}
		).insert()
	finally:
		frappe.set_user("Administrator")
	demo.record(DEAL_REGISTRATION, doc.name)
	return doc


def record_crm(demo, name: str) -> None:
	"""What approving a registration made in ERPNext's CRM (Opportunity, Lead, Customer)."""
	values = frappe.db.get_value(
		DEAL_REGISTRATION, name, ["opportunity", "customer", "channel_conflict"], as_dict=True
	)
	if values.opportunity:
		demo.record_if_new("Opportunity", values.opportunity)
		opportunity = frappe.db.get_value(
			"Opportunity", values.opportunity, ["opportunity_from", "party_name"], as_dict=True
		)
		if opportunity and opportunity.opportunity_from == "Lead":
			demo.record_if_new("Lead", opportunity.party_name)
	demo.record_if_new("Customer", values.customer)
	demo.record_if_new("Channel Conflict", values.channel_conflict)


def win(demo, partner, doc) -> None:
	"""The end customer orders: a Sales Order naming the registration (ERPNext customer made for
	it), submitted, marks it Won; its invoice follows."""
	from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

	customer = frappe.db.get_value(DEAL_REGISTRATION, doc.name, "customer")
	if not customer:
		group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name")
		made = frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": doc.company_name,
				"customer_type": "Company",
				"customer_group": group,
				"territory": partner.region,
				"prm_partner": partner.name,
			}
		).insert(ignore_permissions=True)
		demo.record("Customer", made.name)
		customer = made.name
	line = doc.items[0]
	order = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": demo.company,
			"transaction_date": today(),
			"delivery_date": add_days(today(), 14),
			"prm_deal_registration": doc.name,
			"items": [
				{
					"item_code": line.item_code,
					"qty": line.qty,
					"rate": line.amount / line.qty if line.qty else line.amount,
					"delivery_date": add_days(today(), 14),
				}
			],
		}
	)
	order.insert(ignore_permissions=True)
	order.submit()
	demo.record("Sales Order", order.name)
	invoice = make_sales_invoice(order.name)
	invoice.insert(ignore_permissions=True)
	invoice.submit()
	demo.record("Sales Invoice", invoice.name)


def play(demo, partner, scenario: str, company_name: str) -> str:
	doc = register(demo, partner, company_name, demo.rng.choice((8_000, 15_000, 24_000, 40_000, 65_000)))
	if scenario == DRAFT:
		return doc.name
	if scenario == WITHDRAWN and demo.rng.random() < 0.5:
		move(doc, WITHDRAWN)  # withdrawn before it was ever submitted
		return doc.name
	move(doc, PENDING)
	if scenario in (PENDING, WITHDRAWN):
		if scenario == WITHDRAWN:
			move(doc, WITHDRAWN)
		return doc.name
	if scenario == REJECTED:
		move(doc, REJECTED)
		return doc.name
	move(doc, APPROVED)
	record_crm(demo, doc.name)
	doc = frappe.get_doc(DEAL_REGISTRATION, doc.name)
	if scenario == WON:
		win(demo, partner, doc)
	elif scenario == LOST:
		move(doc, LOST)
	elif scenario == EXPIRED:
		doc.set_status_by_system(EXPIRED, "Protection ended before the customer ordered.")
		doc.db_set("protection_until", days_ago(3), update_modified=False)
	elif scenario in ("extension", "pending_extension"):
		frappe.set_user(partner.admin)
		try:
			row = doc.request_extension(45, "The customer's board approves the budget next quarter.")
		finally:
			frappe.set_user("Administrator")
		if scenario == "extension":
			frappe.get_doc(DEAL_REGISTRATION, doc.name).decide_extension(row, APPROVED)
	return doc.name


def conflicts(demo, partners, names) -> list[str]:
	"""Two partners after the same customer, twice (one case left open, one awarded to the first),
	and a registration of an end customer ERPNext already has (a possible conflict)."""
	made = []
	for resolve in (False, True):
		first, second = demo.rng.sample(partners, 2)
		company = next(names)
		made.append(play(demo, first, PENDING, company))
		made.append(play(demo, second, PENDING, f"{company} Inc"))
		case = frappe.db.get_value(DEAL_REGISTRATION, made[-1], "channel_conflict")
		demo.record_if_new("Channel Conflict", case)
		if resolve and case:
			doc = frappe.get_doc("Channel Conflict", case)
			doc.resolution = "Award to First"
			doc.notes = "The first registration came with a qualified opportunity."
			doc.save(ignore_permissions=True)
	owner, other = demo.rng.sample([p for p in partners if demo.customers.get(p.name)], 2)
	made.append(play(demo, other, PENDING, demo.customers[owner.name][0]))
	return made


def build(demo) -> None:
	settings = frappe.get_single("PRM Settings")
	keep = {"create_opportunity_on_approval": settings.create_opportunity_on_approval}
	frappe.db.set_single_value("PRM Settings", "create_opportunity_on_approval", 1)
	try:
		active = [p for p in demo.partners if p.status == partner_status.ACTIVE]
		dealing = active[: demo.size["deal_partners"]]
		names = prospects()
		made = []
		for position, partner in enumerate(dealing):
			# the biggest partners register most
			count = max(2, len(SCENARIOS) - position // 2) if demo.size["partners"] > 10 else len(SCENARIOS)
			for turn in range(count):
				scenario = SCENARIOS[(position + turn) % len(SCENARIOS)]
				made.append(play(demo, partner, scenario, next(names)))
		made += conflicts(demo, dealing, names)
		for name in made:  # what approvals made, conflict resolutions included
			record_crm(demo, name)
	finally:
		for key, value in keep.items():
			frappe.db.set_single_value("PRM Settings", key, value)
	spread_dates(demo, made)
	table = frappe.qb.DocType(DEAL_REGISTRATION)
	states = (
		frappe.qb.from_(table)
		.select(table.status, Count(table.name).as_("n"))
		.where(table.name.isin(made))
		.groupby(table.status)
	).run(as_dict=True)
	demo.echo("  registrations: " + ", ".join(f"{row.status} {row.n}" for row in states))


def spread_dates(demo, names: list[str]) -> None:
	"""Submissions and decisions over the past year (the order of submissions kept, so the first
	of two conflicting registrations stays first), with the partner's engagement event."""
	rows = frappe.get_all(
		DEAL_REGISTRATION,
		filters={"name": ("in", names), "registered_on": ("is", "set")},
		fields=["name", "partner", "owner", "decided_on", "priority_sequence"],
		order_by="priority_sequence asc",
	)
	days = sorted((demo.rng.randint(2, 330) for _ in rows), reverse=True)
	for row, back in zip(rows, days, strict=True):
		submitted = datetime.combine(days_ago(back), datetime.min.time()) + timedelta(
			hours=demo.rng.randint(8, 17)
		)
		values = {"registered_on": submitted}
		if row.decided_on:
			values["decided_on"] = min(submitted + timedelta(hours=demo.rng.randint(4, 140)), now_datetime())
		frappe.db.set_value(DEAL_REGISTRATION, row.name, values, update_modified=False)
		record_event(
			row.partner,
			EVENT_REGISTRATION_SUBMITTED,
			DEAL_REGISTRATION,
			row.name,
			user=row.owner,
			timestamp=submitted,
		)


def engagement(demo) -> None:
	"""A year of portal sign-ins: the biggest partners often, the tail rarely; some partners went
	quiet two months ago and two never signed in (the health check flags them)."""
	events = 0
	active = [p for p in demo.partners if p.status in (partner_status.ACTIVE, partner_status.SUSPENDED)]
	quiet = {p.name for p in active[-4:-1]}
	for partner in active:
		if partner.index in (len(active) - 1,):
			continue  # never signed in
		per_month = max(1, 8 - partner.index // 4)
		went_quiet = partner.name in quiet or (partner.get("falling") and partner.index % 2)
		latest = 60 if went_quiet else 1
		for turn in range(per_month * 12):
			# an engaged partner has signed in within the last three weeks
			back = (
				demo.rng.randint(latest, 21) if turn == 0 and latest == 1 else demo.rng.randint(latest, 364)
			)
			stamp = datetime.combine(days_ago(back), datetime.min.time()) + timedelta(
				hours=demo.rng.randint(7, 19), minutes=demo.rng.randint(0, 59)
			)
			record_event(partner.name, EVENT_SIGN_IN, user=demo.rng.choice(partner.users), timestamp=stamp)
			events += 1
	demo.echo(f"  {events} portal sign-ins over the year")
