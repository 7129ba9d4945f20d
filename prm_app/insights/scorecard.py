"""The Partner Scorecard: every partner's measures for a period and its composite score.

Each measure comes from a provider (``prm_app.insights.providers``: one grouped query per
capability); each weighted measure ranks the partners 0..100 and the score is the weighted mean
of the ranks (``prm_app.engine.insights.scorecard``), with the weights of PRM Settings. The
partners ranked are those the filters select, so a score says where a partner stands among them.
"""

import math
import pickle
import time

import frappe
import redis
from frappe import _
from frappe.utils import flt

from prm_app.engine import insights as rules
from prm_app.insights import providers as source
from prm_app.insights.scope import Scope, partners, scope_from

# measure -> (label, fieldtype, PRM Settings weight field or None)
MEASURES: dict[str, tuple[str, str, str | None]] = {
	"revenue": ("Revenue", "Currency", "weight_revenue"),
	"revenue_previous": ("Revenue, Previous Period", "Currency", None),
	"revenue_growth": ("Growth %", "Percent", "weight_revenue_growth"),
	"open_registrations": ("Open Registrations", "Int", None),
	"open_opportunities": ("Open Opportunities", "Int", None),
	"pipeline_value": ("Pipeline Value", "Currency", "weight_pipeline"),
	"registrations_submitted": ("Registrations Submitted", "Int", None),
	"registrations_approved": ("Registrations Approved", "Int", None),
	"registrations_won": ("Registrations Won", "Int", "weight_won_deals"),
	"win_rate": ("Win Rate %", "Percent", "weight_win_rate"),
	"decision_days": ("Median Days to Decision", "Float", None),
	"leads_offered": ("Leads Offered", "Int", None),
	"leads_accepted": ("Leads Accepted", "Int", None),
	"lead_acceptance": ("Lead Acceptance %", "Percent", "weight_lead_acceptance"),
	"leads_converted": ("Leads Converted", "Int", None),
	"lead_conversion": ("Lead Conversion %", "Percent", "weight_lead_conversion"),
	"certified_people": ("Certified People", "Int", "weight_certified_people"),
	"mdf_spent": ("MDF Spent", "Currency", None),
	"mdf_roi": ("Revenue per MDF", "Float", "weight_mdf_roi"),
	"engagement_score": ("Engagement Score", "Int", "weight_engagement"),
}
# measures without a base are "not applicable" rather than 0
RATIOS = frozenset(
	{"revenue_growth", "win_rate", "decision_days", "lead_acceptance", "lead_conversion", "mdf_roi"}
)
CACHE_SECONDS = 600
CACHE_PREFIX = "prm_scorecard|"


def weights(measures: list[str]) -> dict[str, float]:
	settings = frappe.get_cached_doc("PRM Settings")
	return {
		measure: flt(settings.get(MEASURES[measure][2]))
		for measure in measures
		if MEASURES[measure][2] and flt(settings.get(MEASURES[measure][2])) > 0
	}


def shown(value):
	"""What a column shows: an infinite growth (nothing before, something now) is left blank."""
	if isinstance(value, float) and math.isinf(value):
		return None
	return value


def build(filters: dict | None = None, include: str | None = None) -> frappe._dict:
	"""The scorecard of the partners ``filters`` select (plus ``include``, a partner to rank with
	them whatever its status): rows best first, the measures shown, the weights used."""
	scope = scope_from(filters)
	filters = frappe._dict(filters or {})
	# one partner asked for is shown ranked among the others the filters select
	shown_partner = filters.pop("partner", None)
	selected = partners(filters)
	for extra in (include, shown_partner):
		if extra and extra not in {p.name for p in selected}:
			selected += partners({"partner": extra, "status": "All"})
	running, skipped = source.active()
	measures = list(dict.fromkeys(m for provider in running for m in provider.measures))
	figures = source.collect(scope, running)
	table = {}
	for partner in selected:
		values = figures.get(partner.name, {})
		table[partner.name] = {
			measure: values.get(measure, None if measure in RATIOS else 0) for measure in measures
		}
	weighting = weights(measures)
	scored = rules.scorecard(table, weighting)
	rows = []
	for partner in selected:
		score, _ranks = scored[partner.name]
		values = table[partner.name]
		row = frappe._dict(partner)
		row.partner = partner.name
		row.score = score
		row.update({measure: shown(values[measure]) for measure in measures})
		row.unconverted = figures.get(partner.name, {}).get("unconverted_currencies") or []
		rows.append(row)
	rows.sort(key=lambda r: (-r.score, -flt(r.get("revenue")), r.partner))
	for rank, row in enumerate(rows, start=1):
		row.rank = rank
	if shown_partner:
		rows = [row for row in rows if row.partner == shown_partner]
	return frappe._dict(
		scope=scope, rows=rows, measures=measures, weights=weighting, skipped=skipped, currency=scope.currency
	)


def cached_row(filters: dict, partner: str) -> tuple[dict | None, int]:
	"""(``partner``'s row, how many partners were ranked) of the scorecard ``filters`` ask for.

	The scorecard of all partners is kept per company and period, as a Redis hash of one row per
	partner: the portal shows each partner its own row of one shared computation, read by itself
	(the cost of a page view does not grow with the number of partners). It is computed again after
	``CACHE_SECONDS`` by one request at a time (``kept_rows``). A partner outside the filters (not
	Active) is ranked with them, uncached."""
	scope = scope_from(filters)
	others = {k: v for k, v in sorted(dict(filters).items()) if k not in ("company", "from_date", "to_date")}
	# "rows|": a hash, never the plain value earlier versions kept under the same name
	key = f"{CACHE_PREFIX}rows|{scope.company}|{scope.from_date}|{scope.to_date}|{frappe.as_json(others, indent=None)}"
	row, count = kept_rows(key, partner, lambda: build(filters))
	if row is not None:
		return frappe._dict(row), count
	result = build(filters, include=partner)
	row = next((r for r in result.rows if r.partner == partner), None)
	return row, len(result.rows)


COUNT_FIELD = "\x00count"  # the hash's field holding how many partners were ranked
BUILT_FIELD = "\x00built"  # when the rows were computed (seconds since the epoch)
STALE_SECONDS = 3600  # how long rows may be served while one request computes the next ones
LOCK_SECONDS = 120  # at most this long one request computes them while the others wait or are served


def kept_rows(key: str, partner: str, compute) -> tuple[dict | None, int]:
	"""(``partner``'s row or None, the count) of the kept scorecard ``key``, computed by ``compute``
	when none is kept or it is older than ``CACHE_SECONDS``.

	One request at a time computes it (a Redis lock): while it does, the others are served the rows
	kept before (for up to ``STALE_SECONDS``) or, when none are kept, wait for it. Without this, every
	request arriving while the scorecard expired would compute it at once."""
	found = read_rows(key, partner)
	if found is not None and time.time() - found[2] < CACHE_SECONDS:
		return found[:2]
	cache = frappe.cache()
	lock = redis.Redis.lock(cache, cache.make_key(key + "|computing"), timeout=LOCK_SECONDS)
	try:
		mine = lock.acquire(blocking=found is None, blocking_timeout=LOCK_SECONDS)
	except redis.exceptions.ConnectionError:
		mine = False
	if not mine and found is not None:
		return found[:2]  # another request is computing the next rows
	try:
		if found is None:  # computed by another request while this one waited?
			again = read_rows(key, partner)
			if again is not None and time.time() - again[2] < CACHE_SECONDS:
				return again[:2]
		result = compute()
		rows = {row.partner: dict(row) for row in result.rows}
		store_rows(key, rows)
		return rows.get(partner), len(rows)
	finally:
		if mine:
			try:
				lock.release()
			except (redis.exceptions.LockError, redis.exceptions.ConnectionError):
				pass  # it expired (a computation longer than LOCK_SECONDS)


def read_rows(key: str, partner: str) -> tuple[dict | None, int, float] | None:
	"""(``partner``'s row or None, the count, when computed) from the kept scorecard; None when
	none is kept."""
	cache = frappe.cache()
	try:
		row, count, built = redis.Redis.hmget(cache, cache.make_key(key), [partner, COUNT_FIELD, BUILT_FIELD])
	except (redis.exceptions.ConnectionError, redis.exceptions.ResponseError):
		return None  # no Redis, or something else under that name (computed again and replaced)
	if count is None or built is None:
		return None
	return (pickle.loads(row) if row is not None else None), pickle.loads(count), pickle.loads(built)


def store_rows(key: str, rows: dict[str, dict]) -> None:
	cache = frappe.cache()
	name = cache.make_key(key)
	mapping = {partner: pickle.dumps(row) for partner, row in rows.items()}
	mapping[COUNT_FIELD] = pickle.dumps(len(rows))
	mapping[BUILT_FIELD] = pickle.dumps(time.time())
	try:
		pipe = redis.Redis.pipeline(cache)
		pipe.delete(name)
		pipe.hset(name, mapping=mapping)
		pipe.expire(name, STALE_SECONDS)
		pipe.execute()
	except (redis.exceptions.ConnectionError, redis.exceptions.ResponseError):
		pass


def clear_cache() -> None:
	frappe.cache().delete_keys(CACHE_PREFIX)


def measure_label(measure: str) -> str:
	return _(MEASURES[measure][0])


def scope_label(scope: Scope) -> str:
	return _("{0} to {1}, {2}").format(
		frappe.format(scope.from_date, "Date"), frappe.format(scope.to_date, "Date"), scope.company
	)
