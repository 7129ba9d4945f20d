"""Where an end customer can already exist, and how each place is described for matching.

Each source says which PRM Settings flag enables it, whether the look-back window applies, and
how one of its records becomes a ``Record``: the party to match, the partner it belongs to (if
any), when it was registered, and whether it is active (only active records are indexed).
"""

from dataclasses import dataclass, field

import frappe
from frappe.utils import get_datetime

from prm_app.constants import ACTIVE_STATUSES as ACTIVE_REGISTRATION_STATUSES
from prm_app.constants import DEAL_REGISTRATION


@dataclass
class Record:
	company_name: str
	domain: str | None = None
	country: str | None = None
	territory: str | None = None
	products: list[str] = field(default_factory=list)
	partner: str | None = None
	registered_on: object = None
	priority: int | None = None  # a registration's priority number (lower = submitted first)
	active: bool = True


@dataclass(frozen=True)
class Source:
	doctype: str
	setting: str  # PRM Settings check field that enables it
	lookback: bool  # whether the look-back window applies
	fields: tuple[str, ...]  # columns read to describe a record
	items_doctype: str | None  # child table with item_code, for products
	describe: object  # (row: dict, products: list[str]) -> Record | None


def _domain(*values) -> str | None:
	"""The first value that is a website or e-mail; matching normalises it."""
	for value in values:
		if value and str(value).strip():
			return str(value).strip()
	return None


def _registration(row, products) -> Record:
	return Record(
		company_name=row.company_name,
		domain=_domain(row.website, row.contact_email),
		country=row.country,
		territory=row.territory,
		products=products,
		partner=row.partner,
		registered_on=row.registered_on,
		priority=row.priority_sequence or None,
		active=bool(row.registered_on) and row.status in ACTIVE_REGISTRATION_STATUSES,
	)


def _customer(row, products) -> Record:
	return Record(
		company_name=row.customer_name,
		domain=_domain(row.website, row.email_id),
		territory=row.territory,
		partner=row.prm_partner,
		registered_on=row.creation,
		active=not row.disabled,
	)


def _lead(row, products) -> Record:
	# A lead without a company is a person: only its e-mail domain is evidence.
	return Record(
		company_name=row.company_name or "",
		domain=_domain(row.website, row.email_id),
		country=row.country,
		territory=row.territory,
		partner=row.prm_partner,
		registered_on=row.creation,
		active=row.status not in ("Converted", "Do Not Contact"),
	)


def _opportunity(row, products) -> Record:
	return Record(
		company_name=row.customer_name or row.party_name or "",
		domain=_domain(row.website, row.contact_email),
		country=row.country,
		territory=row.territory,
		products=products,
		partner=row.prm_partner,
		registered_on=row.creation,
		active=row.status not in ("Lost", "Closed", "Converted"),
	)


def _submitted_selling_document(open_statuses=None, closed_statuses=()):
	"""Quotations and Sales Orders: submitted ones that are still open."""

	def describe(row, products) -> Record:
		is_open = row.status in open_statuses if open_statuses else row.status not in closed_statuses
		return Record(
			company_name=row.customer_name or "",
			domain=_domain(row.contact_email),
			territory=row.territory,
			products=products,
			partner=row.prm_partner,
			registered_on=row.creation,
			active=row.docstatus == 1 and is_open,
		)

	return describe


_quotation = _submitted_selling_document(open_statuses=("Open", "Replied", "Partially Ordered"))
_sales_order = _submitted_selling_document(closed_statuses=("Completed", "Closed", "Cancelled"))


SOURCES: dict[str, Source] = {
	s.doctype: s
	for s in (
		Source(
			DEAL_REGISTRATION,
			"check_registrations",
			True,
			(
				"company_name",
				"website",
				"contact_email",
				"country",
				"territory",
				"partner",
				"registered_on",
				"priority_sequence",
				"status",
			),
			"Deal Registration Item",
			_registration,
		),
		Source(
			"Customer",
			"check_customers",
			False,
			("customer_name", "website", "email_id", "territory", "disabled", "creation", "prm_partner"),
			None,
			_customer,
		),
		Source(
			"Lead",
			"check_leads",
			True,
			(
				"company_name",
				"website",
				"email_id",
				"country",
				"territory",
				"status",
				"creation",
				"prm_partner",
			),
			None,
			_lead,
		),
		Source(
			"Opportunity",
			"check_opportunities",
			True,
			(
				"customer_name",
				"party_name",
				"website",
				"contact_email",
				"country",
				"territory",
				"status",
				"creation",
				"prm_partner",
			),
			"Opportunity Item",
			_opportunity,
		),
		Source(
			"Quotation",
			"check_quotations",
			True,
			("customer_name", "contact_email", "territory", "status", "docstatus", "creation", "prm_partner"),
			"Quotation Item",
			_quotation,
		),
		Source(
			"Sales Order",
			"check_sales_orders",
			False,
			("customer_name", "contact_email", "territory", "status", "docstatus", "creation", "prm_partner"),
			"Sales Order Item",
			_sales_order,
		),
	)
}


def describe(doc) -> Record | None:
	"""The Record of a document of one of the sources (None for other doctypes)."""
	source = SOURCES.get(doc.doctype)
	if not source:
		return None
	row = frappe._dict({f: doc.get(f) for f in source.fields})
	products = sorted({d.item_code for d in doc.get("items") or [] if d.get("item_code")})
	record = source.describe(row, products)
	if record.registered_on:
		record.registered_on = get_datetime(record.registered_on)
	return record
