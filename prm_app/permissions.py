"""Who sees which partner-owned record.

A user listed in a Partner's ``users`` table (or holding a partner role) is *partner-scoped*:
every list, form, REST call, link search and report gives them only their own partner's rows.
Internal users (System Manager, Partner Manager, Administrator) are not scoped; other desk users
keep whatever their role permissions give them.

Each partner-owned doctype is registered in hooks.py with the two functions made by
``scoped_to_partner(doctype, partner_field)``; the integration tests fail when a doctype with a
link to Partner is left out (see ``prm_app.tests.test_isolation``).
"""

import frappe

PRIVILEGED_ROLES = frozenset({"System Manager", "Partner Manager"})
PARTNER_ROLES = frozenset({"Partner", "Partner Admin"})

# doctype -> the field holding the owning Partner ("name" for Partner itself).
PARTNER_OWNED: dict[str, str] = {
	"Partner": "name",
	"Deal Registration": "partner",
}


# child doctype -> its partner-owned parent: a partner sees only its own parents' rows.
PARTNER_OWNED_CHILDREN: dict[str, str] = {
	"Partner User": "Partner",
	"Deal Registration Item": "Deal Registration",
	"Deal Registration Extension": "Deal Registration",
}
# child doctypes a partner never reads (conflict evidence names other partners).
HIDDEN_FROM_PARTNERS: frozenset[str] = frozenset({"Deal Registration Conflict", "Channel Conflict Record"})


def is_privileged(user: str) -> bool:
	if user == "Administrator":
		return True
	return bool(PRIVILEGED_ROLES.intersection(frappe.get_roles(user)))


def get_user_partners(user: str | None = None) -> list[str]:
	"""Names of the Partners that list ``user`` in their users table."""
	user = user or frappe.session.user
	if not user or user == "Guest":
		return []
	return frappe.get_all(
		"Partner User",
		filters={"user": user, "parenttype": "Partner", "parentfield": "users"},
		pluck="parent",
		distinct=True,
	)


def is_partner_scoped(user: str) -> bool:
	if is_privileged(user):
		return False
	if PARTNER_ROLES.intersection(frappe.get_roles(user)):
		return True
	return bool(get_user_partners(user))


def get_partner_for_user(user: str | None = None) -> str | None:
	"""The one Partner a website user acts for (a user belongs to at most one Partner)."""
	partners = get_user_partners(user)
	return partners[0] if partners else None


def scoped_query_conditions(doctype: str, user: str | None = None) -> str:
	user = user or frappe.session.user
	if not is_partner_scoped(user):
		return ""
	partners = get_user_partners(user)
	if not partners:
		return "1=0"
	field = PARTNER_OWNED[doctype]
	values = ", ".join(frappe.db.escape(p) for p in partners)
	return f"`tab{doctype}`.`{field}` in ({values})"


def scoped_has_permission(doc, user: str | None = None) -> bool | None:
	"""False (deny) when a partner-scoped user asks for another partner's record; None otherwise,
	so role permissions decide as usual."""
	user = user or frappe.session.user
	if not is_partner_scoped(user):
		return None
	owner = doc.get(PARTNER_OWNED[doc.doctype])
	if not owner or owner not in get_user_partners(user):
		return False
	return None


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
	if not partners:
		return "1=0"
	values = ", ".join(frappe.db.escape(p) for p in partners)
	return (
		f"`tab{doctype}`.`parenttype` = {frappe.db.escape(parent)} and `tab{doctype}`.`parent` in "
		f"(select `name` from `tab{parent}` where `{PARTNER_OWNED[parent]}` in ({values}))"
	)


def partner_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	return scoped_query_conditions("Partner", user)


def partner_has_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	return scoped_has_permission(doc, user)


def deal_registration_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	return scoped_query_conditions("Deal Registration", user)


def deal_registration_has_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	return scoped_has_permission(doc, user)


def can_open_desk_workspace() -> bool:
	return is_privileged(frappe.session.user)
