"""Training data: a module's quiz for the grader, who a module is for, what people passed, the
onboarding check, certifications and what their lapses cost.

Read for the portal, the controllers and the daily jobs. Reads here ignore permissions: callers
establish the identity first (``current_partner``) and pass only their own partner and users.
"""

from collections import defaultdict
from datetime import date

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_days, add_months, cint, flt, getdate, today

from prm_app.constants import (
	ATTEMPT_PASSED,
	CERT_ACTIVE,
	PARTNER,
	PARTNER_CERTIFICATION,
	PARTNER_USER,
	PROGRAM_TIER,
	TEAM_ADMIN,
	TEAM_USER,
	TRAINING_ATTEMPT,
	TRAINING_MODULE,
)
from prm_app.engine import tiers as tier_rules
from prm_app.engine import training as rules
from prm_app.permissions import member_role
from prm_app.queries import param, prepared

# -- a module's quiz and audience ----------------------------------------------------------------


def options_by_question(module) -> dict[int, list]:
	"""The option rows of each question number, in row order."""
	found = defaultdict(list)
	for row in module.get("options") or []:
		found[cint(row.question_no)].append(row)
	return found


def quiz_of(module) -> list[rules.Question]:
	"""The module's questions for the grader: numbered by row, options numbered within their
	question (1, 2, ...)."""
	options = options_by_question(module)
	questions = []
	for number, row in enumerate(module.get("questions") or [], start=1):
		rows = options.get(number, [])
		questions.append(
			rules.Question(
				number=number,
				kind=row.question_type,
				points=flt(row.points),
				options=tuple(range(1, len(rows) + 1)),
				correct=frozenset(i for i, option in enumerate(rows, start=1) if option.is_correct),
			)
		)
	return questions


def audience_of(module) -> rules.Audience:
	roles = set()
	if module.get("for_partner_users"):
		roles.add(TEAM_USER)
	if module.get("for_partner_admins"):
		roles.add(TEAM_ADMIN)
	min_rank = None
	if module.get("min_tier"):
		min_rank = frappe.get_cached_value(PROGRAM_TIER, module.min_tier, "rank")
	return rules.Audience(
		partner_types=frozenset(row.partner_type for row in module.get("partner_types") or []),
		min_tier_rank=cint(min_rank) if min_rank is not None else None,
		# a module for neither role is for nobody on the portal; "both" is the same as "any"
		roles=frozenset(roles) if roles else frozenset({"-"}),
	)


def prerequisites_of(module) -> list[str]:
	return [row.module for row in module.get("prerequisites") or [] if row.module]


def passed_modules(users: list[str]) -> dict[str, set[str]]:
	"""user -> the modules the user has passed (any attempt)."""
	found = defaultdict(set)
	if not users:
		return found
	for row in frappe.get_all(
		TRAINING_ATTEMPT,
		filters={"user": ("in", users), "status": ATTEMPT_PASSED},
		fields=["user", "module"],
		distinct=True,
	):
		found[row.user].add(row.module)
	return found


@prepared
def partner_standing():
	partner, tier = frappe.qb.DocType(PARTNER), frappe.qb.DocType(PROGRAM_TIER)
	return (
		frappe.qb.from_(partner)
		.left_join(tier)
		.on(tier.name == partner.program_tier)
		.select(partner.partner_type, tier.rank)
		.where(partner.name == param("partner"))
	)


def taker(partner: str, user: str, passed: set[str] | None = None) -> rules.Taker:
	rows = partner_standing(partner=partner)
	partner_type, rank = (rows[0].partner_type, rows[0].rank) if rows else (None, None)
	if passed is None:
		passed = passed_modules([user]).get(user, set())
	return rules.Taker(
		partner_type, cint(rank) if rank is not None else None, member_role(partner, user), frozenset(passed)
	)


def attempts_used(user: str, module: str) -> int:
	return frappe.db.count(TRAINING_ATTEMPT, {"user": user, "module": module})


def module_titles(names) -> dict[str, str]:
	names = list(set(names))
	if not names:
		return {}
	return dict(
		frappe.get_all(
			TRAINING_MODULE, filters={"name": ("in", names)}, fields=["name", "title"], as_list=True
		)
	)


def describe_blockers(found: list[tuple[str, str]]) -> list[str]:
	"""Each reason a person may not take a module, in words."""
	titles = module_titles(detail for kind, detail in found if kind == "prerequisite")
	messages = []
	for kind, detail in found:
		if kind == "prerequisite":
			messages.append(_("Pass {0} first.").format(titles.get(detail, detail)))
		elif kind == "tier":
			messages.append(_("This module is for partners of a higher tier."))
		elif kind == "partner_type":
			messages.append(_("This module is for other partner types."))
		elif kind == "role":
			messages.append(_("This module is for other roles in the team."))
	return messages


# -- onboarding ----------------------------------------------------------------------------------


def mandatory_modules() -> list:
	names = frappe.get_all(
		TRAINING_MODULE,
		filters={"mandatory_for_onboarding": 1, "published": 1},
		pluck="name",
		order_by="title asc",
	)
	return [frappe.get_cached_doc(TRAINING_MODULE, name) for name in names]


def onboarding_status(partner) -> list[dict]:
	"""For each user of ``partner`` (a Partner document): the mandatory modules meant for them,
	passed or missing."""
	modules = mandatory_modules()
	users = [row for row in partner.get("users") or [] if row.user]
	if not modules or not users:
		return []
	passed = passed_modules([row.user for row in users])
	rank = frappe.db.get_value(PROGRAM_TIER, partner.program_tier, "rank") if partner.program_tier else None
	status = []
	for row in users:
		who = rules.Taker(
			partner.partner_type,
			cint(rank) if rank is not None else None,
			row.role,
			frozenset(passed[row.user]),
		)
		meant = [m for m in modules if rules.is_for(audience_of(m), who)]
		status.append(
			{
				"user": row.user,
				"full_name": row.get("full_name") or row.user,
				"passed": [m.title for m in meant if m.name in passed[row.user]],
				"missing": [m.title for m in meant if m.name not in passed[row.user]],
			}
		)
	return status


def missing_onboarding(partner) -> list[dict]:
	return [row for row in onboarding_status(partner) if row["missing"]]


# -- certifications ------------------------------------------------------------------------------


def expiry_of(certified_on, validity_months) -> date | None:
	months = cint(validity_months)
	return getdate(add_months(certified_on, months)) if months > 0 else None


def contact_of(user: str) -> str | None:
	return frappe.db.get_value("Contact", {"user": user}, "name")


def partner_admin_emails(partner: str) -> str:
	"""The partner's admins' e-mail addresses, comma-separated (notification recipients)."""
	admins = frappe.get_all(
		PARTNER_USER,
		filters={"parent": partner, "parenttype": PARTNER, "parentfield": "users", "role": TEAM_ADMIN},
		pluck="user",
	)
	emails = frappe.get_all("User", filters={"name": ("in", admins or [""]), "enabled": 1}, pluck="email")
	return ",".join(sorted(e for e in emails if e))


def admin_emails_by_partner(partners: list[str] | None = None) -> dict[str, str]:
	"""partner -> its enabled admins' e-mail addresses, comma-separated (one query for all)."""
	member = frappe.qb.DocType(PARTNER_USER)
	user = frappe.qb.DocType("User")
	query = (
		frappe.qb.from_(member)
		.join(user)
		.on(user.name == member.user)
		.select(member.parent, user.email)
		.where(
			(member.parenttype == PARTNER)
			& (member.parentfield == "users")
			& (member.role == TEAM_ADMIN)
			& (user.enabled == 1)
		)
	)
	if partners is not None:
		query = query.where(member.parent.isin(partners or [""]))
	found = defaultdict(list)
	for partner, email in query.run():
		if email:
			found[partner].append(email)
	return {partner: ",".join(sorted(emails)) for partner, emails in found.items()}


def active_certifications(partners: list[str] | None = None) -> dict[str, list[tuple[str, date | None]]]:
	"""partner -> [(user, expires_on)] of its Active certifications, for all partners at once."""
	cert = frappe.qb.DocType(PARTNER_CERTIFICATION)
	query = (
		frappe.qb.from_(cert)
		.select(cert.partner, cert.user, cert.expires_on)
		.where(
			(cert.status == CERT_ACTIVE) & (cert.expires_on.isnull() | (cert.expires_on >= getdate(today())))
		)
	)
	if partners is not None:
		query = query.where(cert.partner.isin(partners or [""]))
	found = defaultdict(list)
	for partner, user, expires in query.run():
		found[partner].append((user, getdate(expires) if expires else None))
	return found


def certified_people_by_partner(partners: list[str] | None = None) -> dict[str, int]:
	"""partner -> distinct people with an Active certification (one grouped query)."""
	cert = frappe.qb.DocType(PARTNER_CERTIFICATION)
	query = (
		frappe.qb.from_(cert)
		.select(cert.partner, Count(cert.user).distinct())
		.where(
			(cert.status == CERT_ACTIVE) & (cert.expires_on.isnull() | (cert.expires_on >= getdate(today())))
		)
		.groupby(cert.partner)
	)
	if partners is not None:
		query = query.where(cert.partner.isin(partners or [""]))
	return {partner: int(count) for partner, count in query.run()}


def tiers_by_name() -> dict[str, tier_rules.Tier]:
	return {
		row.name: tier_rules.Tier(
			row.name, cint(row.rank), min_certified_people=cint(row.min_certified_people)
		)
		for row in frappe.get_all(PROGRAM_TIER, fields=["name", "rank", "min_certified_people"])
	}


def lapse_days() -> int:
	return cint(frappe.db.get_single_value("PRM Settings", "lapse_warning_days")) or 30


def lapse_forecast(
	partner: str, tier: str | None, certifications=None, tiers: dict | None = None, days: int | None = None
) -> tier_rules.LapseForecast:
	if certifications is None:
		certifications = active_certifications([partner]).get(partner, [])
	tiers = tiers_by_name() if tiers is None else tiers
	now = getdate(today())
	horizon = getdate(add_days(now, days or lapse_days()))
	return tier_rules.lapse_forecast(certifications, horizon, now, tiers.get(tier) if tier else None)


def lapse_message(forecast: tier_rules.LapseForecast, days: int | None = None) -> str:
	"""What the coming lapses cost, in words ("" when nothing expires)."""
	if not forecast.expiring_certifications:
		return ""
	count = forecast.expiring_certifications
	days = days or lapse_days()
	head = (
		_("1 certification expires within {0} days").format(days)
		if count == 1
		else _("{0} certifications expire within {1} days").format(count, days)
	)
	if forecast.falls_below:
		tier = forecast.falls_below
		return _("{0}; without them you fall below {1}'s {2} certified people.").format(
			head, tier.name, tier.min_certified_people
		)
	if forecast.people_losing:
		return _("{0}; {1} of your people would no longer be certified.").format(head, forecast.people_losing)
	return head + "."
