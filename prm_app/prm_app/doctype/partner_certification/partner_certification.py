# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A person's certification: earned by passing a module, valid until its expiry, revocable by the
channel team with a reason. Active certifications count towards a tier's certified people."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, today

from prm_app.constants import (
	CERT_ACTIVE,
	CERT_EXPIRED,
	CERT_REVOKED,
	PARTNER,
	PARTNER_CERTIFICATION,
	TRAINING_MODULE,
)
from prm_app.exceptions import CertificationError
from prm_app.integrations import training
from prm_app.permissions import is_partner_scoped


class PartnerCertification(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attempt: DF.Link | None
		certification_name: DF.Data | None
		certified_on: DF.Date
		contact: DF.Link | None
		expires_on: DF.Date | None
		full_name: DF.Data | None
		lapse_impact: DF.SmallText | None
		module: DF.Link
		partner: DF.Link
		partner_admins: DF.SmallText | None
		revoked_by: DF.Link | None
		revoked_on: DF.Date | None
		revoked_reason: DF.SmallText | None
		score: DF.Percent
		status: DF.Literal["Active", "Expired", "Revoked"]
		user: DF.Link
	# end: auto-generated types

	def before_validate(self):
		self.set_names()

	def validate(self):
		self.validate_person()
		self.validate_dates()
		self.validate_revocation()

	def set_names(self):
		if self.module and not self.certification_name:
			self.certification_name = frappe.db.get_value(TRAINING_MODULE, self.module, "certification_name")
		if self.user and not self.contact:
			self.contact = training.contact_of(self.user)
		if self.partner:
			self.partner_admins = training.partner_admin_emails(self.partner)

	def validate_person(self):
		member = frappe.db.exists(
			"Partner User",
			{"parent": self.partner, "parenttype": PARTNER, "parentfield": "users", "user": self.user},
		)
		if not member and self.is_new():
			frappe.throw(
				_("{0} is not a user of partner {1}.").format(
					frappe.bold(self.user), frappe.bold(self.partner)
				),
				CertificationError,
				title=_("Not a Partner User"),
			)

	def validate_dates(self):
		if self.expires_on and self.certified_on and getdate(self.expires_on) < getdate(self.certified_on):
			frappe.throw(
				_("A certification cannot expire before it is granted."),
				CertificationError,
				title=_("Invalid Dates"),
			)

	def validate_revocation(self):
		if self.status == CERT_REVOKED and not (self.revoked_reason or "").strip():
			frappe.throw(
				_("Give the reason for revoking this certification."),
				CertificationError,
				title=_("Reason Missing"),
			)

	@frappe.whitelist()
	def revoke(self, reason=None):
		"""The channel team revokes an Active certification, with a reason. (Reachable through
		``run_doc_method``: the stored record is loaded, locked and checked.)"""
		if not isinstance(self.name, str) or not frappe.db.exists(self.doctype, self.name):
			frappe.throw(_("This certification does not exist."), frappe.PermissionError)
		if is_partner_scoped(frappe.session.user):
			frappe.throw(_("Only the channel team can revoke certifications."), frappe.PermissionError)
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		doc.check_permission("write")
		reason = reason.strip() if isinstance(reason, str) else ""
		if not reason:
			frappe.throw(
				_("Give the reason for revoking this certification."),
				CertificationError,
				title=_("Reason Missing"),
			)
		if doc.status != CERT_ACTIVE:
			frappe.throw(
				_("Only an Active certification can be revoked; this one is {0}.").format(_(doc.status)),
				CertificationError,
				title=_("Not Active"),
			)
		doc.status = CERT_REVOKED
		doc.revoked_reason = reason
		doc.revoked_by = frappe.session.user
		doc.revoked_on = getdate(today())
		doc.save()
		return doc.status


def certify(attempt) -> str | None:
	"""Grant (or renew) the certification a passed attempt earns: one record per person and module,
	Active from today, expiring after the module's validity."""
	module = frappe.get_cached_doc(TRAINING_MODULE, attempt.module)
	certified_on = getdate(today())
	values = {
		"status": CERT_ACTIVE,
		"score": attempt.score,
		"attempt": attempt.name,
		"certified_on": certified_on,
		"expires_on": training.expiry_of(certified_on, module.validity_months),
		"certification_name": module.certification_name or module.title,
		"revoked_reason": None,
		"revoked_by": None,
		"revoked_on": None,
	}
	existing = frappe.db.get_value(
		PARTNER_CERTIFICATION,
		{
			"user": attempt.user,
			"module": attempt.module,
			"partner": attempt.partner,
			"status": ("!=", CERT_REVOKED),
		},
		"name",
	)
	if existing:
		doc = frappe.get_doc(PARTNER_CERTIFICATION, existing)
		doc.update(values)
	else:
		doc = frappe.get_doc(
			{
				"doctype": PARTNER_CERTIFICATION,
				"user": attempt.user,
				"partner": attempt.partner,
				"module": attempt.module,
				**values,
			}
		)
	doc.flags.ignore_permissions = True  # earned by the attempt the server graded
	doc.save()
	refresh_lapse_impact([doc.partner])
	return doc.name


def expire_lapsed(on=None) -> int:
	"""Active certifications whose expiry has passed become Expired (set-based)."""
	cert = frappe.qb.DocType(PARTNER_CERTIFICATION)
	on = getdate(on or today())
	lapsed = (
		frappe.qb.from_(cert)
		.select(cert.name)
		.where((cert.status == CERT_ACTIVE) & cert.expires_on.isnotnull() & (cert.expires_on < on))
	).run(pluck=True)
	for i in range(0, len(lapsed), 1000):
		frappe.qb.update(cert).set(cert.status, CERT_EXPIRED).where(
			cert.name.isin(lapsed[i : i + 1000])
		).run()
	return len(lapsed)


def refresh_lapse_impact(partners: list[str] | None = None) -> int:
	"""Keep each Active certification's ``lapse_impact`` (what its partner's coming lapses cost) and
	``partner_admins`` (the notification's recipients) current. One grouped read; writes only rows
	whose text changed."""
	by_partner = training.active_certifications(partners)
	partner_tiers = dict(
		frappe.get_all(
			PARTNER,
			filters={"name": ("in", list(by_partner) or [""])},
			fields=["name", "program_tier"],
			as_list=True,
		)
	)
	tiers = training.tiers_by_name()
	days = training.lapse_days()
	emails = training.admin_emails_by_partner(partners)
	cert = frappe.qb.DocType(PARTNER_CERTIFICATION)
	query = (
		frappe.qb.from_(cert)
		.select(cert.name, cert.partner, cert.lapse_impact, cert.partner_admins)
		.where(cert.status == CERT_ACTIVE)
	)
	if partners is not None:
		query = query.where(cert.partner.isin(partners or [""]))
	changed = 0
	texts = {}
	for name, partner, impact, recipients in query.run():
		if partner not in texts:
			forecast = training.lapse_forecast(
				partner, partner_tiers.get(partner), by_partner.get(partner, []), tiers, days
			)
			texts[partner] = training.lapse_message(forecast, days)
		admins = emails.get(partner, "")
		if (impact or "") != texts[partner] or (recipients or "") != admins:
			frappe.qb.update(cert).set(cert.lapse_impact, texts[partner]).set(
				cert.partner_admins, admins
			).where(cert.name == name).run()
			changed += 1
	return changed
