# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe

from prm_app.exceptions import AttemptLimitError, AttemptLockedError, ModuleNotAvailableError
from prm_app.tests.utils import (
	RIGHT_ANSWERS,
	TEST_IGNORE,
	WRONG_ANSWERS,
	PRMTestCase,
	make_tier,
	make_training_module,
	take_quiz,
)

test_ignore = TEST_IGNORE


class TestTrainingAttempt(PRMTestCase):
	def setUp(self):
		super().setUp()
		self.module = make_training_module(attempts_allowed=2, passing_score=75)

	def test_grading_happens_on_the_server(self):
		failed = take_quiz(self.module.name, self.user_a, self.partner_a.name, {1: [2], 2: [1]})
		self.assertEqual((failed.status, failed.score, failed.attempt_no), ("Failed", 50.0, 1))
		self.assertEqual([row.correct for row in failed.answers], [1, 0])
		self.assertEqual(failed.answers[0].chosen, "Blue")
		passed = take_quiz(self.module.name, self.user_a, self.partner_a.name, RIGHT_ANSWERS)
		self.assertEqual((passed.status, passed.score, passed.attempt_no), ("Passed", 100.0, 2))
		self.assertTrue(
			frappe.db.exists("Partner Certification", {"attempt": passed.name, "status": "Active"})
		)
		self.assertFalse(frappe.db.exists("Partner Certification", {"attempt": failed.name}))

	def test_attempts_beyond_the_limit_are_refused(self):
		take_quiz(self.module.name, self.user_a, self.partner_a.name, WRONG_ANSWERS)
		take_quiz(self.module.name, self.user_a, self.partner_a.name, WRONG_ANSWERS)
		with self.assertRaises(AttemptLimitError) as raised:
			take_quiz(self.module.name, self.user_a, self.partner_a.name, RIGHT_ANSWERS)
		self.assertIn("all 2 attempts", str(raised.exception))
		self.assertEqual(frappe.db.count("Training Attempt", {"module": self.module.name}), 2)
		# another person has their own attempts
		self.assertEqual(take_quiz(self.module.name, self.user_b, self.partner_b.name).status, "Passed")

	def test_a_finished_attempt_cannot_be_changed(self):
		attempt = take_quiz(self.module.name, self.user_a, self.partner_a.name, RIGHT_ANSWERS)
		attempt.score = 10
		with self.assertRaises(AttemptLockedError):
			attempt.save(ignore_permissions=True)
		failed = take_quiz(self.module.name, self.user_b, self.partner_b.name, WRONG_ANSWERS)
		failed.status = "Passed"
		with self.assertRaises(AttemptLockedError):
			failed.save(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("Training Attempt", failed.name, "status"), "Failed")

	def test_an_attempt_is_never_made_with_a_score_from_outside(self):
		doc = frappe.get_doc(
			{
				"doctype": "Training Attempt",
				"user": self.user_a,
				"partner": self.partner_a.name,
				"module": self.module.name,
				"status": "Passed",
				"score": 100,
			}
		)
		with self.assertRaises(frappe.PermissionError):
			doc.insert(ignore_permissions=True)

	def test_unpublished_prerequisites_and_audience(self):
		self.module.db_set("published", 0)
		with self.assertRaises(ModuleNotAvailableError):
			take_quiz(self.module.name, self.user_a, self.partner_a.name)
		self.module.db_set("published", 1)
		advanced = make_training_module(prerequisites=[{"module": self.module.name}])
		with self.assertRaises(ModuleNotAvailableError) as raised:
			take_quiz(advanced.name, self.user_a, self.partner_a.name)
		self.assertIn(self.module.title, str(raised.exception))
		take_quiz(self.module.name, self.user_a, self.partner_a.name)
		self.assertEqual(take_quiz(advanced.name, self.user_a, self.partner_a.name).status, "Passed")
		# for admins only: partner B's user is a Partner User
		admins_only = make_training_module(for_partner_users=0)
		with self.assertRaises(ModuleNotAvailableError):
			take_quiz(admins_only.name, self.user_b, self.partner_b.name)
		self.assertEqual(take_quiz(admins_only.name, self.user_a, self.partner_a.name).status, "Passed")
		# a tier above partner B's
		top = make_tier()
		gold_only = make_training_module(min_tier=top.name)
		with self.assertRaises(ModuleNotAvailableError):
			take_quiz(gold_only.name, self.user_b, self.partner_b.name)
