"""Amounts of deal registrations (entered in any currency) in a company's currency.

Rates come from ERPNext's own Currency Exchange records (the latest on or before the date, either
direction), read once per currency, never from a web service: a report must not depend on the
network. An amount whose currency has no rate is left out of company-currency totals and counted
as unconverted, so the report can say so.
"""

from datetime import date

import frappe
from frappe.utils import flt


def rate(from_currency: str, to_currency: str, on: date) -> float | None:
	if not from_currency or from_currency == to_currency:
		return 1.0
	exchange = frappe.qb.DocType("Currency Exchange")
	for source, target, invert in ((from_currency, to_currency, False), (to_currency, from_currency, True)):
		found = (
			frappe.qb.from_(exchange)
			.select(exchange.exchange_rate)
			.where(
				(exchange.from_currency == source)
				& (exchange.to_currency == target)
				& (exchange.date <= on)
				& (exchange.exchange_rate > 0)
			)
			.orderby(exchange.date, order=frappe.qb.desc)
			.limit(1)
		).run()
		if found:
			value = flt(found[0][0])
			return 1.0 / value if invert else value
	return None


class Converter:
	"""Rates to one currency on one date, each looked up once."""

	def __init__(self, to_currency: str, on: date):
		self.to_currency = to_currency
		self.on = on
		self.rates: dict[str, float | None] = {}
		self.missing: set[str] = set()

	def __call__(self, amount, currency: str | None) -> float | None:
		currency = currency or self.to_currency
		if currency not in self.rates:
			self.rates[currency] = rate(currency, self.to_currency, self.on)
		found = self.rates[currency]
		if found is None:
			self.missing.add(currency)
			return None
		return flt(amount) * found
