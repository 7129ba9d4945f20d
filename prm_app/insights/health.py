"""The daily health check of every partner, and the weekly at-risk digest.

``refresh`` (``scheduler_events`` daily_long) reads, for all partners at once, the engagement
events of the window, each partner's last event and its invoiced revenue in the last period and
the one before (three grouped queries), applies the at-risk rules of PRM Settings
(``prm_app.engine.insights.at_risk_reasons``) and writes each partner's engagement score, last
engagement, flag and reasons to its Partner record with a few bulk UPDATEs (no Version, no
``modified`` change, no query per partner).

``send_digest`` (weekly_long) e-mails each partner manager the list of their at-risk partners with
the reasons, from the Email Template of PRM Settings (an admin edits its subject and body).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Max
from frappe.utils import flt, fmt_money, get_url_to_form, getdate, now_datetime, today

from prm_app.constants import PARTNER, PARTNER_ENGAGEMENT_EVENT
from prm_app.engine import insights as rules
from prm_app.engine import partner_status
from prm_app.insights.providers import end_of, engagement_points, start_of

CHUNK = 500


def health_rules() -> rules.HealthRules:
	settings = frappe.get_cached_doc("PRM Settings")
	return rules.HealthRules(
		inactive_days=int(settings.at_risk_inactive_days or 0),
		revenue_drop_percent=flt(settings.at_risk_revenue_drop_percent),
		onboarding_days=int(settings.at_risk_onboarding_days or 0),
	)


def revenue_periods(day: date, days: int) -> dict[str, tuple[dict, dict]]:
	"""{partner: ({currency: revenue of the last ``days`` days}, {currency: the ``days`` before})},
	each company's sales in its currency (``prm_app.insights.sales``)."""
	from prm_app.insights import sales

	if days <= 0:
		return {}
	start = day - timedelta(days=days - 1)
	before = start - timedelta(days=days)
	result = defaultdict(lambda: ({}, {}))
	company = frappe.qb.DocType("Company")
	for name, currency in frappe.qb.from_(company).select(company.name, company.default_currency).run():
		periods = sales.invoiced_periods(name, [(start, day), (before, start - timedelta(days=1))])
		for index, sums in enumerate(periods):
			for partner, (revenue, _margin, _count) in sums.items():
				amounts = result[partner][index]
				amounts[currency] = amounts.get(currency, 0.0) + revenue
	return result


def last_engagement() -> dict[str, datetime]:
	event = frappe.qb.DocType(PARTNER_ENGAGEMENT_EVENT)
	return dict(
		frappe.qb.from_(event).select(event.partner, Max(event.timestamp)).groupby(event.partner).run()
	)


def describe(reason: rules.Reason, period_days: int) -> str:
	"""A reason as the channel team reads it (Partner form, digest)."""
	if reason.code == rules.NO_ENGAGEMENT:
		return _("No engagement for {0} days").format(reason.days)
	if reason.code == rules.REVENUE_DROP:
		return _("Revenue fell {0}% ({1} to {2}) over the last {3} days against the {3} days before").format(
			round(reason.percent),
			fmt_money(reason.previous, currency=reason.currency),
			fmt_money(reason.current, currency=reason.currency),
			period_days,
		)
	if reason.code == rules.ONBOARDING_STALLED:
		return _("In onboarding for {0} days").format(reason.days)
	return reason.code


def assess(day: date | None = None) -> dict[str, frappe._dict]:
	"""Every partner's engagement score, last engagement and at-risk reasons on ``day``."""
	day = getdate(day or today())
	settings = frappe.get_cached_doc("PRM Settings")
	window = max(int(settings.engagement_window_days or 30), 1)
	target = flt(settings.engagement_full_score_points or 20)
	thresholds = health_rules()
	period = int(settings.at_risk_revenue_period_days or 0)

	partner = frappe.qb.DocType(PARTNER)
	everyone = (
		frappe.qb.from_(partner).select(
			partner.name, partner.status, partner.joined_on, partner.onboarding_started_on, partner.creation
		)
	).run(as_dict=True)
	points = {
		row[0]: flt(row[2])
		for row in engagement_points(start_of(day - timedelta(days=window - 1)), end_of(day))
	}
	last = last_engagement()
	revenue = revenue_periods(day, period) if thresholds.revenue_drop_percent > 0 else {}
	result = {}
	for row in everyone:
		current, previous = revenue.get(row.name, ({}, {}))
		facts = rules.HealthFacts(
			status=row.status,
			last_engaged_on=getdate(last[row.name]) if last.get(row.name) else None,
			active_since=getdate(row.joined_on or row.creation),
			onboarding_since=getdate(row.onboarding_started_on or row.creation),
			revenue_current=current,
			revenue_previous=previous,
		)
		reasons = rules.at_risk_reasons(facts, thresholds, day)
		result[row.name] = frappe._dict(
			engagement_score=rules.engagement_score(points.get(row.name, 0.0), target),
			last_engaged_on=last.get(row.name),
			at_risk=1 if reasons else 0,
			at_risk_reasons="\n".join(describe(r, period) for r in reasons) or None,
			status=row.status,
		)
	return result


def write(health: dict[str, frappe._dict], checked_on: datetime, commit: bool) -> None:
	"""Bulk UPDATEs of the Partner rows, ``CHUNK`` partners each (a CASE per field)."""
	partner = frappe.qb.DocType(PARTNER)
	names = sorted(health)
	for start in range(0, len(names), CHUNK):
		chunk = names[start : start + CHUNK]
		query = frappe.qb.update(partner).where(partner.name.isin(chunk))
		for field in ("engagement_score", "last_engaged_on", "at_risk", "at_risk_reasons"):
			case = Case()
			for name in chunk:
				case = case.when(partner.name == name, health[name][field])
			query = query.set(partner[field], case)
		query.set(partner.health_checked_on, checked_on).run()
		if commit:
			frappe.db.commit()  # nosemgrep: scheduled job, commits per chunk


def refresh(commit: bool = True, day: date | None = None) -> dict:
	"""Daily: assess every partner and store the result on it; returns counts."""
	health = assess(day)
	write(health, now_datetime(), commit=commit and not frappe.flags.in_test)
	return {"partners": len(health), "at_risk": sum(h.at_risk for h in health.values())}


# -- the weekly digest --------------------------------------------------------------------------


def at_risk_partners() -> list[frappe._dict]:
	partner = frappe.qb.DocType(PARTNER)
	return (
		frappe.qb.from_(partner)
		.select(
			partner.name,
			partner.partner_name,
			partner.program_tier,
			partner.partner_manager,
			partner.at_risk_reasons,
		)
		.where(
			(partner.at_risk == 1) & partner.status.isin((partner_status.ACTIVE, partner_status.ONBOARDING))
		)
		.orderby(partner.partner_name)
	).run(as_dict=True)


def digests() -> dict[str, list[frappe._dict]]:
	"""{recipient: [their at-risk partners]}: each partner manager gets theirs; partners without a
	manager go to PRM Settings' fallback recipient (or nobody)."""
	fallback = frappe.db.get_single_value("PRM Settings", "at_risk_digest_fallback")
	by_recipient = defaultdict(list)
	for row in at_risk_partners():
		recipient = row.partner_manager or fallback
		if not recipient:
			continue
		row.reasons = [line for line in (row.at_risk_reasons or "").split("\n") if line]
		row.link = get_url_to_form(PARTNER, row.name)
		row.tier = row.program_tier
		by_recipient[recipient].append(row)
	enabled = set(
		frappe.get_all(
			"User", filters={"name": ("in", list(by_recipient) or [""]), "enabled": 1}, pluck="name"
		)
	)
	return {user: rows for user, rows in by_recipient.items() if user in enabled}


def send_digest() -> int:
	"""Weekly: one e-mail per partner manager with at-risk partners; returns how many were queued."""
	settings = frappe.get_cached_doc("PRM Settings")
	if not settings.send_at_risk_digest:
		return 0
	name = settings.at_risk_digest_template
	if not name or not frappe.db.exists("Email Template", name):
		frappe.log_error(
			title=_("At-risk digest not sent"),
			message=_("PRM Settings names no Email Template for the at-risk digest, or it was deleted."),
		)
		return 0
	template = frappe.get_doc("Email Template", name)
	body = template.response_html if template.use_html else template.response
	sent = 0
	for user, partners in digests().items():
		email, full_name = frappe.db.get_value("User", user, ["email", "full_name"])
		context = {
			"manager": user,
			"manager_name": full_name or user,
			"partners": partners,
			"count": len(partners),
		}
		frappe.sendmail(
			recipients=[email or user],
			subject=frappe.render_template(template.subject, context),
			message=frappe.render_template(body or "", context),
		)
		sent += 1
	return sent
