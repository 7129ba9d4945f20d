"""Training on the portal (``/partner/training``): the modules a person may take, a module's
lessons and quiz, grading on the server, results, certificates.

Every method starts from the caller's own partner (``current_partner``). Partners have no rights
on the training doctypes; what they see is read here for their own user and partner only, and a
module's answer key never leaves the server (``prm_app.portal.training`` builds the views).
"""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Max

from prm_app.constants import (
	ATTEMPT_PASSED,
	CERT_ACTIVE,
	PARTNER_CERTIFICATION,
	TRAINING_ATTEMPT,
	TRAINING_MODULE,
)
from prm_app.engine import training as rules
from prm_app.integrations import training
from prm_app.permissions import current_partner, is_partner_admin
from prm_app.portal import metrics
from prm_app.portal.text import text
from prm_app.portal.training import lesson_view, parse_answers, quiz_view
from prm_app.prm_app.doctype.training_attempt.training_attempt import record_attempt
from prm_app.queries import param, prepared

CERT_FIELDS = (
	"name",
	"user",
	"full_name",
	"certification_name",
	"module",
	"status",
	"score",
	"certified_on",
	"expires_on",
)


def not_found():
	frappe.throw(_("This training module does not exist or is not available to you."), frappe.PermissionError)


def attempt_stats(user: str) -> dict[str, frappe._dict]:
	"""module -> (attempts, best score, passed) of ``user``, in one grouped query."""
	attempt = frappe.qb.DocType(TRAINING_ATTEMPT)
	rows = (
		frappe.qb.from_(attempt)
		.select(
			attempt.module,
			Count(attempt.name).as_("used"),
			Max(attempt.score).as_("best"),
			Max(Case().when(attempt.status == ATTEMPT_PASSED, 1).else_(0)).as_("passed"),
		)
		.where(attempt.user == user)
		.groupby(attempt.module)
	).run(as_dict=True)
	return {row.module: row for row in rows}


@prepared
def published_modules():
	module = frappe.qb.DocType(TRAINING_MODULE)
	return frappe.qb.from_(module).select(module.name).where(module.published == 1).orderby(module.title)


def certifications_query(for_user: bool):
	certification = frappe.qb.DocType(PARTNER_CERTIFICATION)
	query = (
		frappe.qb.from_(certification)
		.select(*(certification[field] for field in CERT_FIELDS))
		.where(certification.partner == param("partner"))
		.orderby(certification.status)
		.orderby(certification.expires_on)
	)
	return query.where(certification.user == param("user")) if for_user else query


@prepared
def team_certifications():
	return certifications_query(for_user=False)


@prepared
def own_certifications():
	return certifications_query(for_user=True)


def certifications_of(partner: str, user: str | None = None) -> list[dict]:
	if user:
		rows = own_certifications(partner=partner, user=user)
	else:
		rows = team_certifications(partner=partner)
	return [
		{
			**row,
			"full_name": text(row.full_name or row.user),
			"certification_name": text(row.certification_name),
		}
		for row in rows
	]


def module_for(name, partner: str, user: str):
	"""The published module ``name`` when it is meant for ``user``; PermissionError otherwise."""
	if (
		not isinstance(name, str)
		or not name
		or not frappe.db.exists(TRAINING_MODULE, {"name": name, "published": 1})
	):
		not_found()
	module = frappe.get_doc(TRAINING_MODULE, name)
	taker = training.taker(partner, user)
	if not rules.is_for(training.audience_of(module), taker):
		not_found()
	return module, taker


@frappe.whitelist()
def get_training() -> dict:
	"""The modules the caller may take, with progress and attempts left; the caller's certificates;
	for a Partner Admin the team's too; and what the coming lapses cost."""
	partner = current_partner()
	user = frappe.session.user
	stats = attempt_stats(user)
	taker = training.taker(partner, user, passed={module for module, row in stats.items() if row.passed})
	modules = []
	for (name,) in published_modules(as_list=True):
		module = frappe.get_cached_doc(TRAINING_MODULE, name)
		if not rules.is_for(training.audience_of(module), taker):
			continue
		blockers = rules.blockers(training.audience_of(module), training.prerequisites_of(module), taker)
		used = int(stats[name].used) if name in stats else 0
		modules.append(
			{
				"name": name,
				"title": text(module.title),
				"summary": text(module.summary or ""),
				"mandatory": bool(module.mandatory_for_onboarding),
				"lessons": len(module.lessons),
				"questions": len(module.questions),
				"passing_score": module.passing_score,
				"passed": name in taker.passed,
				"best_score": stats[name].best if name in stats else None,
				"attempts_used": used,
				"attempts_left": rules.attempts_left(module.attempts_allowed, used),
				"blocked_by": training.describe_blockers(blockers),
				"validity_months": module.validity_months,
			}
		)
	admin = is_partner_admin(partner)
	# a Partner Admin sees the team's certifications, their own among them: one query either way
	team = certifications_of(partner, None if admin else user)
	return {
		"modules": modules,
		"certificates": [row for row in team if row["user"] == user],
		"team": team if admin else None,
		"lapse_warning": training.lapse_message(metrics.lapse_forecast(partner)),
	}


@frappe.whitelist()
def get_module(name) -> dict:
	"""A module as the caller may see it: lessons, the quiz without its key, own attempts."""
	partner = current_partner()
	user = frappe.session.user
	module, taker = module_for(name, partner, user)
	blockers = rules.blockers(training.audience_of(module), training.prerequisites_of(module), taker)
	attempts = frappe.get_all(
		TRAINING_ATTEMPT,
		filters={"user": user, "module": module.name},
		fields=["name", "attempt_no", "status", "score", "finished_on"],
		order_by="creation desc",
	)
	left = rules.attempts_left(module.attempts_allowed, len(attempts))
	certificate = frappe.db.get_value(
		PARTNER_CERTIFICATION,
		{"user": user, "module": module.name, "partner": partner},
		["name", "status", "expires_on"],
		as_dict=True,
		order_by="modified desc",
	)
	return {
		"name": module.name,
		"title": text(module.title),
		"summary": text(module.summary or ""),
		"passing_score": module.passing_score,
		"attempts_allowed": module.attempts_allowed,
		"attempts_left": left,
		"lessons": lesson_view(module),
		"questions": quiz_view(module) if not blockers and left != 0 else [],
		"blocked_by": training.describe_blockers(blockers),
		"can_take": not blockers and left != 0,
		"passed": module.name in taker.passed,
		"attempts": attempts,
		"certificate": certificate,
	}


@frappe.whitelist(methods=["POST"])
def submit_quiz(module, answers=None, started_on=None) -> dict:
	"""Grade the caller's answers ({question number: [option numbers]}) on the server and record
	the attempt; a pass grants (or renews) the module's certification."""
	partner = current_partner()
	user = frappe.session.user
	module_doc, _taker = module_for(module, partner, user)
	attempt = record_attempt(module_doc.name, user, partner, parse_answers(answers), started_on)
	return get_attempt(attempt.name)


@frappe.whitelist()
def get_attempt(name) -> dict:
	"""The result of one of the caller's own attempts: score, and what to revisit on a failure."""
	partner = current_partner()
	user = frappe.session.user
	denied = _("This attempt does not exist or is not yours.")
	if not isinstance(name, str) or not frappe.db.exists(TRAINING_ATTEMPT, name):
		frappe.throw(denied, frappe.PermissionError)
	attempt = frappe.get_doc(TRAINING_ATTEMPT, name)
	if attempt.partner != partner or attempt.user != user:
		frappe.throw(denied, frappe.PermissionError)
	module = frappe.get_doc(TRAINING_MODULE, attempt.module)
	lessons = {number: row.title for number, row in enumerate(module.lessons, start=1)}
	revisit = {number: row.revisit_lesson for number, row in enumerate(module.questions, start=1)}
	missed = [
		{
			"number": row.question_no,
			"question": text(row.question),
			"lesson": revisit.get(row.question_no) or None,
			"lesson_title": text(lessons.get(revisit.get(row.question_no))),
		}
		for row in attempt.answers
		if not row.correct
	]
	certificate = (
		frappe.db.get_value(
			PARTNER_CERTIFICATION, {"attempt": attempt.name}, ["name", "expires_on"], as_dict=True
		)
		if attempt.status == ATTEMPT_PASSED
		else None
	)
	return {
		"name": attempt.name,
		"module": attempt.module,
		"module_title": text(module.title),
		"status": attempt.status,
		"passed": attempt.status == ATTEMPT_PASSED,
		"score": attempt.score,
		"passing_score": module.passing_score,
		"attempt_no": attempt.attempt_no,
		"missed": missed,
		"certificate": certificate,
	}


@frappe.whitelist()
def get_certificate(name) -> dict:
	"""A certificate of the caller's own partner (any of its people), for printing."""
	partner = current_partner()
	denied = _("This certificate does not exist or belongs to another partner.")
	if not isinstance(name, str) or not frappe.db.exists(PARTNER_CERTIFICATION, name):
		frappe.throw(denied, frappe.PermissionError)
	row = frappe.db.get_value(PARTNER_CERTIFICATION, name, [*CERT_FIELDS, "partner"], as_dict=True)
	if row.partner != partner:
		frappe.throw(denied, frappe.PermissionError)
	return {
		**row,
		"full_name": text(row.full_name or row.user),
		"certification_name": text(row.certification_name),
		"module_title": text(frappe.db.get_value(TRAINING_MODULE, row.module, "title")),
		"partner_name": text(frappe.db.get_value("Partner", partner, "partner_name")),
		"active": row.status == CERT_ACTIVE,
	}
