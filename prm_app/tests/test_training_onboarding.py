"""Onboarding training: a Partner moves from Onboarding to Active only when its users passed the
mandatory modules meant for them (PRM Settings decides); the Partner form shows the progress."""

import frappe

from prm_app.exceptions import OnboardingTrainingError
from prm_app.tests.utils import (
	TEST_IGNORE,
	PRMTestCase,
	make_partner,
	make_training_module,
	make_user,
	set_settings,
	take_quiz,
)

test_ignore = TEST_IGNORE


class TestOnboardingTraining(PRMTestCase):
	def setUp(self):
		super().setUp()
		set_settings(require_onboarding_training=1)
		# other mandatory modules on the site would count too: these tests own the only ones
		self.others = frappe.get_all("Training Module", filters={"mandatory_for_onboarding": 1}, pluck="name")
		for name in self.others:
			frappe.db.set_value("Training Module", name, "mandatory_for_onboarding", 0)
		self.basics = make_training_module(
			title="Basics " + frappe.generate_hash(length=6), mandatory_for_onboarding=1
		)
		self.admin_course = make_training_module(
			title="Admin Course " + frappe.generate_hash(length=6),
			mandatory_for_onboarding=1,
			for_partner_users=0,
		)
		self.admin = make_user().name
		self.seller = make_user().name
		self.partner = make_partner(
			users=[(self.admin, "Partner Admin"), (self.seller, "Partner User")], status="Onboarding"
		)

	def activate(self):
		doc = frappe.get_doc("Partner", self.partner.name)
		doc.status = "Active"
		doc.save()
		return doc

	def test_activation_names_what_is_missing(self):
		with self.assertRaises(OnboardingTrainingError) as raised:
			self.activate()
		message = str(raised.exception)
		self.assertIn(self.basics.title, message)
		self.assertIn(self.admin_course.title, message)
		self.assertEqual(frappe.db.get_value("Partner", self.partner.name, "status"), "Onboarding")
		take_quiz(self.basics.name, self.admin, self.partner.name)
		take_quiz(self.admin_course.name, self.admin, self.partner.name)
		frappe.clear_messages()
		with self.assertRaises(OnboardingTrainingError) as raised:
			self.activate()
		message = str(raised.exception)
		self.assertIn(self.basics.title, message)  # the seller's
		self.assertNotIn(self.admin_course.title, message)  # for admins only
		take_quiz(self.basics.name, self.seller, self.partner.name)
		self.assertEqual(self.activate().status, "Active")

	def test_the_setting_lets_partners_activate_without_training(self):
		set_settings(require_onboarding_training=0)
		self.assertEqual(self.activate().status, "Active")

	def test_the_partner_form_shows_the_progress(self):
		take_quiz(self.basics.name, self.admin, self.partner.name)
		doc = frappe.get_doc("Partner", self.partner.name)
		doc.run_method("onload")
		progress = {row["user"]: row for row in doc.get_onload().onboarding_training}
		self.assertEqual(progress[self.admin]["passed"], [self.basics.title])
		self.assertEqual(progress[self.admin]["missing"], [self.admin_course.title])
		self.assertEqual(progress[self.seller]["missing"], [self.basics.title])
