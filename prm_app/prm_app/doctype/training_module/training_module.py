# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from prm_app.constants import TRAINING_MODULE
from prm_app.exceptions import InvalidQuizError, TrainingError
from prm_app.integrations.training import options_by_question, quiz_of


class TrainingModule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.training_lesson.training_lesson import TrainingLesson
		from prm_app.prm_app.doctype.training_module_partner_type.training_module_partner_type import (
			TrainingModulePartnerType,
		)
		from prm_app.prm_app.doctype.training_module_prerequisite.training_module_prerequisite import (
			TrainingModulePrerequisite,
		)
		from prm_app.prm_app.doctype.training_question.training_question import TrainingQuestion
		from prm_app.prm_app.doctype.training_question_option.training_question_option import (
			TrainingQuestionOption,
		)

		attempts_allowed: DF.Int
		certification_name: DF.Data | None
		for_partner_admins: DF.Check
		for_partner_users: DF.Check
		lessons: DF.Table[TrainingLesson]
		mandatory_for_onboarding: DF.Check
		min_tier: DF.Link | None
		options: DF.Table[TrainingQuestionOption]
		partner_types: DF.TableMultiSelect[TrainingModulePartnerType]
		passing_score: DF.Percent
		prerequisites: DF.TableMultiSelect[TrainingModulePrerequisite]
		published: DF.Check
		questions: DF.Table[TrainingQuestion]
		summary: DF.SmallText | None
		title: DF.Data
		validity_months: DF.Int
	# end: auto-generated types

	def before_validate(self):
		self.title = (self.title or "").strip()
		if not self.certification_name:
			self.certification_name = self.title

	def validate(self):
		self.validate_numbers()
		self.validate_prerequisites()
		self.validate_quiz()
		self.validate_lessons()

	def validate_numbers(self):
		if not 0 < flt(self.passing_score) <= 100:
			frappe.throw(
				_("The passing score must be above 0 and at most 100%, not {0}.").format(self.passing_score),
				TrainingError,
				title=_("Invalid Passing Score"),
			)
		for fieldname in ("attempts_allowed", "validity_months"):
			if cint(self.get(fieldname)) < 0:
				frappe.throw(
					_("{0} cannot be negative.").format(_(self.meta.get_label(fieldname))),
					TrainingError,
					title=_("Invalid Number"),
				)

	def validate_prerequisites(self):
		for row in self.prerequisites:
			if row.module == self.name:
				frappe.throw(
					_("A module cannot be its own prerequisite."),
					TrainingError,
					title=_("Invalid Prerequisite"),
				)

	def validate_quiz(self):
		"""Every option names a question; each question can be graded (a published module needs one)."""
		count = len(self.questions)
		for row in self.options:
			if not 1 <= cint(row.question_no) <= count:
				frappe.throw(
					_("Option row {0} ({1}) names question {2}, but the quiz has questions 1 to {3}.").format(
						row.idx, frappe.bold(row.option), row.question_no, count
					),
					InvalidQuizError,
					title=_("Invalid Quiz"),
				)
		messages = {
			"type": _("Question {0}: choose Single Choice or Multiple Choice."),
			"points": _("Question {0}: give it more than 0 points."),
			"options": _("Question {0}: give it at least two options."),
			"no_correct": _("Question {0}: tick at least one correct option."),
			"single_many": _("Question {0} is single choice: tick exactly one correct option."),
		}
		from prm_app.engine.training import quiz_problems

		problems = quiz_problems(quiz_of(self))
		if problems:
			frappe.throw(
				"<br>".join(messages[problem].format(number) for number, problem in problems),
				InvalidQuizError,
				title=_("Invalid Quiz"),
			)
		if self.published and not self.questions:
			frappe.throw(
				_("A published module needs a quiz: add at least one question with its options."),
				InvalidQuizError,
				title=_("Invalid Quiz"),
			)
		lessons = len(self.lessons)
		for number, row in enumerate(self.questions, start=1):
			if cint(row.revisit_lesson) and not 1 <= cint(row.revisit_lesson) <= lessons:
				frappe.throw(
					_("Question {0}: there is no lesson {1} to revisit (the module has {2}).").format(
						number, row.revisit_lesson, lessons
					),
					InvalidQuizError,
					title=_("Invalid Quiz"),
				)

	def validate_lessons(self):
		for row in self.lessons:
			url = (row.video_url or "").strip()
			if url and not url.startswith(("https://", "http://")):
				frappe.throw(
					_("Lesson {0}: the video link must start with https://.").format(row.idx),
					TrainingError,
					title=_("Invalid Video Link"),
				)
			if row.attachment and row.attachment.startswith("/private/"):
				frappe.throw(
					_(
						"Lesson {0}: partners cannot download private files. Attach the course material as a public file."
					).format(row.idx),
					TrainingError,
					title=_("Private Attachment"),
				)

	def options_of(self, number: int) -> list:
		return options_by_question(self).get(number, [])


def published_modules() -> list[str]:
	return frappe.get_all(TRAINING_MODULE, filters={"published": 1}, pluck="name", order_by="title asc")
