"""What MDF Request and MDF Claim share: a partner-facing document whose lifecycle follows the
admin's workflow, and the rules that hold whatever the workflow says.

As for deal registrations, two fields carry the state: ``workflow_state`` (the admin's, edited in the
Workflow form) and ``status`` (the app's lifecycle, set through each state's "Update Field"). A
partner's user:

- acts only for its own partner, and only if it may act on MDF (a Partner Admin, or any partner
  user when PRM Settings' "Partner Users May Request and Claim MDF" is on);
- never approves or rejects, whatever transitions an admin grants the partner roles;
- never writes the system's fields (amounts decided, payouts, decisions), whatever a REST call
  sends;
- edits only where the workflow lets it edit ("Only Allow Edit For"; the Draft state as shipped).
"""

import frappe
from frappe import _
from frappe.model import table_fields
from frappe.model.document import Document
from frappe.utils import flt, getdate, now_datetime

from prm_app import workflows
from prm_app.constants import APPROVED, DRAFT, PARTNER, REJECTED
from prm_app.exceptions import MDFStateError, PartnerNotActiveError, SelfApprovalError
from prm_app.permissions import get_user_partners, is_partner_admin, is_partner_scoped

DECISIONS = (APPROVED, REJECTED)
LAYOUT = ("Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading")


def partner_users_may_act() -> bool:
	return bool(frappe.db.get_single_value("PRM Settings", "mdf_partner_users_act"))


def may_act(partner: str | None, user: str | None = None) -> bool:
	"""Whether ``user`` may request funds and file claims for ``partner`` (staff: always)."""
	user = user or frappe.session.user
	if not is_partner_scoped(user):
		return True
	if not partner or partner not in get_user_partners(user):
		return False
	return is_partner_admin(partner, user) or partner_users_may_act()


class PartnerWorkflowDocument(Document):
	"""A mixin for partner-facing MDF documents (not a doctype)."""

	STATUSES: tuple = ()
	# set by the system only: a partner's request never writes them
	SYSTEM_FIELDS: tuple = ()
	# never edited by a partner, even where the workflow lets it edit
	FIXED_FIELDS: tuple = ("partner", "naming_series", "amended_from")

	# -- one lock order

	def load_doc_before_save(self, *, raise_exception: bool = False):
		"""Whoever changes an MDF document locks its budget first, then the document's own row
		(Frappe's save locks the row here): one lock order for everything that spends a budget, so
		a concurrent approval queues on the budget's lock instead of deadlocking on rows the other
		transaction holds."""
		if not self.is_new():
			self.lock_budgets()
		super().load_doc_before_save(raise_exception=raise_exception)

	def lock_budgets(self):
		from prm_app.constants import MDF_BUDGET
		from prm_app.integrations import mdf_budget

		names = {self.get("budget"), frappe.db.get_value(self.doctype, self.name, "budget")}
		for name in sorted(n for n in names if n and isinstance(n, str)):
			if frappe.db.exists(MDF_BUDGET, name):
				mdf_budget.lock(name)

	# -- setters

	def keep_system_fields(self):
		"""A partner user's save keeps the system's values (REST can send any field)."""
		if not is_partner_scoped(frappe.session.user):
			return
		before = self.get_doc_before_save()
		for fieldname in self.SYSTEM_FIELDS:
			if fieldname in ("workflow_state", "status") and workflows.get_workflow(self.doctype):
				continue  # Frappe checks the transition, set_lifecycle_from_workflow the status
			df = self.meta.get_field(fieldname)
			if df and df.fieldtype in table_fields:
				continue
			self.set(fieldname, before.get(fieldname) if before else None)

	def set_lifecycle_from_workflow(self):
		"""The lifecycle status follows the workflow state; a status written directly is refused."""
		before = self.get_doc_before_save()
		if not workflows.get_workflow(self.doctype):
			self.status = (before.status if before else None) or DRAFT
			return
		state = self.get("workflow_state")
		moved = bool(state) and (not before or before.get("workflow_state") != state)
		previous = before.status if before else DRAFT
		status = workflows.lifecycle_of(self.doctype, state, self.STATUSES) if moved else None
		wanted = self.status or previous
		self.status = status or previous
		if wanted != self.status and before:
			self.refuse_direct_status(wanted)

	def refuse_direct_status(self, wanted: str):
		if wanted in DECISIONS and is_partner_scoped(frappe.session.user):
			self.refuse_partner_decision()
		frappe.throw(
			_("The status follows the workflow: use one of its actions."),
			MDFStateError,
			title=_("Invalid Status"),
		)

	def refuse_partner_decision(self):
		frappe.throw(
			_("Only the channel team can approve or reject MDF requests and claims."),
			SelfApprovalError,
			title=_("Not Allowed"),
		)

	# -- checks

	def validate_partner_identity(self):
		"""The partner exists, is the user's own (partner users), never changes, and is Active
		for anything new."""
		status = frappe.db.get_value(PARTNER, self.partner, "status") if self.partner else None
		if status is None:
			frappe.throw(_("Choose the partner."), PartnerNotActiveError, title=_("Unknown Partner"))
		user = frappe.session.user
		if is_partner_scoped(user) and self.partner not in get_user_partners(user):
			frappe.throw(
				_("You can only act for your own partner."), frappe.PermissionError, title=_("Not Allowed")
			)
		before = self.get_doc_before_save()
		if before and before.partner != self.partner:
			frappe.throw(
				_("A document stays with the partner it was made for."),
				MDFStateError,
				title=_("Partner Cannot Change"),
			)
		if status != "Active" and (self.is_new() or self.status_changed_to(self.submitted_status())):
			frappe.throw(
				_("Partner {0} is {1}: only Active partners use MDF.").format(
					frappe.bold(self.partner), _(status)
				),
				PartnerNotActiveError,
				title=_("Partner Not Active"),
			)

	def submitted_status(self) -> str:
		return "Submitted"

	def check_may_act(self):
		if not may_act(self.partner):
			frappe.throw(
				_("Only your Partner Admins can request MDF and file claims."),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)

	def validate_may_act(self):
		"""A partner user who may only see MDF writes nothing (REST included)."""
		if is_partner_scoped(frappe.session.user):
			self.check_may_act()

	def validate_decision(self):
		"""Partners never decide; the channel team's decision is recorded."""
		if self.status_changed_to(*DECISIONS):
			if is_partner_scoped(frappe.session.user):
				self.refuse_partner_decision()
			self.approver = frappe.session.user
			self.decided_on = now_datetime()

	def partner_editable_fields(self) -> list[str]:
		return [
			df.fieldname
			for df in self.meta.fields
			if not df.permlevel
			and not df.read_only
			and df.fieldtype not in LAYOUT
			and df.fieldname not in self.SYSTEM_FIELDS
			and df.fieldname not in self.FIXED_FIELDS
		]

	def comparable(self, doc, fieldname):
		df = self.meta.get_field(fieldname)
		value = doc.get(fieldname)
		if df.fieldtype in table_fields:
			return [
				tuple(
					(k, str(v))
					for k, v in sorted(row.as_dict(no_default_fields=True).items())
					if k not in ("idx", "lead")
				)
				for row in value or []
			]
		if df.fieldtype == "Date":
			return getdate(value) if value else None
		if df.fieldtype in ("Currency", "Float", "Int", "Percent", "Check"):
			return round(flt(value), 6)
		return (value or "").strip() if isinstance(value, str) else value or ""

	def changed_fields(self, before, fieldnames) -> list[str]:
		return [f for f in fieldnames if self.comparable(before, f) != self.comparable(self, f)]

	def partner_may_edit(self, before) -> bool:
		if before.docstatus != 0:
			return False
		if workflows.get_workflow(self.doctype):
			return workflows.can_edit(before)
		return before.status == DRAFT

	def validate_partner_changes(self):
		"""Outside the states the workflow lets a partner edit, what it entered is frozen."""
		if self.is_new() or not is_partner_scoped(frappe.session.user):
			return
		before = self.get_doc_before_save()
		if self.partner_may_edit(before):
			return
		if self.changed_fields(before, self.partner_editable_fields()):
			frappe.throw(
				_("{0} is {1}: it can no longer be edited.").format(
					self.name, _(before.get("workflow_state") or before.status)
				),
				MDFStateError,
				title=_("Not Editable"),
			)

	def status_changed_to(self, *statuses) -> bool:
		before = self.get_doc_before_save()
		old = before.status if before else None
		return self.status in statuses and old != self.status

	# -- the system's own changes

	def set_status_by_system(self, status: str, reason: str | None = None):
		"""A lifecycle change the workflow does not own (a request closed by the channel team, a
		claim cancelled), with the state that stands for it, recorded in the timeline."""
		before = self.status
		values = {"status": status}
		state = workflows.state_for(self.doctype, status)
		if state:
			values["workflow_state"] = state
		self.db_set(values, notify=True)
		self.add_comment(
			"Info",
			_("Status changed from {0} to {1}.").format(_(before), _(status))
			+ (f" {reason}" if reason else ""),
		)

	def stored(self, ptype: str = "write"):
		"""The stored document this request names, locked, with permission checked on it (a
		whitelisted method is reachable through ``run_doc_method`` with a forged body)."""
		if not self.name or not isinstance(self.name, str) or not frappe.db.exists(self.doctype, self.name):
			frappe.throw(_("This document does not exist."), frappe.PermissionError)
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		doc.check_permission(ptype)
		return doc

	def require_channel_team(self):
		if is_partner_scoped(frappe.session.user):
			frappe.throw(
				_("Only the channel team can do this."), frappe.PermissionError, title=_("Not Allowed")
			)
