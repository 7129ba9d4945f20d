"""The partner's company profile (``/partner/profile``): website, description, address and logo.

Read by every partner user, changed by its Partner Admins. The Partner is written with
``ignore_permissions`` only after ``require_partner_admin`` has proved that the caller is a
Partner Admin of that very partner, and only the fields named here change: the profile's fields
are set on the stored Partner directly (``db_set``, after the Partner's own website rule), so a
profile edit never re-runs the Partner's ERPNext integrations (Sales Partner, Customer, Supplier).
"""

import re

import frappe
from frappe import _
from frappe.utils import cint

from prm_app.constants import PARTNER
from prm_app.exceptions import InvalidWebsiteError
from prm_app.permissions import current_partner, is_partner_admin, require_partner_admin
from prm_app.portal import forms
from prm_app.portal.text import plain, text
from prm_app.prm_app.doctype.partner.partner import clean_website
from prm_app.queries import param, prepared

PROFILE_FIELDS = ("website", "description")
ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "state", "pincode", "country")
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"GIF87a": "gif", b"GIF89a": "gif"}
LOGO_MAX_BYTES = 2 * 1024 * 1024


@prepared
def primary_address():
	dynamic_link = frappe.qb.DocType("Dynamic Link")
	address = frappe.qb.DocType("Address")
	return (
		frappe.qb.from_(address)
		.join(dynamic_link)
		.on((dynamic_link.parent == address.name) & (dynamic_link.parenttype == "Address"))
		.select(address.name)
		.where((dynamic_link.link_doctype == PARTNER) & (dynamic_link.link_name == param("partner")))
		.orderby(address.is_primary_address, order=frappe.qb.desc)
		.orderby(address.creation)
		.limit(1)
	)


def partner_address(partner: str) -> str | None:
	rows = primary_address(partner=partner, as_list=True)
	return rows[0][0] if rows else None


@prepared
def profile_of():
	partner = frappe.qb.DocType(PARTNER)
	return (
		frappe.qb.from_(partner)
		.select(
			partner.name,
			partner.status,
			partner.program_tier,
			partner.website,
			partner.description,
			partner.logo,
		)
		.where(partner.name == param("partner"))
	)


@frappe.whitelist()
def get_profile() -> dict:
	partner = current_partner()  # the caller's own partner: its record is theirs to read
	if not frappe.has_permission(PARTNER, "read"):
		frappe.throw(_("You cannot see your partner's record."), frappe.PermissionError)
	doc = profile_of(partner=partner)[0]
	address_name = partner_address(partner)
	address = (
		frappe.db.get_value("Address", address_name, list(ADDRESS_FIELDS), as_dict=True)
		if address_name
		else frappe._dict()
	)
	return {
		"name": doc.name,
		"status": doc.status,
		"tier": doc.program_tier,
		"website": text(doc.website),
		"description": text(doc.description),
		"logo": doc.logo if (doc.logo or "").startswith("/files/") else None,
		"address": {field: text(address.get(field)) for field in ADDRESS_FIELDS},
		"can_edit": is_partner_admin(partner),
	}


def logo_kind(content: bytes) -> str | None:
	return next((kind for magic, kind in LOGO_TYPES.items() if content.startswith(magic)), None)


@frappe.whitelist(methods=["POST"])
def update_profile(**values) -> dict:
	"""Change the public details the programme lets a partner edit: website, description, address
	and logo (an uploaded PNG, JPEG or GIF, as ``logo`` in a multipart request)."""
	partner = require_partner_admin()
	errors, clean = {}, {}
	for field in (*PROFILE_FIELDS, *ADDRESS_FIELDS):
		raw = values.get(field)
		text = raw.strip() if isinstance(raw, str) else ""
		limit = forms.TEXT_LIMIT if field == "description" else 140
		if len(text) > limit:
			errors[field] = _("Keep this under {0} characters.").format(limit)
		clean[field] = text
	if clean["website"] and not re.match(r"^(https?://)?[^\s/:]+\.[^\s]+$", clean["website"], re.I):
		errors["website"] = _("Enter a website such as acme.com or https://www.acme.com.")
	address_given = any(clean[f] for f in ADDRESS_FIELDS)
	if address_given:
		for field in ("address_line1", "city", "country"):
			if not clean[field] and field not in errors:
				errors[field] = _("This field is required.")
		if clean["country"] and not frappe.db.exists("Country", clean["country"]):
			errors["country"] = _("Choose one of the listed values.")

	logo = uploaded_logo(errors)
	if errors:
		forms.raise_input_error(errors)

	doc = frappe.get_doc(PARTNER, partner, for_update=True)
	try:
		website, domain = clean_website(clean["website"])
	except InvalidWebsiteError as e:
		forms.raise_input_error({"website": plain(e)})
	changes = {"website": website, "domain": domain, "description": clean["description"] or None}
	changes = {field: value for field, value in changes.items() if doc.get(field) != value}
	if changes:
		doc.db_set(changes, notify=True)  # checked: the caller is this partner's admin
		doc.add_comment("Edit", _("Profile changed on the partner portal: {0}").format(", ".join(changes)))
	if address_given:
		save_address(partner, doc.partner_name, clean)
	if logo:
		save_logo(doc, *logo)
	elif cint(values.get("remove_logo")) and doc.logo:
		doc.db_set("logo", None)
	frappe.clear_messages()
	return get_profile()


def uploaded_logo(errors: dict) -> tuple[str, bytes] | None:
	files = getattr(frappe.request, "files", None) if frappe.request else None
	upload = files.get("logo") if files else None
	if not upload or not upload.filename:
		return None
	content = upload.stream.read(LOGO_MAX_BYTES + 1)
	if len(content) > LOGO_MAX_BYTES:
		errors["logo"] = _("The logo must be smaller than 2 MB.")
		return None
	kind = logo_kind(content)
	if not kind:
		errors["logo"] = _("Upload a PNG, JPEG or GIF image.")
		return None
	return kind, content


def save_address(partner: str, partner_name: str, values: dict):
	name = partner_address(partner)
	address = frappe.get_doc("Address", name) if name else frappe.new_doc("Address")
	if not name:
		address.address_title = partner_name
		address.address_type = "Office"
		address.is_primary_address = 1
		address.append("links", {"link_doctype": PARTNER, "link_name": partner})
	for field in ADDRESS_FIELDS:
		address.set(field, values.get(field) or None)
	address.save(ignore_permissions=True)  # checked: the address linked to the caller's partner


def save_logo(doc, kind: str, content: bytes):
	"""Attach the new logo as a public file and drop the previous ones."""
	old = frappe.get_all(
		"File",
		filters={"attached_to_doctype": PARTNER, "attached_to_name": doc.name, "attached_to_field": "logo"},
		pluck="name",
	)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{frappe.scrub(doc.name)}-logo.{kind}",
			"attached_to_doctype": PARTNER,
			"attached_to_name": doc.name,
			"attached_to_field": "logo",
			"is_private": 0,
			"content": content,
		}
	)
	file.save(ignore_permissions=True)  # checked: the caller is this partner's admin
	doc.db_set("logo", file.file_url)
	for name in old:
		frappe.delete_doc("File", name, ignore_permissions=True)
