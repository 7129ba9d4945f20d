"""Files a partner's user makes or changes through Frappe's generic paths: ``upload_file``,
``/api/resource/File``, ``frappe.client.insert`` / ``set_value``, Web Forms.

Frappe lets any signed-in user make a File, and lets its owner download it. So without these rules
a partner's user could:

- attach files to another partner's records (Frappe asks only for the File's own create right);
- make a File from a path alone (``file_url``): Frappe copies what is stored there, another
  partner's proof or a private asset of a higher tier, and its owner may then download it;
- name an ``attached_to_field``: Frappe writes the file's URL into that field when the file moves
  between public and private, past the document's validation and workflow (a registration's status);
- re-point a File it owns at another record or another stored file.

The rules, for partner users only (the channel team and server code that saves with
``ignore_permissions`` are not concerned):

- a new File carries its content (an upload), never only a path;
- it is attached only to a record the user may change, and only to one of that record's Attach
  fields the user may edit;
- once made, its record, field and path stay as they are.

``has_permission`` (``create``) applies the first two before Frappe reads anything; ``before_validate``
the third. MDF proof has stricter rules still (prm_app/integrations/proof_files.py).
"""

import frappe
from frappe import _

ATTACH_FIELDTYPES = ("Attach", "Attach Image")
PINNED = ("attached_to_doctype", "attached_to_name", "attached_to_field", "file_url")


def _partner_user(user: str | None = None) -> bool:
	from prm_app.permissions import is_partner_scoped

	user = user or frappe.session.user
	return user not in ("Administrator", "Guest") and is_partner_scoped(user)


def no_objection():
	"""What a ``has_permission`` hook returns to leave the decision to the others (Frappe's own
	File rules among them): None on Frappe 15, where any other answer ends the check; True on
	Frappe 16, where any falsy answer is a denial."""
	return True if int(frappe.__version__.split(".")[0]) >= 16 else None


def has_permission(doc, ptype=None, user=None, debug=False):
	"""``has_permission`` hook of File: a partner user's new File, before Frappe stores anything.
	Refuses with a reason; otherwise leaves the decision to Frappe's own rules."""
	if ptype == "create" and not isinstance(doc, str | dict) and _partner_user(user):
		check_new_file(doc, user or frappe.session.user)
	return no_objection()


def check_new_file(doc, user: str) -> None:
	if not doc.get("is_folder") and not doc.get("content"):
		frappe.throw(
			_("Upload the file itself: a file cannot be made from one already stored."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	doctype, name, field = (doc.get(key) for key in PINNED[:3])
	if not doctype:
		if name or field:
			_refuse()
		return
	if (
		not isinstance(doctype, str)
		or not isinstance(name, str | int)
		or not frappe.db.exists("DocType", doctype)
		or not frappe.db.exists(doctype, name)
		or not frappe.has_permission(doctype, "write", doc=str(name), user=user)
	):
		_refuse()
	if field:
		meta = frappe.get_meta(doctype)
		df = meta.get_field(field) if isinstance(field, str) else None
		if (
			not df
			or df.fieldtype not in ATTACH_FIELDTYPES
			or df.read_only
			or df.permlevel not in meta.get_permlevel_access("write", user=user)
		):
			frappe.throw(
				_("Files can only be attached to {0}'s attachment fields.").format(_(doctype)),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)


def _refuse():
	frappe.throw(
		_("You can only attach files to records of your own partner that you may change."),
		frappe.PermissionError,
		title=_("Not Permitted"),
	)


def before_validate(doc, method=None) -> None:
	"""``doc_events`` File: a partner user's File keeps its record, field and path."""
	if doc.is_new() or doc.flags.ignore_permissions or not _partner_user():
		return
	before = doc.get_doc_before_save() or frappe.db.get_value("File", doc.name, PINNED, as_dict=True)
	if before and any((doc.get(key) or None) != (before.get(key) or None) for key in PINNED):
		frappe.throw(
			_("A file's record, field and location cannot be changed."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
