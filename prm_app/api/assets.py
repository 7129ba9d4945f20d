"""The asset library on the portal (``/partner/assets``): the assets published for the caller's
partner, by category and search, and their download (counted per partner).

Which assets a partner sees is the asset's own permission rule (lowest tier, partner types,
publish window: ``prm_app.permissions.asset_query_conditions`` / ``asset_has_permission``), so the
list, the document, REST and Frappe's private file download agree.
"""

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from prm_app.constants import ASSET_DOWNLOAD, PARTNER_ASSET
from prm_app.permissions import current_partner
from prm_app.portal import forms
from prm_app.portal.text import as_text

PAGE_LENGTH = 24
SEARCH_LIMIT = 140
LIST_FIELDS = [
	"name",
	"title",
	"category",
	"description",
	"language",
	"published_from",
	"published_until",
	"file",
	"link",
]


def categories() -> list[str]:
	field = frappe.get_meta(PARTNER_ASSET).get_field("category")
	return [option for option in (field.options or "").split("\n") if option]


@frappe.whitelist()
def get_assets(category=None, search=None, page=1) -> dict:
	"""The assets published for the caller's partner, newest first."""
	current_partner()
	errors = {}
	if category and category not in categories():
		errors["category"] = _("Choose one of the listed categories.")
	search = search.strip() if isinstance(search, str) else ""
	if len(search) > SEARCH_LIMIT:
		errors["search"] = _("Keep the search under {0} characters.").format(SEARCH_LIMIT)
	if errors:
		forms.raise_input_error(errors)
	page = max(cint(page), 1)
	filters = [[PARTNER_ASSET, "category", "=", category]] if category else []
	or_filters = (
		[[PARTNER_ASSET, field, "like", f"%{search}%"] for field in ("title", "description")]
		if search
		else None
	)
	# frappe.get_list applies the asset's permission rule for the caller's partner
	rows = frappe.get_list(
		PARTNER_ASSET,
		filters=filters,
		or_filters=or_filters,
		fields=LIST_FIELDS,
		order_by="published_from desc, name desc",
		limit_start=(page - 1) * PAGE_LENGTH,
		limit_page_length=PAGE_LENGTH + 1,
	)
	more = len(rows) > PAGE_LENGTH
	for row in rows:
		as_text(row)
		row.kind = "file" if row.pop("file", None) else "link"
		row.pop("link", None)
	return {
		"rows": rows[:PAGE_LENGTH],
		"page": page,
		"more": more,
		"category": category or None,
		"search": search,
		"categories": categories(),
	}


@frappe.whitelist(methods=["POST"])
def download_asset(name=None) -> dict:
	"""Count a download of an asset published for the caller's partner, and give its address (the
	file's, which Frappe serves after checking the same permission, or the link)."""
	partner = current_partner()
	denied = _("This asset does not exist or is not available to you.")
	if not isinstance(name, str) or not frappe.db.exists(PARTNER_ASSET, name):
		frappe.throw(denied, frappe.PermissionError)
	doc = frappe.get_doc(PARTNER_ASSET, name)
	if not doc.has_permission("read"):
		frappe.throw(denied, frappe.PermissionError)
	frappe.get_doc(
		{
			"doctype": ASSET_DOWNLOAD,
			"asset": doc.name,
			"partner": partner,
			"user": frappe.session.user,
			"downloaded_on": now_datetime(),
		}
	).insert(ignore_permissions=True)  # the caller's own partner's download, established above
	table = frappe.qb.DocType(PARTNER_ASSET)
	frappe.qb.update(table).set(table.download_count, table.download_count + 1).where(
		table.name == doc.name
	).run()
	return {"url": doc.file or doc.link}
