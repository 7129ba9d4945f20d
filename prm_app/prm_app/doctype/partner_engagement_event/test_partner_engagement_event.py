# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe

from prm_app import engagement
from prm_app.constants import (
	EVENT_ASSET_DOWNLOADED,
	EVENT_LEAD_ANSWERED,
	EVENT_REGISTRATION_SUBMITTED,
	EVENT_SIGN_IN,
	EVENT_TRAINING_ATTEMPT,
	EVENT_TRAINING_PASSED,
)
from prm_app.exceptions import EngagementEventError
from prm_app.tests.utils import (
	TEST_IGNORE,
	WRONG_ANSWERS,
	PRMTestCase,
	make_asset,
	make_lead_offer,
	make_registration,
	make_training_module,
	make_user,
	take_quiz,
	unique,
	workflow,
)

test_ignore = TEST_IGNORE


def events(partner, event_type=None):
	filters = {"partner": partner}
	if event_type:
		filters["event_type"] = event_type
	return frappe.get_all(
		"Partner Engagement Event",
		filters=filters,
		fields=["name", "event_type", "user", "reference_doctype", "reference_name"],
	)


class TestPartnerEngagementEvent(PRMTestCase):
	def test_record_and_a_new_type_is_made_with_one_point(self):
		kind = unique("Webinar Attended")
		name = engagement.record(self.partner_a.name, kind, "Partner", self.partner_a.name, user=self.user_a)
		doc = frappe.get_doc("Partner Engagement Event", name)
		self.assertEqual((doc.partner, doc.event_type, doc.user), (self.partner_a.name, kind, self.user_a))
		self.assertTrue(doc.timestamp)
		self.assertEqual(frappe.db.get_value("Partner Engagement Event Type", kind, "points"), 1)

	def test_bad_events_are_refused_and_nothing_is_written(self):
		before = frappe.db.count("Partner Engagement Event")
		for args, kwargs in (
			(("", EVENT_SIGN_IN), {}),
			((self.partner_a.name, ""), {}),
			((self.partner_a.name, "x" * 141), {}),
			(("No Such Partner", EVENT_SIGN_IN), {}),
			((self.partner_a.name, EVENT_SIGN_IN), {"reference_doctype": "Partner"}),
		):
			with self.assertRaises(EngagementEventError, msg=(args, kwargs)):
				engagement.record(*args, **kwargs)
			frappe.clear_messages()
		self.assertEqual(frappe.db.count("Partner Engagement Event"), before)

	def test_events_are_append_only(self):
		doc = frappe.get_doc(
			"Partner Engagement Event", engagement.record(self.partner_a.name, EVENT_SIGN_IN)
		)
		doc.event_type = EVENT_REGISTRATION_SUBMITTED
		with self.assertRaises(EngagementEventError):
			doc.save(ignore_permissions=True)
		frappe.clear_messages()
		self.assertEqual(
			frappe.db.get_value("Partner Engagement Event", doc.name, "event_type"), EVENT_SIGN_IN
		)

	def test_a_partner_users_submission_is_engagement_the_channel_teams_is_not(self):
		mine = make_registration(self.partner_a.name)
		self.submit(mine, user=self.user_a)
		recorded = events(self.partner_a.name, EVENT_REGISTRATION_SUBMITTED)
		self.assertEqual(
			[(e.user, e.reference_doctype, e.reference_name) for e in recorded],
			[(self.user_a, "Deal Registration", mine.name)],
		)
		staff = make_registration(self.partner_b.name)
		self.submit(staff)  # as Administrator
		self.assertEqual(events(self.partner_b.name, EVENT_REGISTRATION_SUBMITTED), [])

	def test_training_leads_and_assets_are_engagement(self):
		from prm_app.api import assets, leads

		module = make_training_module().name
		take_quiz(module, self.user_a, self.partner_a.name, WRONG_ANSWERS)
		take_quiz(module, self.user_a, self.partner_a.name)
		attempts = set(frappe.get_all("Training Attempt", filters={"module": module}, pluck="name"))
		self.assertEqual(
			sorted(e.event_type for e in events(self.partner_a.name) if e.reference_name in attempts),
			sorted([EVENT_TRAINING_ATTEMPT] * 2 + [EVENT_TRAINING_PASSED]),
		)
		taken, refused, withdrawn = (make_lead_offer(self.partner_b.name) for _n in range(3))
		asset = make_asset()
		frappe.set_user(self.user_b)
		leads.accept_lead(taken.name)
		leads.decline_lead(refused.name, reason="Not our region")
		assets.download_asset(asset.name)
		frappe.set_user("Administrator")
		frappe.get_doc("Lead Offer", withdrawn.name).withdraw()  # the channel team's, not engagement
		mine = {
			taken.name,
			refused.name,
			withdrawn.name,
			*frappe.get_all("Partner Asset Download", pluck="name"),
		}
		recorded = [e for e in events(self.partner_b.name) if e.reference_name in mine]
		self.assertEqual(
			sorted((e.event_type, e.reference_name) for e in recorded),
			sorted(
				[
					(EVENT_LEAD_ANSWERED, taken.name),
					(EVENT_LEAD_ANSWERED, refused.name),
					(
						EVENT_ASSET_DOWNLOADED,
						frappe.db.get_value("Partner Asset Download", {"asset": asset.name}),
					),
				]
			),
		)
		self.assertEqual({e.user for e in recorded}, {self.user_b})

	def test_sign_in_hook(self):
		engagement.on_session_creation(frappe._dict(user=self.user_b))
		self.assertEqual([e.user for e in events(self.partner_b.name, EVENT_SIGN_IN)], [self.user_b])
		staff = make_user(website_user=False, roles=("Partner Manager",)).name
		before = frappe.db.count("Partner Engagement Event")
		engagement.on_session_creation(frappe._dict(user=staff))
		engagement.on_session_creation(frappe._dict(user="Guest"))
		self.assertEqual(frappe.db.count("Partner Engagement Event"), before)

	def test_a_failing_record_never_breaks_the_sign_in(self):
		frappe.db.set_value("Partner User", {"user": self.user_b}, "parent", "No Such Partner")
		frappe.clear_cache(user=self.user_b)
		before = frappe.db.count("Partner Engagement Event")
		try:
			engagement.on_session_creation(frappe._dict(user=self.user_b))  # logged, not raised
		finally:
			frappe.db.set_value("Partner User", {"user": self.user_b}, "parent", self.partner_b.name)
		frappe.clear_messages()
		self.assertEqual(frappe.db.count("Partner Engagement Event"), before)

	def test_deleting_a_partner_takes_its_events_and_a_user_is_never_blocked(self):
		from prm_app.tests.utils import make_active_partner

		former = make_user().name  # a user who has left the partner, with events on record
		partner = make_active_partner().name
		engagement.record(partner, EVENT_SIGN_IN, user=former)
		frappe.delete_doc("User", former, ignore_permissions=True)  # no link error
		self.assertEqual(len(events(partner)), 1)
		frappe.delete_doc("Partner", partner, ignore_permissions=True)
		self.assertEqual(events(partner), [])
