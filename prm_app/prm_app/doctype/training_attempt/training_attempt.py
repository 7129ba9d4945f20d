# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A person's attempt at a module's quiz, graded on the server when it is recorded.

An attempt is made only by ``record_attempt`` (the portal calls it for the signed-in user after
the identity check): the score comes from the stored answer key and the answers given, never from
the request. A recorded attempt is final: no one edits it afterwards.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from prm_app.constants import ATTEMPT_FAILED, ATTEMPT_PASSED, TRAINING_ATTEMPT, TRAINING_MODULE
from prm_app.engine import training as rules
from prm_app.exceptions import AttemptLimitError, AttemptLockedError, ModuleNotAvailableError
from prm_app.integrations import training


class TrainingAttempt(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.training_attempt_answer.training_attempt_answer import (
			TrainingAttemptAnswer,
		)

		answers: DF.Table[TrainingAttemptAnswer]
		attempt_no: DF.Int
		finished_on: DF.Datetime | None
		module: DF.Link
		partner: DF.Link
		points_awarded: DF.Float
		points_possible: DF.Float
		score: DF.Percent
		started_on: DF.Datetime | None
		status: DF.Literal["Passed", "Failed"]
		user: DF.Link
	# end: auto-generated types

	def before_insert(self):
		if not self.flags.graded_by_server:
			frappe.throw(
				_("Attempts are recorded when a quiz is taken on the partner portal."),
				frappe.PermissionError,
			)

	def validate(self):
		if not self.is_new():
			frappe.throw(
				_("Attempt {0} is finished; it cannot be changed.").format(self.name),
				AttemptLockedError,
				title=_("Attempt Finished"),
			)

	def after_insert(self):
		if self.status == ATTEMPT_PASSED:
			from prm_app.prm_app.doctype.partner_certification.partner_certification import certify

			certify(self)


def record_attempt(module_name: str, user: str, partner: str, answers: dict, started_on=None):
	"""Grade ``answers`` ({question number: [option numbers]}) against the module's stored key and
	record the attempt of ``user`` for ``partner``. The caller has established who they are."""
	frappe.db.get_value("User", user, "name", for_update=True)  # one attempt of a person at a time
	module = frappe.get_doc(TRAINING_MODULE, module_name)
	if not module.published:
		frappe.throw(_("This module is not available."), ModuleNotAvailableError, title=_("Not Available"))
	taker = training.taker(partner, user)
	blockers = rules.blockers(training.audience_of(module), training.prerequisites_of(module), taker)
	if blockers:
		frappe.throw(
			" ".join(training.describe_blockers(blockers)), ModuleNotAvailableError, title=_("Not Available")
		)
	used = training.attempts_used(user, module.name)
	if rules.attempts_left(module.attempts_allowed, used) == 0:
		frappe.throw(
			_("You have used all {0} attempts this module allows. Ask the channel team for another.").format(
				module.attempts_allowed
			),
			AttemptLimitError,
			title=_("No Attempts Left"),
		)
	questions = training.quiz_of(module)
	result = rules.grade(questions, answers, module.passing_score)
	now = now_datetime()
	started = clean_started(started_on, now)
	doc = frappe.get_doc(
		{
			"doctype": TRAINING_ATTEMPT,
			"user": user,
			"partner": partner,
			"module": module.name,
			"attempt_no": used + 1,
			"status": ATTEMPT_PASSED if result.passed else ATTEMPT_FAILED,
			"score": result.score,
			"points_awarded": result.awarded,
			"points_possible": result.possible,
			"started_on": started,
			"finished_on": now,
		}
	)
	for outcome, row in zip(result.outcomes, module.questions, strict=True):
		options = module.options_of(outcome.number)
		doc.append(
			"answers",
			{
				"question_no": outcome.number,
				"question": row.question,
				"chosen": "\n".join(options[i - 1].option for i in sorted(outcome.chosen)),
				"correct": outcome.correct,
				"points": outcome.points,
				"awarded": outcome.awarded,
			},
		)
	doc.flags.graded_by_server = True
	doc.insert(ignore_permissions=True)  # recorded for the caller's own partner, checked above
	return doc


def clean_started(value, now):
	"""When the person opened the quiz, as the page sent it; ``now`` when it is missing or not
	plausible (in the future, or more than a day ago)."""
	try:
		started = get_datetime(value) if value else None
	except (ValueError, TypeError, OverflowError):
		started = None
	if not started or started > now or (now - started).total_seconds() > 86400:
		return now
	return started
