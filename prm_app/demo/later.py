"""The demo's part for capabilities built separately, run only when their doctype exists:
certified people (training), lead offers (lead distribution) and MDF claims.

They are written against those doctypes' specified fields (Partner Certification: partner, user,
status, certified_on, expires_on; Lead Offer: partner, lead, status, offered_on, responded_on;
MDF Claim: partner, status and an amount). Any other mandatory field is filled from its type
(``fill_mandatory``), and a record its doctype refuses is reported and skipped, never forced: the
rest of the demo stands without it.
"""

from datetime import timedelta

import frappe
from frappe.utils import add_days, now_datetime, today

from prm_app.demo import days_ago
from prm_app.engine import partner_status

SAVEPOINT = "prm_demo_later"


def fill_mandatory(doc) -> None:
	"""Give each empty mandatory field of ``doc`` a value of its type (the first record of a Link)."""
	for df in doc.meta.fields:
		if not df.reqd or doc.get(df.fieldname) not in (None, "", []):
			continue
		if df.fieldtype == "Link":
			doc.set(df.fieldname, frappe.db.get_value(df.options, {}, "name"))
		elif df.fieldtype == "Select":
			doc.set(df.fieldname, (df.options or "").split("\n")[0] or None)
		elif df.fieldtype == "Date":
			doc.set(df.fieldname, today())
		elif df.fieldtype == "Datetime":
			doc.set(df.fieldname, now_datetime())
		elif df.fieldtype in ("Currency", "Float", "Int", "Percent"):
			doc.set(df.fieldname, 1)
		elif df.fieldtype in ("Data", "Small Text", "Text", "Long Text", "Text Editor"):
			doc.set(df.fieldname, "Demo")


def try_insert(demo, values: dict, submit: bool = False) -> str | None:
	doc = frappe.get_doc(values)
	fill_mandatory(doc)
	frappe.db.savepoint(SAVEPOINT)
	try:
		doc.insert(ignore_permissions=True)
		if submit and doc.meta.is_submittable:
			doc.submit()
	except Exception as e:
		frappe.db.rollback(save_point=SAVEPOINT)
		frappe.clear_messages()
		demo.echo(f"  skipped a {values['doctype']}: {e}")
		return None
	demo.record(values["doctype"], doc.name)
	return doc.name


def selling(demo):
	return [p for p in demo.partners if p.status == partner_status.ACTIVE]


def certifications(demo) -> None:
	"""People certified at the bigger partners (some expired, one revoked)."""
	made = 0
	for partner in selling(demo)[:12]:
		for user in partner.users:
			for status, certified, expires in (
				("Active", days_ago(demo.rng.randint(20, 300)), add_days(today(), 365)),
				("Expired", days_ago(500), days_ago(100)),
			):
				if partner.index > 6 and status == "Expired":
					continue
				made += bool(
					try_insert(
						demo,
						{
							"doctype": "Partner Certification",
							"partner": partner.name,
							"user": user,
							"status": status,
							"certified_on": certified,
							"expires_on": expires,
						},
					)
				)
	demo.echo(f"  {made} certifications")


def lead_offers(demo) -> None:
	"""Leads offered to partners: most accepted, some declined or timed out."""
	made = 0
	for partner in selling(demo)[:10]:
		for turn in range(4):
			lead = try_insert(
				demo,
				{
					"doctype": "Lead",
					"lead_name": f"Lead {partner.index}-{turn}",
					"company_name": f"Prospect {partner.index}-{turn} Holdings",
					"territory": partner.region,
				},
			)
			if not lead:
				continue
			status = ("Accepted", "Accepted", "Declined", "Timed Out")[(partner.index + turn) % 4]
			offered = now_datetime() - timedelta(days=demo.rng.randint(5, 200))
			made += bool(
				try_insert(
					demo,
					{
						"doctype": "Lead Offer",
						"partner": partner.name,
						"lead": lead,
						"status": status,
						"offered_on": offered,
						"responded_on": offered + timedelta(hours=demo.rng.randint(1, 40)),
					},
				)
			)
	demo.echo(f"  {made} lead offers")


def mdf(demo) -> None:
	"""An MDF budget, a request and a claim for the top partners (their amounts by the field names
	the MDF doctypes have)."""
	from prm_app.insights.providers import MDF_AMOUNT_FIELDS, first_field

	made = 0
	for partner in selling(demo)[:5]:
		budget = None
		if frappe.db.exists("DocType", "MDF Budget"):
			budget = try_insert(demo, {"doctype": "MDF Budget", "partner": partner.name})
		request = None
		if frappe.db.exists("DocType", "MDF Request"):
			values = {
				"doctype": "MDF Request",
				"partner": partner.name,
				"campaign": f"{partner.name} spring campaign",
			}
			link = next(
				(df.fieldname for df in frappe.get_meta("MDF Request").fields if df.options == "MDF Budget"),
				None,
			)
			if link and budget:
				values[link] = budget
			request = try_insert(demo, values)
		values = {"doctype": "MDF Claim", "partner": partner.name, "status": "Approved"}
		amount = first_field("MDF Claim", MDF_AMOUNT_FIELDS)
		if amount:
			values[amount] = demo.rng.choice((2_500, 5_000, 7_500))
		link = next(
			(df.fieldname for df in frappe.get_meta("MDF Claim").fields if df.options == "MDF Request"), None
		)
		if link and request:
			values[link] = request
		made += bool(try_insert(demo, values, submit=True))
	demo.echo(f"  {made} MDF claims")
