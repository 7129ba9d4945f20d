"""What a report or scorecard is asked for: a company (its currency), a period and the one before
it, and which partners. Filters come from requests: each is checked here (dates parse and are in
order, the company exists, choices are on their allow-list) before any query uses it, and values
reach the queries only as bound parameters."""

from dataclasses import dataclass
from datetime import date, timedelta

import frappe
from frappe import _
from frappe.utils import add_months, add_to_date, getdate, today

from prm_app.constants import PARTNER
from prm_app.engine import partner_status
from prm_app.exceptions import InsightsFilterError

MAX_PERIOD_DAYS = 3660  # ten years
PARTNER_FILTERS = ("partner", "program_tier", "partner_type", "territory", "partner_manager")


@dataclass(frozen=True, slots=True)
class Scope:
	company: str
	currency: str
	from_date: date
	to_date: date

	@property
	def days(self) -> int:
		return (self.to_date - self.from_date).days + 1

	@property
	def previous_to(self) -> date:
		return self.from_date - timedelta(days=1)

	@property
	def previous_from(self) -> date:
		return self.from_date - timedelta(days=self.days)


def invalid(message: str):
	frappe.throw(message, InsightsFilterError, title=_("Invalid Filters"))


def default_company() -> str | None:
	return frappe.defaults.get_user_default("Company") or frappe.db.get_single_value(
		"Global Defaults", "default_company"
	)


def parse_date(value, label: str) -> date:
	try:
		return getdate(value)
	except Exception:
		invalid(_("{0} is not a date: {1}").format(label, frappe.bold(str(value)[:40])))


def scope_from(filters: dict | None) -> Scope:
	"""The company and period of ``filters``; the last twelve months of the default company when
	they name none."""
	filters = frappe._dict(filters or {})
	company = filters.get("company") or default_company()
	# the cached Company (None when there is none of that name): no query on every portal page
	if not company or not isinstance(company, str) or not frappe.get_cached_value("Company", company, "name"):
		invalid(_("Choose a company."))
	to_date = parse_date(filters.get("to_date") or today(), _("To Date"))
	default_from = add_to_date(add_months(to_date, -12), days=1)
	from_date = parse_date(filters.get("from_date") or default_from, _("From Date"))
	if from_date > to_date:
		invalid(_("From Date must be on or before To Date."))
	if (to_date - from_date).days >= MAX_PERIOD_DAYS:
		invalid(_("Choose a period of at most ten years."))
	currency = frappe.get_cached_value("Company", company, "default_currency")
	return Scope(company=company, currency=currency, from_date=from_date, to_date=to_date)


def partner_condition(filters: dict | None, table=None):
	"""The ``frappe.qb`` condition on Partner for the report's partner filters (``status``
	defaults to Active; "All" for every status; a territory includes its sub-territories)."""
	filters = frappe._dict(filters or {})
	partner = table or frappe.qb.DocType(PARTNER)
	condition = partner.name.isnotnull()
	status = filters.get("status", partner_status.ACTIVE)
	if status and status != "All":
		if status not in partner_status.STATUSES:
			invalid(_("Choose one of the partner statuses."))
		condition &= partner.status == status
	for field in ("partner", "program_tier", "partner_type", "partner_manager"):
		value = filters.get(field)
		if value:
			if not isinstance(value, str):
				invalid(_("Choose one value for {0}.").format(field))
			condition &= partner[field if field != "partner" else "name"] == value
	territory = filters.get("territory")
	if territory:
		bounds = (
			frappe.db.get_value("Territory", territory, ["lft", "rgt"])
			if isinstance(territory, str)
			else None
		)
		if not bounds:
			invalid(_("There is no territory {0}.").format(frappe.bold(str(territory)[:140])))
		tree = frappe.qb.DocType("Territory")
		inside = (
			frappe.qb.from_(tree).select(tree.name).where((tree.lft >= bounds[0]) & (tree.rgt <= bounds[1]))
		)
		condition &= partner.territory.isin(inside)
	return condition


def partners(filters: dict | None) -> list[frappe._dict]:
	"""The partners a report covers, with what identifies them (one query)."""
	partner = frappe.qb.DocType(PARTNER)
	return (
		frappe.qb.from_(partner)
		.select(
			partner.name,
			partner.partner_name,
			partner.status,
			partner.program_tier,
			partner.partner_type,
			partner.territory,
			partner.partner_manager,
			partner.at_risk,
		)
		.where(partner_condition(filters, partner))
		.orderby(partner.name)
	).run(as_dict=True)
