"""What ``prm-benchmark-portal`` drives: every portal page and portal API method, per capability,
and Frappe's own page and method it is compared with.

A capability adds its pages and methods here, one ``Target`` each, in a block of its own at the
end of ``TARGETS``. A target names what it needs (``requires``: doctypes; it is skipped on a site
without them) and, when its path or arguments name a record of the session's partner, a
``fixture``: a function ``(partner) -> dict`` whose values fill the ``{placeholders}`` of ``path``
and ``params`` (return None when the partner has no such record: the target is then skipped for
that session). Sessions sign in as their partner's Partner Admin, so admin-only pages are reached.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import frappe

from prm_app.constants import APPROVED, DEAL_REGISTRATION, PARTNER
from prm_app.perf.driver import METHOD, PAGE, Call


@dataclass(frozen=True)
class Target:
	label: str
	path: str  # a page's path, or a whitelisted method's dotted path
	kind: str = PAGE
	params: dict = field(default_factory=dict)
	requires: tuple[str, ...] = ()
	fixture: Callable[[str], dict | None] | None = None

	def available(self) -> bool:
		return all(frappe.db.exists("DocType", doctype) for doctype in self.requires)

	def call(self, values: dict) -> Call:
		params = tuple((key, str(value).format(**values)) for key, value in self.params.items())
		return Call(self.label, self.kind, self.path.format(**values), params)


# -- fixtures: records of the session's partner a target names


def newest_of(doctype: str, key: str, **filters):
	"""A fixture: the partner's most recently changed ``doctype`` record, as ``{key: name}``."""

	def fixture(partner: str) -> dict | None:
		table = frappe.qb.DocType(doctype)
		query = frappe.qb.from_(table).select(table.name).where(table.partner == partner)
		for column, value in filters.items():
			query = query.where(table[column] == value)
		rows = query.orderby(table.modified, order=frappe.qb.desc).limit(1).run()
		return {key: rows[0][0]} if rows else None

	fixture.__name__ = f"newest_{key}"
	return fixture


newest_registration = newest_of(DEAL_REGISTRATION, "registration")


def later_page(partner: str) -> dict | None:
	"""A page of the registrations list well past the first (the fifth, or the last one there is)."""
	from prm_app.api.deals import PAGE_LENGTH

	total = frappe.db.count(DEAL_REGISTRATION, {"partner": partner})
	pages = max((total + PAGE_LENGTH - 1) // PAGE_LENGTH, 1)
	return {"page": min(5, pages)}


def search_word(partner: str) -> dict | None:
	"""A word of an end customer's name from the middle of the partner's registrations: a search
	that finds a few of them among all."""
	table = frappe.qb.DocType(DEAL_REGISTRATION)
	total = frappe.db.count(DEAL_REGISTRATION, {"partner": partner})
	if not total:
		return None
	rows = (
		frappe.qb.from_(table)
		.select(table.company_name)
		.where(table.partner == partner)
		.orderby(table.modified, order=frappe.qb.desc)
		.limit(1)
		.offset(total // 2)
	).run()
	words = (rows[0][0] or "").split() if rows else []
	return {"search": " ".join(words[:2])} if words else None


newest_offer = newest_of("Lead Offer", "offer", status="Accepted")
newest_request = newest_of("MDF Request", "request")


def first_module(partner: str) -> dict | None:
	"""A published training module (the programme's first by title)."""
	rows = frappe.get_all(
		"Training Module", filters={"published": 1}, pluck="name", order_by="title asc", limit=1
	)
	return {"module": rows[0]} if rows else None


# -- baselines: Frappe's own page and method, measured in the same run


def is_frappe_15() -> bool:
	return frappe.__version__.split(".")[0] in ("14", "15")


def baselines() -> list[Target]:
	"""The page every portal page is compared with first, then references, then the method.

	Frappe 15: ``/me``, the signed-in user's page in the site's chrome (navbar, sidebar, footer).
	Frappe 16: ``/me`` became a bare settings screen (no navbar, sidebar or footer) and a portal
	user's home is ``/portal``; a plain ``/portal`` is answered from Frappe's website page cache
	(an HTML lookup, not a render), so the comparable page is ``/portal`` rendered for the request
	(a query string makes Frappe render it), in the same chrome as the portal's pages. ``/me`` and
	the cached ``/portal`` are measured beside it for reference."""
	if is_frappe_15():
		pages = [Target("Frappe /me", "/me")]
	else:
		pages = [
			Target("Frappe /portal (rendered)", "/portal", params={"prm_benchmark": "1"}),
			Target("Frappe /me", "/me"),
			Target("Frappe /portal (page cache)", "/portal"),
		]
	return [*pages, Target("frappe.auth.get_logged_user", "frappe.auth.get_logged_user", METHOD)]


# -- the portal, per capability

TARGETS: list[Target] = [
	# the portal's home
	Target("/partner", "/partner"),
	Target("dashboard.get_dashboard", "prm_app.api.dashboard.get_dashboard", METHOD),
	# deal registration
	Target("/partner/deals", "/partner/deals", requires=(DEAL_REGISTRATION,)),
	Target(
		"/partner/deals?page=N",
		"/partner/deals",
		params={"page": "{page}"},
		requires=(DEAL_REGISTRATION,),
		fixture=later_page,
	),
	Target(
		"/partner/deals?status=Approved",
		"/partner/deals",
		params={"status": APPROVED},
		requires=(DEAL_REGISTRATION,),
	),
	Target(
		"/partner/deals?q=...",
		"/partner/deals",
		params={"q": "{search}"},
		requires=(DEAL_REGISTRATION,),
		fixture=search_word,
	),
	Target(
		"/partner/deals/<name>",
		"/partner/deals/{registration}",
		requires=(DEAL_REGISTRATION,),
		fixture=newest_registration,
	),
	Target("/partner/deals/new", "/partner/deals/new", requires=(DEAL_REGISTRATION,)),
	Target(
		"deals.get_registrations",
		"prm_app.api.deals.get_registrations",
		METHOD,
		requires=(DEAL_REGISTRATION,),
	),
	Target(
		"deals.get_registration",
		"prm_app.api.deals.get_registration",
		METHOD,
		params={"name": "{registration}"},
		requires=(DEAL_REGISTRATION,),
		fixture=newest_registration,
	),
	# team and company profile
	Target("/partner/team", "/partner/team", requires=(PARTNER,)),
	Target("team.get_team", "prm_app.api.team.get_team", METHOD, requires=(PARTNER,)),
	Target("/partner/profile", "/partner/profile", requires=(PARTNER,)),
	Target("profile.get_profile", "prm_app.api.profile.get_profile", METHOD, requires=(PARTNER,)),
	# training
	Target("/partner/training", "/partner/training", requires=("Training Module",)),
	Target(
		"training.get_training", "prm_app.api.training.get_training", METHOD, requires=("Training Module",)
	),
	Target(
		"/partner/training/<module>",
		"/partner/training/{module}",
		requires=("Training Module",),
		fixture=first_module,
	),
	Target(
		"training.get_module",
		"prm_app.api.training.get_module",
		METHOD,
		params={"name": "{module}"},
		requires=("Training Module",),
		fixture=first_module,
	),
	# lead distribution
	Target("/partner/leads", "/partner/leads", requires=("Lead Offer",)),
	Target("leads.get_leads", "prm_app.api.leads.get_leads", METHOD, requires=("Lead Offer",)),
	Target(
		"/partner/leads/<offer>", "/partner/leads/{offer}", requires=("Lead Offer",), fixture=newest_offer
	),
	Target(
		"leads.get_lead",
		"prm_app.api.leads.get_lead",
		METHOD,
		params={"name": "{offer}"},
		requires=("Lead Offer",),
		fixture=newest_offer,
	),
	# joint business plan
	Target("/partner/plan", "/partner/plan", requires=("Partner Business Plan",)),
	Target("plans.get_plan", "prm_app.api.plans.get_plan", METHOD, requires=("Partner Business Plan",)),
	# asset library
	Target("/partner/assets", "/partner/assets", requires=("Partner Asset",)),
	Target("assets.get_assets", "prm_app.api.assets.get_assets", METHOD, requires=("Partner Asset",)),
	# MDF and rebates
	Target("/partner/mdf", "/partner/mdf", requires=("MDF Budget",)),
	Target("mdf.get_mdf", "prm_app.api.mdf.get_mdf", METHOD, requires=("MDF Budget",)),
	Target(
		"/partner/mdf/requests/<name>",
		"/partner/mdf/requests/{request}",
		requires=("MDF Request",),
		fixture=newest_request,
	),
	Target(
		"mdf.get_request",
		"prm_app.api.mdf.get_request",
		METHOD,
		params={"name": "{request}"},
		requires=("MDF Request",),
		fixture=newest_request,
	),
	Target("/partner/incentives", "/partner/incentives", requires=("Rebate Accrual",)),
	Target(
		"incentives.get_incentives",
		"prm_app.api.incentives.get_incentives",
		METHOD,
		requires=("Rebate Accrual",),
	),
	# insights: the partner's scorecard
	Target("/partner/scorecard", "/partner/scorecard", requires=("Partner Engagement Event",)),
	Target(
		"scorecard.get_scorecard",
		"prm_app.api.scorecard.get_scorecard",
		METHOD,
		requires=("Partner Engagement Event",),
	),
]


def resolve(targets: list[Target], partners: list[str]) -> list[tuple[Target, list[Call | None]]]:
	"""Each available target with its call for each session's partner (None where the partner has
	no record the target names)."""
	found = []
	memo: dict = {}
	for target in targets:
		if not target.available():
			continue
		calls = []
		for partner in partners:
			if target.fixture:
				key = (target.fixture, partner)
				if key not in memo:
					memo[key] = target.fixture(partner)
				values = memo[key]
				calls.append(target.call(values) if values is not None else None)
			else:
				calls.append(target.call({}))
		if any(calls):
			found.append((target, calls))
	return found
