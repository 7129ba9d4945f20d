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


class DealRegistrationError(PRMValidationError):
	"""Base class for deal registration errors."""


class InvalidEndCustomerError(DealRegistrationError):
	"""The end customer's name, website or e-mail is missing or invalid."""


class InvalidCloseDateError(DealRegistrationError):
	"""The expected close date is in the past."""


class InvalidAmountError(DealRegistrationError):
	"""A negative value, amount or quantity."""


class ItemNotSellableError(DealRegistrationError):
	"""A product that is not a sales item, is disabled or does not exist."""


class PartnerNotActiveError(DealRegistrationError):
	"""Only Active partners may register deals."""


class DealStateError(DealRegistrationError):
	"""An action that the registration's status does not allow."""


class DealConflictError(DealRegistrationError):
	"""Approval blocked: an earlier registration of the same customer has priority."""


class SelfApprovalError(frappe.PermissionError):
	"""A partner user tried to decide on a registration (its own or any)."""


class RegistrationRateLimitError(DealRegistrationError, frappe.RateLimitExceededError):
	"""Too many registrations submitted by one user in an hour."""

	http_status_code = 429


class InvitationError(PRMValidationError):
	"""An invitation that cannot be sent or accepted."""


class PortalInputError(PRMValidationError):
	"""A portal form was sent with invalid fields; ``errors`` maps each field to its message."""

	def __init__(self, message: str = "", errors: dict | None = None):
		super().__init__(message)
		self.errors = errors or {}


class TrainingError(PRMValidationError):
	"""Base class for training and certification errors."""


class InvalidQuizError(TrainingError):
	"""A Training Module's quiz cannot be graded (no options, no correct option, bad numbers)."""


class AttemptLimitError(TrainingError):
	"""A person has used every attempt the module allows."""


class AttemptLockedError(TrainingError):
	"""A finished attempt cannot be changed."""


class ModuleNotAvailableError(TrainingError):
	"""The module is not published, not meant for the person, or its prerequisites are not passed."""


class CertificationError(TrainingError):
	"""A certification change that is not allowed (revoking without a reason, an invalid date)."""


class OnboardingTrainingError(InvalidStatusTransitionError):
	"""A partner moves from Onboarding to Active before its users passed the mandatory modules."""


# -- growth: recruitment, agreement, leads, plans, assets


class ApplicationError(PRMValidationError):
	"""A partner application with invalid or missing fields, or a decision it does not allow."""


class ApplicationRateLimitError(ApplicationError, frappe.RateLimitExceededError):
	"""Too many applications from one address in an hour."""

	http_status_code = 429


class AgreementError(PRMValidationError):
	"""A partner agreement version that cannot be changed or published so."""


class AgreementPendingError(frappe.PermissionError):
	"""The partner user has not accepted the current partner agreement yet."""


class LeadOfferError(PRMValidationError):
	"""A lead offer, response or conversion that the offer's state does not allow."""


class DistributionRuleError(PRMValidationError):
	"""A lead distribution rule with invalid settings."""


class BusinessPlanError(PRMValidationError):
	"""A business plan change that its state or its rules do not allow."""


class PartnerAssetError(PRMValidationError):
	"""A partner asset with invalid settings."""


class MDFError(PRMValidationError):
	"""Base class for market development fund errors."""


class MDFAmountError(MDFError):
	"""A negative, zero, malformed or too large amount, or one over a co-op share or a request."""


class OverBudgetError(MDFError):
	"""More than the MDF Budget has available."""


class MDFCurrencyError(MDFError):
	"""An amount in another currency than its budget's."""


class MDFStateError(MDFError):
	"""An action that the request's, claim's or budget's status does not allow."""


class ProofOfPerformanceError(MDFError):
	"""A claim without proof of performance, or a file that is too large or of a type not accepted."""


class MDFAccountingError(MDFError):
	"""The accounts, cost center or ERPNext party a payout needs are not set up."""


class RebateError(PRMValidationError):
	"""A rebate accrual or settlement that cannot be made as asked."""


class IncentiveRuleError(PRMValidationError):
	"""An incentive rule without a reward, with a percentage out of range or dates the wrong way."""


class EngagementEventError(PRMValidationError):
	"""An engagement event that cannot be recorded or would be changed (they are append-only)."""


class InsightsFilterError(PRMValidationError):
	"""A report or scorecard asked for with filters it cannot run with (dates, company, grouping)."""


class DemoError(PRMValidationError):
	"""The demo programme cannot be built or removed on this site."""
