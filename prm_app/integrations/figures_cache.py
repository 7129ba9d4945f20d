"""The token that tells a partner's cached dashboard figures (``prm_app.portal.metrics``) apart
from stale ones. It lives below the portal so that what changes a partner's figures outside the
documents' events (an MDF payment refreshing a budget's balance, a nightly job) can say so."""

import frappe

CACHE_KEY = "prm_partner_metrics"
ALL_PARTNERS = "*"


def token_key(partner: str) -> str:
	return f"{CACHE_KEY}|token|{partner}"


def new_token(partner: str) -> None:
	frappe.cache.set_value(token_key(partner), frappe.generate_hash(length=12))


def invalidate(partner: str | None) -> None:
	"""The partner's figures changed (a registration, invoice, order, certification ...): the next
	request computes them again. Call it from the write; it repeats itself after the commit (and
	after a rollback: figures computed from the undone write are dropped too). ``ALL_PARTNERS``
	invalidates every partner's figures."""
	if not partner:
		return
	new_token(partner)
	frappe.db.after_commit.add(lambda: new_token(partner))
	frappe.db.after_rollback.add(lambda: new_token(partner))
