"""What the ``www/partner`` pages share: who may open them, what every page shows, and running a
posted form the Post/Redirect/Get way.

A form posts back to its own page. The page hands the values to a ``prm_app.api`` method (the
same one the API exposes) inside a savepoint: on success the browser is redirected (303) to
the page that shows the result; on bad input everything the action wrote is rolled back and the
page is shown again with each message next to its field and every value as it was typed.
"""

import re
from urllib.parse import urlencode

import babel
import frappe
from frappe import _
from frappe.utils import fmt_money, format_date, format_datetime, get_datetime, getdate
from frappe.utils.data import get_user_date_format, get_user_time_format
from markupsafe import escape

from prm_app import agreements
from prm_app.exceptions import PortalInputError
from prm_app.permissions import (
	current_partner,
	get_partner_for_user,
	is_partner_admin,
	is_partner_scoped,
	per_request,
	require_partner_admin,
	session_partner,
)
from prm_app.portal.text import plain

SAVEPOINT = "prm_portal_form"


def notices() -> dict[str, str]:
	"""Messages shown after a successful form, by the code in ``?done=``."""
	return {
		"registered": _("The deal is registered as a draft."),
		"submitted": _("The deal is registered and submitted for review."),
		"action": _("The registration is updated."),
		"saved": _("The registration is saved."),
		"extension": _("Your extension request is sent to the channel team."),
		"invited": _("The invitation is sent."),
		"role": _("The role is changed."),
		"deactivated": _("The user is deactivated and can no longer sign in."),
		"reactivated": _("The user is active again."),
		"profile": _("The profile is saved."),
		# growth: the agreement, leads, the business plan
		"agreement": _("Thank you: you accepted the partner agreement."),
		"lead_accepted": _("The lead is yours: its contact details are below."),
		"lead_declined": _("The lead is declined; the channel team offers it to another partner."),
		"lead_updated": _("The lead's progress is saved."),
		"plan_created": _("The business plan is started as a draft."),
		"plan_saved": _("The business plan is saved."),
		"plan_action": _("The business plan is updated."),
		"plan_note": _("The review note is added."),
	}


def prepare(
	context, title: str, admin_only: bool = False, parents: list | None = None, agreement_page: bool = False
) -> str:
	"""Guard a portal page and set what every portal page shows; returns the caller's partner. A
	partner user who has not accepted the partner agreement in force is sent to the page that asks
	for it, from every page but that one (``agreement_page``)."""
	if frappe.session.user == "Guest":
		path = frappe.request.path if frappe.request else "/partner"
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": path})
		raise frappe.Redirect(302)
	if not agreement_page and agreements.pending_for(frappe.session.user):
		frappe.local.flags.redirect_location = agreements.AGREEMENT_PAGE
		raise frappe.Redirect(302)
	if agreement_page:
		partner = session_partner()
	else:
		partner = require_partner_admin() if admin_only else current_partner()
	context.no_cache = 1
	context.show_sidebar = True
	set_title(context, title)
	context.partner = partner
	context.is_partner_admin = is_partner_admin(partner)
	context.csrf_token = frappe.sessions.get_csrf_token()
	context.parents = parents if parents is not None else [{"route": "partner", "title": _("Partner Portal")}]
	context.field_errors = {}
	context.values = frappe._dict()
	context.form_action = None
	context.form_error = None
	context.notice = notices().get(frappe.form_dict.get("done"))
	context.money = money
	context.date = date
	context.datetime = datetime
	return partner


def set_title(context, title: str):
	"""The page title, escaped once here: Frappe's own templates print ``title`` as it is (the
	breadcrumbs do not escape it), and ours leave an escaped value alone."""
	context.title = escape(title)


def money(value, currency=None) -> str:
	"""``value`` as Frappe's ``fmt_money`` shows it in ``currency`` (the site's by default).

	``fmt_money`` looks up the number format, the symbol, where it goes and whether it is hidden on
	every call (about 0.1 ms each: a list page of amounts spent more on this than on its queries);
	here they are looked up once per request and currency (``money_style``) and the number itself is
	still formatted by ``fmt_money``."""
	currency = currency or frappe.db.get_default("currency")
	style = money_style(currency)
	if style.exact:
		return fmt_money(value or 0, currency=currency)
	amount = fmt_money(value or 0, currency=None, format=style.format)
	if not style.symbol:
		return amount
	return f"{amount} {style.symbol}" if style.on_right else f"{style.symbol} {amount}"


def money_style(currency: str | None) -> frappe._dict:
	"""How ``fmt_money`` shows ``currency`` for this request: the number format, and the translated
	symbol and its side (None when the symbol is hidden). ``exact`` when more than two decimals are
	shown, where ``fmt_money`` lets the currency's fraction units decide: those go through it whole."""
	return per_request(("money_style", currency, frappe.local.lang), lambda: find_money_style(currency))


def find_money_style(currency: str | None) -> frappe._dict:
	try:
		from frappe.locale import get_number_format  # Frappe 16: per language

		number_format = str(get_number_format())
	except ImportError:  # Frappe 15
		number_format = frappe.db.get_default("number_format") or "#,###.##"
	probe = fmt_money(0.123456, currency=None, format=number_format)  # shows its precision
	style = frappe._dict(
		format=number_format,
		exact=len(probe.rstrip("0123456789")) < len(probe) - 2,
		symbol=None,
		on_right=False,
	)
	if currency and frappe.defaults.get_global_default("hide_currency_symbol") != "Yes":
		# Frappe's document cache (dropped when the Currency changes): no query on a page of amounts
		cached = frappe.get_cached_value("Currency", currency, ["symbol", "symbol_on_right"])
		symbol, on_right = cached or (None, 0)
		style.symbol = _(symbol or currency)
		style.on_right = bool(on_right)
	return style


def date(value) -> str:
	"""``value`` as Frappe's ``format_date`` shows it. Frappe's date formats are day, month and year
	in digits (``dd-mm-yyyy``, ``mm/dd/yyyy``, ``yyyy-mm-dd``, ...), which babel writes the same in
	every language; such a format is turned into a template once per request (babel's look-ups cost
	more than the rest of a list row). Any other format goes through ``format_date``."""
	if not value:
		return ""
	template = date_template()
	if template is None:
		return format_date(value)
	return template.format(getdate(value))


DATE_PARTS = {"dd": "{0.day:02d}", "mm": "{0.month:02d}", "yyyy": "{0.year:04d}"}
DATE_FORMAT = re.compile(r"^(dd|mm|yyyy)([-/.])(dd|mm|yyyy)\2(dd|mm|yyyy)$")


def date_template() -> str | None:
	"""The user's date format as a ``str.format`` template (None when it is not digits only)."""
	return per_request(("date_template",), lambda: template_of(get_user_date_format()))


def template_of(date_format: str | None) -> str | None:
	found = DATE_FORMAT.match(date_format or "")
	if not found or len({found.group(1), found.group(3), found.group(4)}) != 3:
		return None
	return found.group(2).join(DATE_PARTS[found.group(i)] for i in (1, 3, 4))


def datetime(value) -> str:
	"""``value`` as Frappe's ``format_datetime`` shows it; digits-only formats as ``date`` does."""
	if not value:
		return ""
	template = datetime_template()
	if template is None:
		return format_datetime(value)
	return template.format(get_datetime(value))


TIME_FORMATS = {
	"HH:mm:ss": "{0.hour:02d}:{0.minute:02d}:{0.second:02d}",
	"HH:mm": "{0.hour:02d}:{0.minute:02d}",
}


def datetime_template() -> str | None:
	"""The user's date and time format as a ``str.format`` template, or None (see ``date``). In a
	language babel does not know, ``format_datetime`` writes ``yyyy-mm-dd HH:mm:ss`` whatever the
	settings: so does this."""
	return per_request(("datetime_template",), find_datetime_template)


def find_datetime_template() -> str | None:
	day, time = date_template(), TIME_FORMATS.get(get_user_time_format() or "")
	if day is None or time is None:
		return None
	try:
		babel.Locale.parse((frappe.local.lang or "").replace("-", "_"))
	except (babel.UnknownLocaleError, ValueError):
		return "{0.year:04d}-{0.month:02d}-{0.day:02d} {0.hour:02d}:{0.minute:02d}:{0.second:02d}"
	return f"{day} {time}"


def is_post() -> bool:
	return bool(frappe.request) and frappe.request.method == "POST"


def undo():
	"""Roll back what the failed action wrote (the whole transaction if its savepoint is gone)."""
	try:
		frappe.db.rollback(save_point=SAVEPOINT)
	except Exception:
		frappe.db.rollback()


def handle_post(context, handlers: dict) -> None:
	"""Run the posted ``action``; redirect on success, or keep the input and the errors for the page."""
	if not is_post():
		return
	form = frappe._dict(frappe.form_dict)
	action = form.get("action")
	handler = handlers.get(action)
	context.values = form
	context.form_action = action
	if not handler:
		context.form_error = _("This form could not be sent. Reload the page and try again.")
		context.http_status_code = 400
		return
	frappe.db.savepoint(SAVEPOINT)
	try:
		location = handler(form)
	except PortalInputError as e:
		undo()
		context.field_errors = e.errors
		context.form_error = plain(e)
		context.http_status_code = 417
	except frappe.ValidationError as e:
		undo()
		context.form_error = plain(e) or _("The server could not save this.")
		context.http_status_code = getattr(e, "http_status_code", 417)
	except Exception:
		undo()
		raise
	else:
		frappe.local.flags.redirect_location = location
		raise frappe.Redirect(303)
	finally:
		frappe.clear_messages()
		frappe.local.response.pop("field_errors", None)


def deals_breadcrumbs() -> list[dict]:
	"""The parents of a page under /partner/deals."""
	return [
		{"route": "partner", "title": _("Partner Portal")},
		{"route": "partner/deals", "title": _("Deal Registrations")},
	]


def update_website_context(context):
	"""``update_website_context``: on every website page a partner user opens, Frappe's own menu
	items that name no role (Addresses, Newsletter, ...) and ERPNext's newsletter sign-up are left
	out, unless PRM Settings' "Show Frappe's Own Portal Menu to Partners" is on."""
	user = frappe.session.user
	if not user or user == "Guest" or not is_partner_scoped(user):
		return
	if frappe.get_cached_value("PRM Settings", "PRM Settings", "show_frappe_portal_menu"):
		return
	context.hide_footer_signup = 1
	if context.get("sidebar_items"):
		context.sidebar_items = [item for item in context.sidebar_items if item.get("role")]


def home_page(user: str | None = None) -> str | None:
	"""``get_website_user_home_page``: the partner portal for a partner's users, Frappe's default
	for everyone else."""
	user = user or frappe.session.user
	if user and user != "Guest" and is_partner_scoped(user) and get_partner_for_user(user):
		return "partner"
	return None
