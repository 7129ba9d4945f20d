"""The demo's part for the capabilities: training modules and the people they certified, leads
offered to partners and their answers, MDF budgets and requests, business plans and assets.

Each goes through the capability's own code (controllers, the lead distribution's offers, the
admin's workflows for MDF requests), as the channel team and the partners would, so the portal
and the reports show what they show on a real site.
"""

from datetime import timedelta

import frappe
from frappe.utils import add_days, add_months, now_datetime, today

from prm_app.constants import MDF_REQUEST, MDF_REQUEST_STATUSES
from prm_app.demo import days_ago
from prm_app.demo.registrations import move_through_workflow
from prm_app.engine import partner_status

MODULES = (
	(
		"Selling the Platform",
		"How to position the product, qualify a buyer and register the deal.",
		("Positioning", "Qualifying a buyer", "Registering the deal"),
		12,
	),
	(
		"Technical Foundations",
		"Installing, configuring and supporting a customer's first deployment.",
		("Installation", "Configuration", "Support"),
		24,
	),
	("Partner Onboarding", "The programme, its portal and its rules.", ("The programme", "The portal"), 0),
)


def selling(demo):
	return [p for p in demo.partners if p.status == partner_status.ACTIVE]


def module(demo, title: str, summary: str, lessons: tuple, validity: int) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Training Module",
			"title": f"{title} (Demo)",
			"summary": summary,
			"published": 1,
			"passing_score": 70,
			"attempts_allowed": 3,
			"validity_months": validity,
			"lessons": [
				{"title": lesson, "content": f"<p>{lesson}: what a partner needs to know.</p>"}
				for lesson in lessons
			],
			"questions": [
				{
					"question": f"Which is true of {lessons[0].lower()}?",
					"question_type": "Single Choice",
					"points": 1,
				},
				{"question": "Which of these apply?", "question_type": "Multiple Choice", "points": 1},
			],
			"options": [
				{"question_no": 1, "option": "What the lesson says", "is_correct": 1},
				{"question_no": 1, "option": "The opposite", "is_correct": 0},
				{"question_no": 2, "option": "The first rule", "is_correct": 1},
				{"question_no": 2, "option": "The second rule", "is_correct": 1},
				{"question_no": 2, "option": "Neither", "is_correct": 0},
			],
		}
	)
	doc.insert(ignore_permissions=True)
	demo.record("Training Module", doc.name)
	return doc.name


def certifications(demo) -> None:
	"""Three modules; the people of the bigger partners certified (some lapsed, one revoked)."""
	modules = [module(demo, *spec) for spec in MODULES]
	made = 0
	for partner in selling(demo)[:12]:
		for n, user in enumerate(partner.users):
			for m, name in enumerate(modules):
				if (partner.index + n + m) % 3 == 2:
					continue  # not everyone took everything
				lapsed = partner.index % 2 == 1 and n == 0 and m == 0
				certified = days_ago(demo.rng.randint(400, 600) if lapsed else demo.rng.randint(10, 300))
				validity = MODULES[m][3]
				expires = add_months(certified, validity) if validity else None
				doc = frappe.get_doc(
					{
						"doctype": "Partner Certification",
						"partner": partner.name,
						"user": user,
						"module": name,
						"status": "Expired" if lapsed else "Active",
						"score": demo.rng.choice((80, 90, 100)),
						"certified_on": certified,
						"expires_on": expires,
					}
				)
				if partner.index == 3 and n == 0 and m == 1:
					doc.status, doc.revoked_reason = "Revoked", "Shared the exam answers."
				doc.insert(ignore_permissions=True)
				demo.record("Partner Certification", doc.name)
				made += 1
	demo.echo(f"  {len(modules)} training modules, {made} certifications")


def lead_offers(demo) -> None:
	"""Leads offered to the partners as the channel team offers them; the partners' users accept
	most and decline some, a few wait for an answer."""
	from prm_app.integrations.lead_distribution import make_offer

	made = 0
	for partner in selling(demo)[:10]:
		for turn in range(4):
			lead = frappe.get_doc(
				{
					"doctype": "Lead",
					"lead_name": f"Dana Prospect {partner.index}-{turn}",
					"company_name": f"Prospect {partner.index}-{turn} Holdings",
					"email_id": f"dana.{partner.index}.{turn}@prospect-{partner.index}-{turn}.example.com",
					"territory": partner.region,
				}
			).insert(ignore_permissions=True)
			demo.record("Lead", lead.name)
			offer = make_offer(lead.name, partner.name, hours=72)
			demo.record("Lead Offer", offer.name)
			answer = ("Accepted", "Accepted", "Declined", None)[(partner.index + turn) % 4]
			if answer:
				frappe.set_user(partner.admin)
				try:
					if answer == "Accepted":
						offer.accept()
					else:
						offer.decline("Outside the regions we cover.")
				finally:
					frappe.set_user("Administrator")
				offered = now_datetime() - timedelta(days=demo.rng.randint(5, 80))
				frappe.db.set_value(  # spread over the last months
					"Lead Offer",
					offer.name,
					{
						"offered_on": offered,
						"responded_on": offered + timedelta(hours=demo.rng.randint(1, 40)),
					},
					update_modified=False,
				)
			made += 1
	demo.echo(f"  {made} lead offers")


def move(doc, status: str):
	return move_through_workflow(frappe.get_doc(doc.doctype, doc.name), status, MDF_REQUEST_STATUSES)


def mdf(demo) -> None:
	"""This quarter's MDF budget for the top partners, with requests: approved, waiting for the
	channel team, and a draft."""
	made = 0
	for partner in selling(demo)[:6]:
		budget = frappe.new_doc("MDF Budget")
		budget.update(
			{
				"partner": partner.name,
				"company": demo.company,
				"period_type": "Quarter",
				"period_start": today(),
				"allocated_amount": demo.rng.choice((10_000, 15_000, 20_000)),
			}
		)
		budget.computed_amount = budget.allocated_amount
		budget.flags.allocated = True  # as the allocation job makes it
		budget.insert(ignore_permissions=True)
		demo.record("MDF Budget", budget.name)
		for turn, (activity, target) in enumerate(
			(("Webinar", "Approved"), ("Trade Show", "Submitted"), ("Digital Campaign", "Draft"))
		):
			if turn >= 1 + partner.index % 3:
				break
			start = add_days(today(), 14 + 7 * turn)
			request = frappe.get_doc(
				{
					"doctype": MDF_REQUEST,
					"partner": partner.name,
					"budget": budget.name,
					"activity_type": activity,
					"title": f"{activity} with {frappe.db.get_value('Partner', partner.name, 'partner_name')}",
					"start_date": start,
					"end_date": add_days(start, 1),
					"description": f"A {activity.lower()} for the partner's prospects.",
					"planned_cost": 6_000,
					"requested_amount": 2_500,
					"expected_leads": 25,
				}
			).insert(ignore_permissions=True)
			demo.record(MDF_REQUEST, request.name)
			if target != "Draft":
				move(request, "Submitted")
			if target == "Approved":
				move(request, "Approved")
				campaign = frappe.db.get_value(MDF_REQUEST, request.name, "campaign")
				if campaign:  # approval made its ERPNext Campaign
					demo.record("Campaign", campaign)
			made += 1
	demo.echo(f"  {made} MDF requests")
