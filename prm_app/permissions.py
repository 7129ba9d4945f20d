"""Who a user acts for, and which partner-owned records they may reach.

A user listed in a Partner's ``users`` table (or holding a partner role) is *partner-scoped*:
every list, form, REST call, link search and report gives them only their own partner's rows.
Internal users (System Manager, Partner Manager, Administrator) are not scoped; other desk users
keep whatever their role permissions give them.

- Identity: ``current_partner`` / ``require_partner_admin`` start every portal method.
- Scoping: each partner-owned doctype is registered in ``PARTNER_OWNED`` (and its child tables in
  ``PARTNER_OWNED_CHILDREN``) and in hooks.py with the functions below; the integration tests
  fail when a doctype with a link to Partner is left out (``prm_app.tests.test_isolation``).
- Desk boundary: partners are website users; ``deny_desk_endpoints`` (an ``auth_hooks`` entry,
  so it runs after session and token authentication) refuses them Frappe's desk endpoints
  (form loader, docinfo, assignments, shares, report views, exports, printing, e-mail).
"""

import functools
import re

import frappe
from frappe import _

from prm_app.constants import (
	PARTNER,
	PARTNER_ROLES,
	PARTNER_USER,
	PRIVILEGED_ROLES,
	TEAM_ADMIN,
)
from prm_app.queries import param, prepared

# doctype -> the field holding the owning Partner ("name" for Partner itself).
PARTNER_OWNED: dict[str, str] = {
	"Partner": "name",
	"Deal Registration": "partner",
	"Partner Invitation": "partner",
	# training, certification and the tier engine: partners read these on the portal only
	"Training Attempt": "partner",
	"Partner Certification": "partner",
	"Partner Tier Change": "partner",
	# growth: recruitment, the agreement, lead distribution, business plans, assets
	"Partner Application": "partner",
	"Partner Agreement Acceptance": "partner",
	"Lead Offer": "partner",
	"Lead Assignment Log": "partner",
	"Partner Business Plan": "partner",
	"Partner Asset Download": "partner",
	"MDF Budget": "partner",
	"MDF Request": "partner",
	"MDF Claim": "partner",
	"Rebate Accrual": "partner",
	"Rebate Settlement": "partner",
	"Partner Engagement Event": "partner",  # partners hold no permission on these two at all
	"Partner Sales Month": "partner",
}

# child doctype -> its partner-owned parent: a partner sees only its own parents' rows.
PARTNER_OWNED_CHILDREN: dict[str, str] = {
	"Partner User": "Partner",
	"Deal Registration Item": "Deal Registration",
	"Deal Registration Extension": "Deal Registration",
	"Partner Business Plan Target": "Partner Business Plan",
	"Partner Business Plan Initiative": "Partner Business Plan",
	"Partner Business Plan Review": "Partner Business Plan",
	"Partner Business Plan Version": "Partner Business Plan",
	"MDF Budget Adjustment": "MDF Budget",
	"MDF Claim Lead": "MDF Claim",
	"Rebate Accrual Invoice": "Rebate Accrual",
	"Rebate Settlement Accrual": "Rebate Settlement",
}
# child doctypes a partner never reads: conflict evidence names other partners, and so do an
# application's likely duplicates and a distribution rule's partner list; a training module's
# tables hold the answer key (partners read a module only through the portal, which never prints
# the key; attempts are shown there too).
HIDDEN_FROM_PARTNERS: frozenset[str] = frozenset(
	{
		"Deal Registration Conflict",
		"Channel Conflict Record",
		"Partner Application Match",
		"Lead Distribution Rule Partner",
		"Training Lesson",
		"Training Question",
		"Training Question Option",
		"Training Module Partner Type",
		"Training Module Prerequisite",
		"Training Attempt Answer",
	}
)


# -- identity ------------------------------------------------------------------------------------


def is_privileged(user: str) -> bool:
	if user == "Administrator":
		return True
	return bool(PRIVILEGED_ROLES.intersection(frappe.get_roles(user)))


def request_memo() -> dict | None:
	"""What this web request has learnt and asks again: users' partners (the auth hook, the page,
	the permission hooks and the website context all ask), the stored owner of a record, the
	workflow. None outside a request: tests, jobs and commands read the database every time."""
	if not getattr(frappe.local, "request", None):
		return None
	memo = getattr(frappe.local, "prm_request_memo", None)
	if memo is None:
		memo = frappe.local.prm_request_memo = {}
	return memo


def per_request(key: tuple, compute):
	"""``compute()``, asked once per web request for ``key`` (every time outside a request)."""
	memo = request_memo()
	if memo is None:
		return compute()
	if key not in memo:
		memo[key] = compute()
	return memo[key]


def forget_memberships() -> None:
	"""A partner's users changed: this request reads everything again."""
	if getattr(frappe.local, "prm_request_memo", None):
		frappe.local.prm_request_memo = {}


@prepared
def memberships_of():
	member = frappe.qb.DocType(PARTNER_USER)
	return (
		frappe.qb.from_(member)
		.select(member.parent, member.role)
		.where(
			(member.user == param("user")) & (member.parenttype == PARTNER) & (member.parentfield == "users")
		)
		.orderby(member.parent)
	)


def memberships(user: str) -> list[tuple[str, str]]:
	"""(partner, team role) of every Partner that lists ``user`` in its users table."""
	memo = request_memo()
	if memo is not None and user in memo:
		return memo[user]
	rows = [(partner, role) for partner, role in memberships_of(user=user, as_list=True)]
	if memo is not None:
		memo[user] = rows
	return rows


def get_user_partners(user: str | None = None) -> list[str]:
	"""Names of the Partners that list ``user`` in their users table."""
	user = user or frappe.session.user
	if not user or user == "Guest":
		return []
	return list(dict.fromkeys(partner for partner, _role in memberships(user)))


def is_partner_scoped(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_privileged(user):
		return False
	if PARTNER_ROLES.intersection(frappe.get_roles(user)):
		return True
	return bool(get_user_partners(user))


def get_partner_for_user(user: str | None = None) -> str | None:
	"""The one Partner a website user acts for (a user belongs to at most one Partner)."""
	partners = get_user_partners(user)
	return partners[0] if partners else None


def current_partner() -> str:
	"""The Partner the session user acts for; PermissionError for anyone else (staff included), and
	for a partner user who has not accepted the partner agreement in force (``prm_app.agreements``)."""
	partner = session_partner()
	agreement_pending_check(frappe.session.user)
	return partner


def agreement_pending(user: str) -> bool:
	from prm_app.agreements import pending_for

	return bool(pending_for(user))


def agreement_pending_check(user: str) -> None:
	from prm_app.agreements import require_accepted

	require_accepted(user)


def session_partner() -> str:
	"""The Partner the session user acts for, whether or not it has accepted the agreement in force
	(the agreement page itself); PermissionError for anyone else."""
	user = frappe.session.user
	if user == "Guest":
		frappe.throw(_("Log in to use the partner portal."), frappe.PermissionError)
	partner = get_partner_for_user(user)
	if not partner or not PARTNER_ROLES.intersection(frappe.get_roles(user)):
		frappe.throw(_("The partner portal is for the users of a partner."), frappe.PermissionError)
	return partner


def member_role(partner: str, user: str) -> str | None:
	if not user or user == "Guest":
		return None
	return next((role for member_of, role in memberships(user) if member_of == partner), None)


def is_partner_admin(partner: str, user: str | None = None) -> bool:
	return member_role(partner, user or frappe.session.user) == TEAM_ADMIN


def require_partner_admin() -> str:
	partner = current_partner()
	if not is_partner_admin(partner):
		frappe.throw(
			_("Only a Partner Admin can manage the team and the company profile."), frappe.PermissionError
		)
	return partner


# -- scoping of partner-owned doctypes -----------------------------------------------------------


def _partner_values(partners: list[str]) -> str:
	return ", ".join(frappe.db.escape(p) for p in partners)


def scoped_query_conditions(doctype: str, user: str | None = None) -> str:
	user = user or frappe.session.user
	if not is_partner_scoped(user):
		return ""
	partners = get_user_partners(user)
	if not partners or agreement_pending(user):
		return "1=0"
	field = PARTNER_OWNED[doctype]
	return f"`tab{doctype}`.`{field}` in ({_partner_values(partners)})"


def scoped_has_permission(doc, user: str | None = None) -> bool:
	"""False (deny) when a partner-scoped user asks for another partner's record; True otherwise,
	so role permissions decide as usual. (Frappe 15 reads None as "no opinion", Frappe 16 reads
	any falsy value as a denial: True is the answer that means "no objection" on both.)"""
	user = user or frappe.session.user
	if not is_partner_scoped(user):
		return True
	field = PARTNER_OWNED[doc.doctype]
	partners = get_user_partners(user)
	owner = doc.get(field)
	if not owner or owner not in partners or agreement_pending(user):
		return False
	# Frappe checks permission on the document as the request changed it (REST PUT, a forged
	# ``docs`` body): the stored record must be the user's partner's too.
	if field != "name" and not doc.is_new():
		stored = stored_owner(doc.doctype, doc.name, field)
		if stored is not None and stored not in partners:
			return False
	return True


def stored_owner(doctype: str, name: str, field: str) -> str | None:
	"""The partner a stored record belongs to (asked once per request: a partner can never move a
	record to another partner, so it does not change while the request runs)."""
	memo = request_memo()
	key = ("owner", doctype, name)
	if memo is not None and key in memo:
		return memo[key]
	rows = frappe.db.sql(owner_query(frappe.db.db_type, doctype, field), {"name": name})
	owner = rows[0][0] if rows else None
	if memo is not None:
		memo[key] = owner
	return owner


@functools.cache
def owner_query(db_type: str, doctype: str, field: str) -> str:
	"""The SQL of ``stored_owner`` for a partner-owned doctype, built once per worker (asked on
	every permission check of a stored record; ``frappe.db.get_value`` costs 0.4 ms more on v16)."""
	table = frappe.qb.DocType(doctype)
	return frappe.qb.from_(table).select(table[field]).where(table.name == param("name")).get_sql()


def child_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Rows of child tables queried directly (``frappe.client.get_list`` with ``parent``): only
	those of the user's own partner's documents, and never the conflict evidence."""
	user = user or frappe.session.user
	if not is_partner_scoped(user):
		return ""
	if doctype in HIDDEN_FROM_PARTNERS:
		return "1=0"
	parent = PARTNER_OWNED_CHILDREN[doctype]
	partners = get_user_partners(user)
	if not partners or agreement_pending(user):
		return "1=0"
	return (
		f"`tab{doctype}`.`parenttype` = {frappe.db.escape(parent)} and `tab{doctype}`.`parent` in "
		f"(select `name` from `tab{parent}` where `{PARTNER_OWNED[parent]}` in ({_partner_values(partners)}))"
	)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""``permission_query_conditions`` of every partner-owned doctype (Frappe passes the doctype)."""
	return scoped_query_conditions(doctype, user)


def has_permission(doc, ptype=None, user=None, debug=False) -> bool:
	"""``has_permission`` of every partner-owned doctype."""
	return scoped_has_permission(doc, user)


def has_website_permission(doc, ptype=None, user=None, verbose=False) -> bool:
	"""Portal reads: a partner's users see their own partner's records, nobody else's."""
	user = user or frappe.session.user
	owner = doc.get(PARTNER_OWNED[doc.doctype])
	return bool(owner) and owner in get_user_partners(user) and not agreement_pending(user)


def can_open_desk_workspace() -> bool:
	return is_privileged(frappe.session.user)


# -- the desk boundary ---------------------------------------------------------------------------

# Frappe's endpoints for the desk's forms, lists, collaboration, printing, exports and e-mail.
# Partners work on the portal; none of these serves them, and several would hand them the channel
# team's comments, assignments, shares, views or attachments, or send mail from the company.
DESK_ENDPOINTS = (
	"frappe.desk.",
	"frappe.share.",
	"frappe.www.printview.",
	"frappe.utils.print_format.",
	"frappe.printing.",
	"frappe.core.doctype.communication.",
	"frappe.email.",
	"frappe.core.doctype.data_export.",
	"frappe.core.doctype.data_import.",
	"frappe.core.doctype.file.file.download_zip_files",
	"frappe.automation.",
	"frappe.core.doctype.access_log.",
)
# Desk pages served outside /app: the print view renders any print format of a document the user
# can read (an admin's format may show internal fields).
DESK_PAGES = ("/printview", "/print/")  # paths that start so
API_DOCUMENT = re.compile(r"^/api/(?:v1/resource|resource|v2/document|v2/doctype)/(?P<doctype>[^/]+)")
API_METHOD = re.compile(r"^/api/(?:v1/|v2/)?method/(?P<method>[^/]+)(?:/(?P<doc_method>[^/]+))?/?$")


def requested_method() -> str | None:
	"""The whitelisted method a request calls, as Frappe resolves it (``/api/method/<m>``,
	``/api/v2/method/<doctype>/<m>`` and the legacy ``cmd``)."""
	request = getattr(frappe.local, "request", None)
	if not request:
		return None
	cmd = frappe.form_dict.get("cmd")
	if cmd:
		return frappe.override_whitelisted_method(str(cmd))
	found = API_METHOD.match(request.path or "")
	if not found:
		return None
	method, doc_method = found.group("method"), found.group("doc_method")
	if doc_method:
		from frappe.modules.utils import load_doctype_module

		try:
			method = f"{load_doctype_module(method).__name__}.{doc_method}"
		except Exception:
			return None  # not a doctype: Frappe answers 404 itself
	return frappe.override_whitelisted_method(method)


def requested_doctypes() -> set[str]:
	"""The doctypes a request names: ``/api/resource/<doctype>``, ``/api/v2/document/<doctype>``,
	and a ``doctype`` argument (``frappe.client.get_list`` and the like)."""
	from urllib.parse import unquote

	request = getattr(frappe.local, "request", None)
	found = API_DOCUMENT.match((request and request.path) or "")
	names = {unquote(found.group("doctype"))} if found else set()
	doctype = frappe.form_dict.get("doctype")
	if isinstance(doctype, str):
		names.add(doctype)
	return names


def deny_desk_endpoints() -> None:
	"""``auth_hooks``: partner users get no desk payloads (see ``DESK_ENDPOINTS``), and no path at all
	to the child tables they never read (Frappe 16 checks a child table's rows against the parent's
	permissions only, so the conflict evidence rows of a partner's own registration would count)."""
	user = frappe.session.user
	if not user or user == "Guest" or not is_partner_scoped(user):
		return
	method = requested_method()
	path = (getattr(frappe.local, "request", None) and frappe.local.request.path) or ""
	if (
		(method and method.startswith(DESK_ENDPOINTS))
		or path.startswith(DESK_PAGES)
		or requested_doctypes() & HIDDEN_FROM_PARTNERS
	):
		frappe.throw(_("This is not available on the partner portal."), frappe.PermissionError)


# -- partner assets: each is for the partners its audience names -----------------------------------

# partners that see assets (an onboarding partner needs its onboarding material)
ASSET_PARTNER_STATUSES = ("Onboarding", "Active")


def asset_audience_of(user: str) -> frappe._dict | None:
	"""What decides which assets ``user``'s partner sees: its status, type and tier rank."""
	partner = get_partner_for_user(user)
	if not partner:
		return None
	rows = partner_audience(partner=partner)
	facts = rows[0] if rows else None
	if not facts or facts.status not in ASSET_PARTNER_STATUSES:
		return None
	return facts


@prepared
def partner_audience():
	partner, tier = frappe.qb.DocType(PARTNER), frappe.qb.DocType("Program Tier")
	return (
		frappe.qb.from_(partner)
		.left_join(tier)
		.on(tier.name == partner.program_tier)
		.select(partner.name, partner.status, partner.partner_type, partner.program_tier, tier.rank)
		.where(partner.name == param("partner"))
	)


@prepared
def tiers_ranked_up_to():
	tier = frappe.qb.DocType("Program Tier")
	return frappe.qb.from_(tier).select(tier.name).where(tier.rank <= param("rank"))


def tiers_up_to(rank) -> list[str]:
	"""The tiers a partner of ``rank`` has reached (its own and every lower one)."""
	if rank is None:
		return []
	return [name for (name,) in tiers_ranked_up_to(rank=rank, as_list=True)]


def asset_is_for(asset: str, audience: frappe._dict) -> bool:
	"""Whether the stored asset is published today for a partner with ``audience``."""
	from frappe.utils import getdate, today

	row = frappe.db.get_value(
		"Partner Asset", asset, ["published_from", "published_until", "lowest_tier"], as_dict=True
	)
	if not row or not audience:
		return False
	now = getdate(today())
	if not row.published_from or getdate(row.published_from) > now:
		return False
	if row.published_until and getdate(row.published_until) < now:
		return False
	if row.lowest_tier and row.lowest_tier not in tiers_up_to(audience.rank):
		return False
	types = frappe.get_all(
		"Partner Asset Audience",
		filters={"parent": asset, "parenttype": "Partner Asset"},
		pluck="partner_type",
	)
	return not types or audience.partner_type in types


def asset_has_permission(doc, ptype=None, user=None, debug=False) -> bool:
	"""``has_permission`` of Partner Asset: a partner user reads a published asset whose audience
	its partner is in (the stored record decides, not the request's copy); nothing else. Frappe's
	private file download asks this for the asset's attachments."""
	user = user or frappe.session.user
	if not is_partner_scoped(user):
		return True
	if ptype not in (None, "read", "select") or agreement_pending(user) or doc.is_new():
		return False
	return asset_is_for(doc.name, asset_audience_of(user))


def asset_conditions(user: str) -> str:
	"""SQL on `tabPartner Asset`: the assets published today for ``user``'s partner."""
	from frappe.utils import today

	audience = asset_audience_of(user)
	if not audience or agreement_pending(user):
		return "1=0"
	day = frappe.db.escape(today())
	tiers = tiers_up_to(audience.rank)
	tier_rule = "ifnull(`tabPartner Asset`.`lowest_tier`, '') = ''"
	if tiers:
		tier_rule = f"({tier_rule} or `tabPartner Asset`.`lowest_tier` in ({_partner_values(tiers)}))"
	audience_rows = (
		"select 1 from `tabPartner Asset Audience` audience where audience.`parenttype` = 'Partner Asset'"
		" and audience.`parent` = `tabPartner Asset`.`name`"
	)
	type_rule = f"not exists ({audience_rows})"
	if audience.partner_type:
		type_rule = (
			f"({type_rule} or exists ({audience_rows} and audience.`partner_type` = "
			f"{frappe.db.escape(audience.partner_type)}))"
		)
	return (
		f"(`tabPartner Asset`.`published_from` <= {day}"
		f" and ifnull(`tabPartner Asset`.`published_until`, '9999-12-31') >= {day}"
		f" and {tier_rule} and {type_rule})"
	)


def asset_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""``permission_query_conditions`` of Partner Asset."""
	user = user or frappe.session.user
	if not is_partner_scoped(user):
		return ""
	return asset_conditions(user)


def asset_audience_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""``permission_query_conditions`` of Partner Asset Audience, read directly: only the rows of
	assets the user's partner sees."""
	user = user or frappe.session.user
	if not is_partner_scoped(user):
		return ""
	return (
		"`tabPartner Asset Audience`.`parenttype` = 'Partner Asset' and `tabPartner Asset Audience`.`parent` in "
		f"(select `name` from `tabPartner Asset` where {asset_conditions(user)})"
	)
