"""Domain errors, declared once so tests can assert the exact class.

Each is a ``frappe.ValidationError`` and is raised with ``frappe.throw(_("..."), Cls, title=...)``.
"""

import frappe


class PRMValidationError(frappe.ValidationError):
	"""Base class for every prm_app validation error."""


class TierValidationError(PRMValidationError):
	"""A Program Tier's percentage or amount is out of range."""


class DuplicateRankError(PRMValidationError):
	"""Two Program Tiers share a rank."""


class DefaultTierError(PRMValidationError):
	"""There would be no default Program Tier, or more than one."""


class InvalidStatusTransitionError(PRMValidationError):
	"""A Partner's status change that the lifecycle does not allow."""


class InvalidWebsiteError(PRMValidationError):
	"""A website from which no registrable domain can be derived."""


class PartnerUserError(PRMValidationError):
	"""A Partner's user list is invalid (duplicate, or the user belongs to another partner)."""
