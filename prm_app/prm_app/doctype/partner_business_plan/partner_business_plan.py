# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A joint business plan of one partner for one fiscal year.

Both sides work on it: the channel team in the desk, the partner's admins on ``/partner/plan``.
Its ``workflow_state`` is the admin's (shipped: Draft -> Submit for Review -> Submitted -> Agree
-> Agreed, Request Changes back to Draft, Revise an agreed plan back to Draft); ``status`` is the
lifecycle (Draft, Submitted, Agreed) that these rules hang on, whatever the workflow says:

- objectives and quarterly targets change only in Draft; initiatives (their status), risks and
  the support asked for may be brought up to date at any time; review notes are only added;
- a submitted plan is agreed by the *other* side: what the partner submitted, the channel team
  agrees to, and the other way round; so neither side changes agreed targets silently;
- every agreed version is kept (its targets and objectives as they were agreed), and revising an
  agreed plan starts the next version;
- actuals are never typed: they are computed (``prm_app.integrations.plan_actuals``).
"""

import json

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, now_datetime

from prm_app import workflows
from prm_app.constants import (
	BUSINESS_PLAN,
	PARTNER,
	PLAN_AGREED,
	PLAN_DRAFT,
	PLAN_STATUSES,
	PLAN_SUBMITTED,
	QUARTERS,
	SIDE_PARTNER,
	SIDE_VENDOR,
)
from prm_app.engine.plans import METRICS
from prm_app.exceptions import BusinessPlanError
from prm_app.permissions import get_user_partners, is_partner_scoped

TEXT_LIMIT = 5000
ROW_LIMIT = 50
NUMBER_LIMIT = 1e13
# frozen outside Draft
PLAN_FIELDS = ("objectives",)
# set by the system only; a partner's request never writes them
SYSTEM_FIELDS = (
	"status",
	"version",
	"title",
	"partner_manager",
	"submitted_by",
	"submitted_side",
	"agreed_by",
	"agreed_on",
)


def side_of(user: str) -> str:
	return SIDE_PARTNER if is_partner_scoped(user) else SIDE_VENDOR


def targets_of(doc) -> list[dict]:
	return [
		{"quarter": row.quarter, **{metric: flt(row.get(metric)) for metric in METRICS}}
		for row in sorted(doc.get("targets") or [], key=lambda r: r.quarter)
	]


def snapshot_of(doc) -> str:
	return json.dumps(
		{"objectives": doc.objectives or "", "targets": targets_of(doc)}, sort_keys=True, default=str
	)


class PartnerBusinessPlan(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.partner_business_plan_initiative.partner_business_plan_initiative import (
			PartnerBusinessPlanInitiative,
		)
		from prm_app.prm_app.doctype.partner_business_plan_review.partner_business_plan_review import (
			PartnerBusinessPlanReview,
		)
		from prm_app.prm_app.doctype.partner_business_plan_target.partner_business_plan_target import (
			PartnerBusinessPlanTarget,
		)
		from prm_app.prm_app.doctype.partner_business_plan_version.partner_business_plan_version import (
			PartnerBusinessPlanVersion,
		)

		agreed_by: DF.Link | None
		agreed_on: DF.Datetime | None
		currency: DF.Link | None
		fiscal_year: DF.Link
		initiatives: DF.Table[PartnerBusinessPlanInitiative]
		naming_series: DF.Literal["PBP-.YYYY.-"]
		objectives: DF.Text | None
		partner: DF.Link
		partner_manager: DF.Link | None
		reviews: DF.Table[PartnerBusinessPlanReview]
		risks: DF.SmallText | None
		status: DF.Literal["Draft", "Submitted", "Agreed"]
		submitted_by: DF.Link | None
		submitted_side: DF.Literal["", "Partner", "Channel Team"]
		support_requested: DF.SmallText | None
		targets: DF.Table[PartnerBusinessPlanTarget]
		title: DF.Data | None
		version: DF.Int
		versions: DF.Table[PartnerBusinessPlanVersion]
		workflow_state: DF.Link | None
	# end: auto-generated types

	def onload(self):
		from prm_app.integrations.plan_actuals import target_vs_actual

		if not self.is_new() and self.fiscal_year and self.partner:
			self.set_onload("target_vs_actual", target_vs_actual(self))

	def before_validate(self):
		self.keep_system_fields()
		self.set_lifecycle_from_workflow()
		self.set_defaults()

	def validate(self):
		self.validate_partner()
		self.validate_values()
		self.validate_frozen()
		self.validate_reviews()
		self.validate_status_change()

	# -- setters

	def keep_system_fields(self):
		"""A partner's save keeps the system's values (REST can send any field); the lifecycle moves
		only through the workflow."""
		if not is_partner_scoped(frappe.session.user):
			return
		before = self.get_doc_before_save()
		for field in SYSTEM_FIELDS:
			if field == "status" and workflows.get_workflow(self.doctype):
				continue
			self.set(field, before.get(field) if before else None)
		self.set("versions", [row.as_dict() for row in before.versions] if before else [])
		if not before:
			self.version = 1

	def set_lifecycle_from_workflow(self):
		before = self.get_doc_before_save()
		previous = before.status if before else PLAN_DRAFT
		if not workflows.get_workflow(self.doctype):
			self.status = self.status or PLAN_DRAFT
			return
		state = self.get("workflow_state")
		moved = bool(state) and (not before or before.get("workflow_state") != state)
		status = workflows.lifecycle_of(self.doctype, state, PLAN_STATUSES) if moved else None
		wanted = self.status or previous
		self.status = status or previous
		if before and wanted != self.status:
			frappe.throw(
				_("A plan's status follows its workflow: use one of the workflow's actions."),
				BusinessPlanError,
				title=_("Invalid Status"),
			)
		if not before and self.status != PLAN_DRAFT:
			frappe.throw(_("A new plan starts as a Draft."), BusinessPlanError, title=_("Invalid Status"))

	def set_defaults(self):
		self.version = cint(self.version) or 1
		self.currency = self.currency or frappe.db.get_default("currency")
		self.title = f"{self.partner} {self.fiscal_year}"
		self.partner_manager = frappe.db.get_value(PARTNER, self.partner, "partner_manager")
		have = {row.quarter for row in self.targets}
		for quarter in QUARTERS:
			if quarter not in have:
				self.append("targets", {"quarter": quarter})
		self.targets.sort(key=lambda row: row.quarter)
		for idx, row in enumerate(self.targets, start=1):
			row.idx = idx

	# -- checks

	def validate_partner(self):
		user = frappe.session.user
		if is_partner_scoped(user) and self.partner not in get_user_partners(user):
			frappe.throw(_("You can only plan for your own partner."), frappe.PermissionError)
		before = self.get_doc_before_save()
		if before and (before.partner != self.partner or before.fiscal_year != self.fiscal_year):
			frappe.throw(_("A plan stays with its partner and fiscal year."), BusinessPlanError)
		duplicate = frappe.db.get_value(
			BUSINESS_PLAN,
			{"partner": self.partner, "fiscal_year": self.fiscal_year, "name": ("!=", self.name or "")},
			"name",
		)
		if duplicate:
			frappe.throw(
				_("{0} has a plan for {1} already: {2}.").format(self.partner, self.fiscal_year, duplicate),
				BusinessPlanError,
				title=_("Plan Exists"),
			)

	def validate_values(self):
		quarters = [row.quarter for row in self.targets]
		if sorted(quarters) != list(QUARTERS):
			frappe.throw(_("A plan has one row of targets per quarter."), BusinessPlanError)
		for row in self.targets:
			for metric in METRICS:
				value = flt(row.get(metric))
				if value < 0 or value > NUMBER_LIMIT:
					frappe.throw(
						_("{0}: {1} must be a number between 0 and {2}.").format(
							row.quarter, _(row.meta.get_label(metric)), int(NUMBER_LIMIT)
						),
						BusinessPlanError,
						title=_("Check the Targets"),
					)
		if len(self.initiatives) > ROW_LIMIT or len(self.reviews) > 4 * ROW_LIMIT:
			frappe.throw(_("This plan has too many rows."), BusinessPlanError)
		for field in ("objectives", "risks", "support_requested"):
			if len(self.get(field) or "") > TEXT_LIMIT:
				frappe.throw(
					_("{0}: keep it under {1} characters.").format(_(self.meta.get_label(field)), TEXT_LIMIT),
					BusinessPlanError,
				)

	def validate_frozen(self):
		"""Outside Draft, objectives and targets are as submitted or agreed."""
		before = self.get_doc_before_save()
		if not before or before.status == PLAN_DRAFT:
			return
		if self.status_changed_to(PLAN_DRAFT):
			return  # a transition back to Draft: nothing else changes in the same save
		changed = [f for f in PLAN_FIELDS if (before.get(f) or "") != (self.get(f) or "")]
		if targets_of(before) != targets_of(self):
			changed.append("targets")
		if changed:
			frappe.throw(
				_("This plan is {0}: its objectives and targets can change only after {1}.").format(
					_(before.status).lower(),
					_("changes are requested") if before.status == PLAN_SUBMITTED else _("it is revised"),
				),
				BusinessPlanError,
				title=_("Plan Frozen"),
			)

	def validate_reviews(self):
		"""Review notes are added, never changed or removed; each says who wrote it and when."""
		before = self.get_doc_before_save()
		old = {row.name: row for row in (before.reviews if before else [])}
		kept = {row.name for row in self.reviews if row.name in old}
		if set(old) - kept:
			frappe.throw(_("Review notes are kept: they cannot be removed."), BusinessPlanError)
		for row in self.reviews:
			if row.name in old:
				if (row.note or "") != (old[row.name].note or "") or row.quarter != old[row.name].quarter:
					frappe.throw(_("Review notes cannot be changed; add a new one."), BusinessPlanError)
				row.author, row.side, row.written_on = (
					old[row.name].author,
					old[row.name].side,
					old[row.name].written_on,
				)
				continue
			if not (row.note or "").strip() or row.quarter not in QUARTERS:
				frappe.throw(_("A review note needs its quarter and its text."), BusinessPlanError)
			if len(row.note) > TEXT_LIMIT:
				frappe.throw(
					_("Keep a review note under {0} characters.").format(TEXT_LIMIT), BusinessPlanError
				)
			row.author = frappe.session.user
			row.side = side_of(frappe.session.user)
			row.written_on = now_datetime()

	def status_changed_to(self, *statuses) -> bool:
		before = self.get_doc_before_save()
		return self.status in statuses and (before.status if before else None) != self.status

	def validate_status_change(self):
		before = self.get_doc_before_save()
		if not before or before.status == self.status:
			return
		user = frappe.session.user
		if self.status == PLAN_SUBMITTED:
			self.submitted_by = user
			self.submitted_side = side_of(user)
		elif self.status == PLAN_AGREED:
			if before.status != PLAN_SUBMITTED:
				frappe.throw(_("Only a submitted plan can be agreed."), BusinessPlanError)
			if side_of(user) == before.submitted_side:
				frappe.throw(
					_("The plan was submitted by the {0}: the other side agrees to it.").format(
						_(before.submitted_side).lower()
					),
					BusinessPlanError,
					title=_("Agreement Needs the Other Side"),
				)
			self.agreed_by = user
			self.agreed_on = now_datetime()
			self.append(
				"versions",
				{
					"version": self.version,
					"agreed_on": self.agreed_on,
					"agreed_by": user,
					"submitted_by": before.submitted_by,
					"snapshot": snapshot_of(self),
				},
			)
		elif self.status == PLAN_DRAFT and before.status == PLAN_AGREED:
			self.version = cint(before.version) + 1
			self.agreed_by = self.agreed_on = None

	def may_take(self, transition) -> bool:
		"""Whether the session user's side may take ``transition`` (the portal offers only those):
		agreeing to what one's own side submitted is refused."""
		status = workflows.lifecycle_of(self.doctype, transition.next_state, PLAN_STATUSES)
		return not (status == PLAN_AGREED and side_of(frappe.session.user) == self.submitted_side)

	# -- partner updates outside Draft (the caller checked: the partner's admin, its own plan)

	def add_review_note(self, quarter: str, note: str):
		row = self.append(
			"reviews",
			{
				"quarter": quarter,
				"note": note,
				"author": frappe.session.user,
				"side": side_of(frappe.session.user),
				"written_on": now_datetime(),
			},
		)
		row.db_insert()
		self.db_set("modified", now_datetime(), update_modified=False)
		return row
