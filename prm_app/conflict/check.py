"""The channel-conflict check of a deal registration.

1. take the priority lock (a row lock held to the end of the transaction), so that two
   registrations of the same customer submitted at the same moment are checked one after the
   other, the second seeing the first;
2. find candidates in PRM Match Key with a locking read (newest committed rows);
3. score each with the engine, keep those at or above the threshold, from enabled sources, in
   the look-back window and, per the scope rule, overlapping in territory and/or products;
4. let admins adjust the matches: ``prm_conflict_rules`` hooks of any app, then the Server Script
   API method named in PRM Settings; each receives the matches and returns the list to keep;
5. decide: an active registration registered earlier (another partner's or the same partner's
   duplicate) makes a Conflict and takes the priority; a match with ERPNext records makes what
   PRM Settings says (Possible Conflict by default).
"""

from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_datetime, now_datetime

from prm_app.conflict import keys
from prm_app.conflict.sources import DEAL_REGISTRATION, SOURCES, describe
from prm_app.constants import CLEAR, CONFLICT
from prm_app.constants import POSSIBLE_CONFLICT as POSSIBLE
from prm_app.engine import matching

LOCK_NAME = "prm_app_conflict_priority"

SCOPE_TERRITORY = ("Same Territory", "Same Territory and Overlapping Products")
SCOPE_PRODUCTS = ("Overlapping Products", "Same Territory and Overlapping Products")


@dataclass
class CheckResult:
	status: str = CLEAR
	has_priority: bool = True
	matches: list[dict] = field(default_factory=list)


def ensure_priority_counter() -> None:
	"""Create the priority counter row (install and migrate): it must exist before the first
	submission, so that concurrent first submissions queue on its lock instead of racing to
	create it."""
	series = frappe.qb.DocType("Series")
	if not frappe.qb.from_(series).select(series.name).where(series.name == LOCK_NAME).run():
		frappe.qb.into(series).columns(series.name, series.current).insert(LOCK_NAME, 0).run()


def lock_priority_counter() -> int:
	"""Lock the counter row until this transaction ends (the mechanism Frappe uses for naming
	series) and return its value: conflict checks are serialised from here to the commit."""
	series = frappe.qb.DocType("Series")
	row = frappe.qb.from_(series).select(series.current).where(series.name == LOCK_NAME).for_update().run()
	if not row:
		frappe.throw(
			_("The deal registration priority counter is missing. Run bench migrate, then try again."),
			title=_("Set-up Incomplete"),
		)
	return cint(row[0][0])


def take_priority() -> int:
	"""The next priority number, taken under the lock: of two registrations of one customer, the
	one with the lower number was submitted first, whatever the application servers' clocks say."""
	number = lock_priority_counter() + 1
	series = frappe.qb.DocType("Series")
	frappe.qb.update(series).set(series.current, number).where(series.name == LOCK_NAME).run()
	return number


def take_priority_lock() -> None:
	lock_priority_counter()


def settings():
	return frappe.get_cached_doc("PRM Settings")


def threshold() -> int:
	return cint(settings().conflict_threshold) or matching.DEFAULT_THRESHOLD


def in_scope(rule: str | None, ours: matching.Party, theirs: matching.Party) -> bool:
	territory, products = matching.scope_overlap(ours, theirs)
	if rule in SCOPE_TERRITORY and not territory:
		return False
	if rule in SCOPE_PRODUCTS and not products:
		return False
	return True


def find_matches(doc, lock: bool = False) -> list[dict]:
	"""Scored, filtered matches of ``doc`` (a Deal Registration) with every enabled source."""
	conf = settings()
	record = describe(doc)
	party = keys.party_of(record)
	limit = threshold()
	lookback_days = cint(conf.lookback_days)
	since = add_days(now_datetime(), -lookback_days) if lookback_days else None
	mine_at = get_datetime(doc.registered_on) if doc.registered_on else now_datetime()

	matches = []
	for row in keys.candidates(party, lock=lock):
		if row.ref_doctype == doc.doctype and row.ref_name == doc.name:
			continue
		source = SOURCES.get(row.ref_doctype)
		if not source or not cint(conf.get(source.setting)):
			continue
		registered_on = get_datetime(row.registered_on) if row.registered_on else None
		if since and source.lookback and registered_on and registered_on < since:
			continue
		other = keys.party_of_row(row, party.abbreviations)
		if not in_scope(conf.scope_rule, party, other):
			continue
		result = matching.score(party, other)
		if result.score < limit:
			continue
		earlier = row.ref_doctype == DEAL_REGISTRATION and is_earlier(row, registered_on, doc, mine_at)
		matches.append(
			{
				"doctype": row.ref_doctype,
				"name": row.ref_name,
				"company_name": row.company_name,
				"partner": row.partner,
				"registered_on": registered_on,
				"score": result.score,
				"reasons": list(result.reasons),
				"earlier": earlier,
			}
		)
	erpnext = {}
	for m in matches:
		if m["doctype"] != DEAL_REGISTRATION:
			erpnext.setdefault(m["doctype"], []).append(m["name"])
	if erpnext:
		active = still_active(erpnext)
		matches = [
			m for m in matches if m["doctype"] == DEAL_REGISTRATION or (m["doctype"], m["name"]) in active
		]
	matches.sort(key=lambda m: (-m["score"], m["doctype"], m["name"]))
	return apply_admin_rules(doc, matches)


def is_earlier(row, registered_on, doc, mine_at) -> bool:
	"""Whether a matched registration was submitted before ``doc``: by priority number (taken under
	the lock), or by submission time for registrations from before priority numbers existed."""
	theirs, mine = cint(row.get("priority")), cint(doc.get("priority_sequence"))
	if theirs and mine:
		return theirs < mine
	return bool(registered_on) and (registered_on, row.ref_name) < (mine_at, doc.name)


def still_active(names_by_doctype: dict[str, list[str]]) -> set[tuple[str, str]]:
	"""ERPNext changes some statuses without saving the document (an order that completes), so
	matched records' statuses are read again, one query per doctype, before they count."""
	active = set()
	for doctype, names in names_by_doctype.items():
		source = SOURCES[doctype]
		table = frappe.qb.DocType(doctype)
		rows = (
			frappe.qb.from_(table)
			.select(table.name, *(table[f] for f in source.fields))
			.where(table.name.isin(names))
			.run(as_dict=True)
		)
		active.update((doctype, row.name) for row in rows if source.describe(row, []).active)
	return active


def apply_admin_rules(doc, matches: list[dict]) -> list[dict]:
	"""Hooks ``prm_conflict_rules`` of every app, then PRM Settings' Server Script API method."""
	for method in frappe.get_hooks("prm_conflict_rules"):
		result = frappe.get_attr(method)(doc, [dict(m) for m in matches])
		if result is not None:
			matches = list(result)
	method = (settings().conflict_rules_method or "").strip()
	if method:
		matches = run_server_script_rules(method, doc, matches)
	return [normalise(m) for m in matches]


def normalise(match: dict) -> dict:
	match = dict(match)
	match["score"] = max(0, min(100, cint(match.get("score"))))
	match["reasons"] = list(match.get("reasons") or [])
	match["earlier"] = bool(match.get("earlier"))
	return match


def run_server_script_rules(method: str, doc, matches: list[dict]) -> list[dict]:
	"""Call an API Server Script as Python: it reads ``frappe.form_dict.registration`` and
	``frappe.form_dict.matches`` and may set ``frappe.response['message']`` to the kept list."""
	from frappe.core.doctype.server_script.server_script_utils import get_server_script_map

	script_name = get_server_script_map().get("_api", {}).get(method)
	if not script_name:
		frappe.log_error(
			title="PRM conflict rules", message=f"No enabled API Server Script has the method {method!r}."
		)
		return matches
	script = frappe.get_doc("Server Script", script_name)
	saved_form, had_message = frappe.local.form_dict, "message" in frappe.local.response
	saved_message = frappe.local.response.get("message")
	frappe.local.form_dict = frappe._dict(registration=doc.as_dict(), matches=[dict(m) for m in matches])
	frappe.local.response.pop("message", None)
	try:
		script.execute_method()
		result = frappe.local.response.get("message", matches)
	finally:
		frappe.local.form_dict = saved_form
		if had_message:
			frappe.local.response["message"] = saved_message
		else:
			frappe.local.response.pop("message", None)
	return list(result) if result is not None else matches


def decide(matches: list[dict]) -> CheckResult:
	result = CheckResult(matches=matches)
	if any(m["doctype"] == DEAL_REGISTRATION and m["earlier"] for m in matches):
		result.status = CONFLICT
		result.has_priority = False
	elif any(m["doctype"] == DEAL_REGISTRATION for m in matches):
		# only later registrations match: this one keeps priority, they are the conflicting ones
		result.status = CONFLICT
	elif matches:
		result.status = settings().erpnext_match_status or POSSIBLE
	return result


def check(doc, take_lock: bool = True) -> CheckResult:
	"""Check ``doc`` under the priority lock (taken here unless the caller holds it already); the
	candidates are always read with a locking read, so the newest committed keys count."""
	if take_lock:
		take_priority_lock()
	return decide(find_matches(doc, lock=True))
