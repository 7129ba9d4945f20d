"""Proof of performance: the files attached to an MDF claim.

They are private files (``/private/files/...``) attached to the claim, so Frappe serves them only
to users who may read the claim: the partner's own users and the channel team. A partner's user
attaches them only through ``attach`` (the claim page of the portal, ``prm_app.api.mdf.upload_proof``);
Frappe's generic ``upload_file`` and REST on File are refused to partner users for MDF documents
(``doc_events`` of File), since they take any file, or a path to one already on the server. So:

- only to its own partner's claim, while it is a draft, and only if the user may act on MDF (a
  Partner Admin, or any partner user when PRM Settings allows it);
- at most PRM Settings' "Largest Proof File (MB)", of a type it accepts, the content matching the
  type (a PDF starts like a PDF), at most ``MAX_FILES`` per claim, checked before anything is stored;
- always private; a partner can neither make it public, nor change or remove it once the claim
  has been submitted.
"""

import os

import frappe
from frappe import _
from frappe.utils import cint

from prm_app.constants import DRAFT, MDF_CLAIM
from prm_app.exceptions import ProofOfPerformanceError

MAX_FILES = 20
DEFAULT_MAX_MB = 10
ZIP = (b"PK\x03\x04",)
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
	"pdf": (b"%PDF-",),
	"png": (b"\x89PNG\r\n\x1a\n",),
	"jpg": (b"\xff\xd8\xff",),
	"jpeg": (b"\xff\xd8\xff",),
	"gif": (b"GIF87a", b"GIF89a"),
	"webp": None,  # RIFF....WEBP, checked below
	"docx": ZIP,
	"xlsx": ZIP,
	"pptx": ZIP,
	"csv": None,  # text
	"txt": None,  # text
}
TEXT_TYPES = ("csv", "txt")


def accepted_types() -> list[str]:
	raw = frappe.db.get_single_value("PRM Settings", "mdf_file_types") or ", ".join(SIGNATURES)
	wanted = [part.strip().lower().lstrip(".") for part in raw.split(",")]
	return [kind for kind in wanted if kind in SIGNATURES] or list(SIGNATURES)


def max_bytes() -> int:
	mb = cint(frappe.db.get_single_value("PRM Settings", "mdf_max_file_mb")) or DEFAULT_MAX_MB
	return mb * 1024 * 1024


def content_matches(kind: str, content: bytes) -> bool:
	if kind in TEXT_TYPES:
		if b"\x00" in content:
			return False
		try:
			content.decode("utf-8")
		except UnicodeDecodeError:
			return False
		return True
	if kind == "webp":
		return content[:4] == b"RIFF" and content[8:12] == b"WEBP"
	return any(content.startswith(magic) for magic in SIGNATURES[kind] or ())


def problem_with(filename: str | None, content: bytes | None) -> str | None:
	"""Why a proof file is refused (a translated sentence), or None when it is fine."""
	name = os.path.basename(filename or "").strip()
	if not name:
		return _("Choose a file.")
	if content is None or not len(content):
		return _("{0} is empty.").format(name)
	limit = max_bytes()
	if len(content) > limit:
		return _("{0} is larger than {1} MB.").format(name, limit // (1024 * 1024))
	kind = os.path.splitext(name)[1].lower().lstrip(".")
	types = accepted_types()
	if kind not in types:
		return _("{0}: only these file types are accepted: {1}.").format(name, ", ".join(types))
	if not content_matches(kind, content):
		return _("{0} is not a valid .{1} file.").format(name, kind)
	return None


def proof_count(claim: str) -> int:
	return frappe.db.count(
		"File", {"attached_to_doctype": MDF_CLAIM, "attached_to_name": claim, "is_folder": 0}
	)


GUARDED = ("MDF Request", MDF_CLAIM)


def _partner_claim(doc, action: str):
	"""The claim a partner user's File names, after checking the user may change its proof now."""
	from prm_app.permissions import is_partner_scoped

	if doc.get("attached_to_doctype") not in GUARDED or not is_partner_scoped(frappe.session.user):
		return None
	if doc.get("attached_to_doctype") != MDF_CLAIM:
		frappe.throw(_("Files cannot be attached here."), frappe.PermissionError)
	name = doc.get("attached_to_name")
	if not isinstance(name, str) or not frappe.db.exists(MDF_CLAIM, name):
		frappe.throw(_("This MDF claim does not exist."), frappe.PermissionError)
	claim = frappe.get_doc(MDF_CLAIM, name)
	if not claim.has_permission("write"):
		frappe.throw(_("You can only add proof to your own partner's claims."), frappe.PermissionError)
	claim.check_may_act()
	if claim.docstatus != 0 or claim.status != DRAFT:
		frappe.throw(
			_("Claim {0} has been submitted: its proof can no longer be {1}.").format(claim.name, action),
			ProofOfPerformanceError,
			title=_("Claim Submitted"),
		)
	return claim


def check_new_proof(claim: str, filename: str | None, content: bytes | None) -> None:
	"""Refuse a proof file before anything is stored: its name, size, type and content, and the
	claim's number of files."""
	problem = problem_with(filename, content)
	if problem:
		frappe.throw(problem, ProofOfPerformanceError, title=_("Proof of Performance"))
	if proof_count(claim) >= MAX_FILES:
		frappe.throw(
			_("A claim takes at most {0} files.").format(MAX_FILES),
			ProofOfPerformanceError,
			title=_("Proof of Performance"),
		)


def attach(claim, filename: str, content: bytes):
	"""Attach a checked proof file to ``claim`` (whose permission the caller has checked): a
	private File; the one path by which partner users attach proof."""
	check_new_proof(claim.name, filename, content)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": os.path.basename(filename),
			"attached_to_doctype": MDF_CLAIM,
			"attached_to_name": claim.name,
			"is_private": 1,
			"content": content,
		}
	)
	file.flags.prm_proof = True
	file.insert()
	return file


def before_insert(doc, method=None) -> None:
	"""``doc_events`` File: partner users attach proof only through ``attach`` (the portal and
	``prm_app.api.mdf.upload_proof``), never by Frappe's generic upload or REST, which would take
	any file, or a path to one already on the server."""
	claim = _partner_claim(doc, _("changed"))
	if claim and not doc.flags.prm_proof:
		frappe.throw(
			_("Attach proof of performance on the claim's page of the partner portal."),
			frappe.PermissionError,
		)
	if claim:
		doc.is_private = 1


def validate(doc, method=None) -> None:
	"""``doc_events`` File: partners never change an attached proof file, and proof stays private."""
	if doc.is_new():
		return
	_partner_claim(doc, _("changed"))
	if doc.get("attached_to_doctype") == MDF_CLAIM and not doc.is_private:
		frappe.throw(
			_("Proof of performance stays private."), ProofOfPerformanceError, title=_("Private File")
		)


def on_trash(doc, method=None) -> None:
	"""``doc_events`` File: a partner removes proof only from its own draft claims."""
	_partner_claim(doc, _("removed"))
