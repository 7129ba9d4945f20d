"""Per-user limits on what partner users may do in an hour, on every path (portal, REST, Web Form).

Frappe's ``rate_limit`` decorator keys on the IP or on a request argument the client chooses, and
only counts calls of one whitelisted method; these limits follow the user. The count and its
expiry are set in one atomic step (a Lua script in Redis), so no key ever lives without an
expiry, and every refusal is an HTTP 429.
"""

import frappe
from frappe import _
from frappe.utils import cint

from prm_app.exceptions import RegistrationRateLimitError
from prm_app.permissions import is_partner_scoped

DEFAULT_REGISTRATIONS_PER_HOUR = 30

# INCR and, on the first hit of a window, EXPIRE: one atomic step.
COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


def hit(bucket: str, seconds: int) -> int:
	"""Count one call of the session user in ``bucket``; the number of calls in this window."""
	key = frappe.cache.make_key(f"prm-rate:{bucket}:{frappe.session.user}")
	return cint(frappe.cache.eval(COUNT_SCRIPT, 1, key, seconds))


def check_rate_limit(bucket: str, limit: int, message: str, seconds: int = 3600, exc=None):
	"""At most ``limit`` calls per user per window; ``exc`` (an HTTP 429 error) beyond that."""
	if hit(bucket, seconds) > limit:
		frappe.throw(message, exc or frappe.RateLimitExceededError, title=_("Too Many Requests"))


def registrations_per_hour() -> int:
	"""PRM Settings' limit; 0 means no limit (the field says so), never set means the default."""
	value = frappe.db.get_single_value("PRM Settings", "registration_rate_limit")
	return DEFAULT_REGISTRATIONS_PER_HOUR if value is None else cint(value)


def limit_registrations(doc, method=None):
	"""``before_insert`` of Deal Registration: a partner user registers at most PRM Settings'
	"Registrations per Partner User per Hour", through the portal, REST or any other web request."""
	if frappe.request and is_partner_scoped(frappe.session.user):
		limit = registrations_per_hour()
		if limit <= 0:
			return
		check_rate_limit(
			"register-deal",
			limit,
			_("You can register at most {0} deals an hour. Please try again later.").format(limit),
			exc=RegistrationRateLimitError,
		)


def check_ip_rate_limit(bucket: str, limit: int, message: str, seconds: int = 3600, exc=None):
	"""At most ``limit`` calls per client address per window (for pages guests use, where there is
	no user to follow); ``exc`` (an HTTP 429 error) beyond that."""
	address = getattr(frappe.local, "request_ip", None) or "unknown"
	key = frappe.cache.make_key(f"prm-rate-ip:{bucket}:{address}")
	if cint(frappe.cache.eval(COUNT_SCRIPT, 1, key, seconds)) > limit:
		frappe.throw(message, exc or frappe.RateLimitExceededError, title=_("Too Many Requests"))


def reset_ip_rate_limit(bucket: str, address: str) -> None:
	"""Forget an address's count (the channel team unblocking someone; tests)."""
	frappe.cache.delete_value(f"prm-rate-ip:{bucket}:{address}")
