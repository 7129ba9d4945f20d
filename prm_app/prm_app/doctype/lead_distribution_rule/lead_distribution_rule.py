# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""Which leads a rule hands out, to which partners, how one is chosen and how fast it must accept.

Rules are records an admin edits; the selection is ``prm_app.engine.lead_distribution`` and the
offers and the service level job are ``prm_app.integrations.lead_distribution``.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from prm_app.engine.lead_distribution import METHODS
from prm_app.exceptions import DistributionRuleError

MAX_HOURS = 24 * 90


class LeadDistributionRule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.lead_distribution_rule_partner.lead_distribution_rule_partner import (
			LeadDistributionRulePartner,
		)

		accept_within_hours: DF.Int
		apply_from: DF.Date | None
		auto_distribute: DF.Check
		capacity: DF.Int
		country: DF.Link | None
		enabled: DF.Check
		lowest_tier: DF.Link | None
		max_offers: DF.Int
		method: DF.Literal["Round Robin", "Best Acceptance Rate"]
		notify_user: DF.Link | None
		partner_type: DF.Link | None
		partners: DF.Table[LeadDistributionRulePartner]
		priority: DF.Int
		product_interest: DF.Link | None
		rule_name: DF.Data
		territory: DF.Link | None
	# end: auto-generated types

	def validate(self):
		if self.method not in METHODS:
			frappe.throw(_("Choose Round Robin or Best Acceptance Rate."), DistributionRuleError)
		if not 1 <= cint(self.accept_within_hours) <= MAX_HOURS:
			frappe.throw(
				_("Accept Within must be between 1 hour and {0} hours (90 days).").format(MAX_HOURS),
				DistributionRuleError,
				title=_("Invalid Service Level"),
			)
		for field in ("capacity", "max_offers"):
			if cint(self.get(field)) < 0:
				frappe.throw(
					_("{0} cannot be negative.").format(_(self.meta.get_label(field))), DistributionRuleError
				)
		if self.auto_distribute and not self.apply_from:
			frappe.throw(
				_("Say from which creation date new leads are distributed automatically."),
				DistributionRuleError,
				title=_("Date Missing"),
			)
		seen = set()
		for row in self.partners:
			if row.partner in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice.").format(row.idx, row.partner), DistributionRuleError
				)
			seen.add(row.partner)
			if cint(row.capacity) < 0:
				frappe.throw(
					_("Row {0}: capacity cannot be negative.").format(row.idx), DistributionRuleError
				)
