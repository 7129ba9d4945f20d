# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe

from prm_app.exceptions import InvalidQuizError, TrainingError
from prm_app.integrations.training import quiz_of
from prm_app.tests.utils import TEST_IGNORE, PRMTestCase, make_training_module

test_ignore = TEST_IGNORE


class TestTrainingModule(PRMTestCase):
	def test_a_module_with_a_quiz_is_saved_with_its_key(self):
		module = make_training_module()
		self.assertEqual(module.certification_name, module.title)
		quiz = quiz_of(module)
		self.assertEqual([q.correct for q in quiz], [frozenset({2}), frozenset({1, 3})])
		self.assertEqual([q.options for q in quiz], [(1, 2, 3), (1, 2, 3)])

	def test_a_quiz_that_cannot_be_graded_is_refused_with_the_question_named(self):
		cases = [
			([("Q", "Single Choice", 1, [("a", 1)], 0)], "at least two options"),
			([("Q", "Single Choice", 1, [("a", 0), ("b", 0)], 0)], "tick at least one correct"),
			([("Q", "Single Choice", 1, [("a", 1), ("b", 1)], 0)], "exactly one correct"),
			([("Q", "Multiple Choice", 0, [("a", 1), ("b", 1)], 0)], "more than 0 points"),
			([("Q", "Single Choice", 1, [("a", 1), ("b", 0)], 7)], "no lesson 7"),
		]
		for questions, message in cases:
			with self.assertRaises(InvalidQuizError) as raised:
				make_training_module(questions=questions)
			self.assertIn(message, str(raised.exception))
			self.assertIn("Question 1", str(raised.exception))
			frappe.clear_messages()

	def test_an_option_of_a_missing_question_is_refused(self):
		module = make_training_module()
		module.append("options", {"question_no": 9, "option": "Stray", "is_correct": 1})
		with self.assertRaises(InvalidQuizError) as raised:
			module.save()
		self.assertIn("names question 9", str(raised.exception))

	def test_a_published_module_needs_a_quiz(self):
		with self.assertRaises(InvalidQuizError):
			frappe.get_doc({"doctype": "Training Module", "title": "No Quiz", "published": 1}).insert()
		draft = frappe.get_doc(
			{"doctype": "Training Module", "title": "No Quiz Yet", "published": 0}
		).insert()
		self.assertTrue(draft.name)

	def test_numbers_links_and_files(self):
		for values, error in (
			({"passing_score": 0}, "passing score"),
			({"passing_score": 101}, "passing score"),
			({"attempts_allowed": -1}, "cannot be negative"),
			({"validity_months": -2}, "cannot be negative"),
		):
			with self.assertRaises(TrainingError) as raised:
				make_training_module(**values)
			self.assertIn(error, str(raised.exception))
		module = make_training_module()
		module.lessons[0].attachment = "/private/files/secret.pdf"
		with self.assertRaises(TrainingError) as raised:
			module.save()
		self.assertIn("public file", str(raised.exception))
		module.reload()
		module.lessons[0].video_url = "javascript:alert(1)"
		with self.assertRaises(TrainingError):
			module.save()
		module.reload()
		module.append("prerequisites", {"module": module.name})
		with self.assertRaises(TrainingError):
			module.save()
