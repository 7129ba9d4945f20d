"""Measuring partners: ranks, the composite score, the 80/20 cut, engagement and early warning.

Plain data in, plain data out; the reports and jobs in ``prm_app.insights`` read the figures with
set-based queries and hand them here.

- ``percent_ranks(values)``: each value's place among the others on 0..100 (100 = the best, ties
  share the lowest place of their group, so partners with nothing score 0).
- ``composite(ranks, weights)``: the weighted mean of a partner's ranks over the measures that
  apply to it (a ratio without a base, such as a win rate with no closed deal, does not apply).
- ``pareto(values, share=0.8)``: partners by value, best first, with each one's share and the
  cumulative share, and the cut: the first partner at which ``share`` of the total is reached.
- ``engagement_score(points, target)``: 0..100, 100 once ``target`` points are reached.
- ``at_risk_reasons(facts, rules, today)``: why a partner is at risk (no engagement for N days,
  revenue falling by X% period over period, onboarding stalled past N days).
- ``zipf_weights(n, head, head_share)``: weights of n partners whose top ``head`` share holds
  ``head_share`` of the total (the demo programme's revenue distribution).
"""

import math
from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

EPSILON = 1e-9


# -- ranks and the composite score ---------------------------------------------------------------


def percent_ranks(values: Mapping[Hashable, float | None]) -> dict[Hashable, float | None]:
	"""Each key's value placed among all the values on 0..100.

	rank = 100 * (values strictly below) / (values not equal to it); the best value scores 100,
	the lowest 0, ties share the lowest place of their group. When every value is equal, the
	measure tells the partners apart in nothing: all score 100 if the value is positive, else 0.
	``None`` (not applicable) stays ``None``; ``math.inf`` ranks above every finite value.
	"""
	present = sorted(v for v in values.values() if v is not None)
	n = len(present)
	ranks: dict[Hashable, float | None] = {}
	for key, value in values.items():
		if value is None:
			ranks[key] = None
			continue
		below = bisect_left(present, value)
		equal = bisect_right(present, value) - below
		if n == equal:
			ranks[key] = 100.0 if value > 0 else 0.0
		else:
			ranks[key] = 100.0 * below / (n - equal)
	return ranks


def composite(ranks: Mapping[str, float | None], weights: Mapping[str, float]) -> float:
	"""Weighted mean of the ranks of the measures that apply (rank not None, weight > 0), 0..100."""
	total = weight_sum = 0.0
	for measure, weight in weights.items():
		rank = ranks.get(measure)
		if rank is None or not weight or weight <= 0:
			continue
		total += weight * rank
		weight_sum += weight
	return round(total / weight_sum, 1) if weight_sum else 0.0


def growth(current: float, previous: float) -> float | None:
	"""Percent change from ``previous`` to ``current``: None when both are 0 (nothing to compare),
	infinity when there was nothing before and there is something now."""
	if previous > 0:
		return 100.0 * (current - previous) / previous
	if previous < 0:
		return 100.0 * (current - previous) / abs(previous)
	if current > 0:
		return math.inf
	if current < 0:
		return -math.inf
	return None


def ratio(part: float, whole: float) -> float | None:
	"""``part / whole`` as a percentage, None without a base."""
	return 100.0 * part / whole if whole else None


def median(values: Iterable[float]) -> float | None:
	ordered = sorted(values)
	n = len(ordered)
	if not n:
		return None
	middle = n // 2
	return float(ordered[middle]) if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


def scorecard(
	figures: Mapping[Hashable, Mapping[str, float | None]], weights: Mapping[str, float]
) -> dict[Hashable, tuple[float, dict[str, float | None]]]:
	"""The composite score of every partner: ``{partner: (score, {measure: rank})}``, each measure
	ranked among the partners given (only the measures with a weight are ranked)."""
	measures = [m for m, w in weights.items() if w and w > 0]
	ranks_by_measure = {
		measure: percent_ranks({partner: values.get(measure) for partner, values in figures.items()})
		for measure in measures
	}
	result = {}
	for partner in figures:
		ranks = {measure: ranks_by_measure[measure][partner] for measure in measures}
		result[partner] = (composite(ranks, weights), ranks)
	return result


# -- the 80/20 view ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParetoRow:
	key: Hashable
	value: float
	rank: int  # 1 = the largest
	share: float  # percent of the positive total
	cumulative: float  # percent of the positive total, this partner and those above it
	in_head: bool  # at or above the cut


@dataclass(frozen=True, slots=True)
class Pareto:
	rows: tuple[ParetoRow, ...]
	total: float  # sum of the positive values
	share: float  # the share the cut is drawn at, percent (80)
	cut_rank: int | None  # the rank at which ``share`` is reached; None when nothing is positive
	head_count: int  # partners at or above the cut
	head_partner_share: float  # percent of all partners listed

	@property
	def count(self) -> int:
		return len(self.rows)


def pareto(
	values: Mapping[Hashable, float] | Sequence[tuple[Hashable, float]], share: float = 80.0
) -> Pareto:
	"""Partners ranked by value, largest first (ties by key), with each one's share of the total and
	the cumulative share. Only positive values make the total (a partner whose credit notes exceed
	its invoices holds no share of it); the cut is the first rank whose cumulative share reaches
	``share`` percent."""
	items = list(values.items()) if isinstance(values, Mapping) else list(values)
	items.sort(key=lambda kv: (-kv[1], str(kv[0])))
	total = sum(v for _k, v in items if v > 0)
	figures, running, cut = [], 0.0, None
	for index, (key, value) in enumerate(items, start=1):
		running += value if value > 0 else 0.0
		own = 100.0 * value / total if total and value > 0 else 0.0
		cumulative = min(100.0, 100.0 * running / total) if total else 0.0
		if cut is None and total and cumulative + EPSILON >= share:
			cut = index
		figures.append((key, value, index, own, cumulative))
	head = cut or 0
	rows = tuple(
		ParetoRow(key, value, index, own, cumulative, index <= head)
		for key, value, index, own, cumulative in figures
	)
	return Pareto(
		rows=rows,
		total=total,
		share=share,
		cut_rank=cut,
		head_count=head,
		head_partner_share=100.0 * head / len(rows) if rows else 0.0,
	)


# -- engagement and early warning ----------------------------------------------------------------


def engagement_score(points: float, target: float) -> int:
	"""0..100: the share of ``target`` points reached (100 at or above it)."""
	if points <= 0:
		return 0
	if target <= 0:
		return 100
	return min(100, round(100.0 * points / target))


@dataclass(frozen=True, slots=True)
class HealthRules:
	"""Thresholds (PRM Settings); 0 switches a rule off."""

	inactive_days: int = 30
	revenue_drop_percent: float = 30.0
	onboarding_days: int = 60


@dataclass(frozen=True, slots=True)
class HealthFacts:
	status: str
	last_engaged_on: date | None = None
	active_since: date | None = None  # when the partner became active (else when it was created)
	onboarding_since: date | None = None
	# revenue per currency, the latest period and the one before it
	revenue_current: Mapping[str, float] = field(default_factory=dict)
	revenue_previous: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reason:
	code: str  # "no_engagement", "revenue_drop", "onboarding_stalled"
	days: int | None = None
	currency: str | None = None
	previous: float | None = None
	current: float | None = None
	percent: float | None = None


NO_ENGAGEMENT = "no_engagement"
REVENUE_DROP = "revenue_drop"
ONBOARDING_STALLED = "onboarding_stalled"
ACTIVE = "Active"
ONBOARDING = "Onboarding"


def at_risk_reasons(facts: HealthFacts, rules: HealthRules, today: date) -> list[Reason]:
	"""Why a partner is at risk, in a fixed order; empty when it is not.

	- no engagement: an Active partner whose last engagement (or, with none, its activation) is
	  ``inactive_days`` days ago or more;
	- revenue drop: an Active partner whose revenue in a currency fell by ``revenue_drop_percent``
	  or more against the previous period (which had revenue in it);
	- onboarding stalled: a partner in Onboarding for more than ``onboarding_days`` days.
	"""
	reasons = []
	if facts.status == ACTIVE and rules.inactive_days > 0:
		since = facts.last_engaged_on or facts.active_since
		if since is not None:
			days = (today - since).days
			if days >= rules.inactive_days:
				reasons.append(Reason(NO_ENGAGEMENT, days=days))
	if facts.status == ACTIVE and rules.revenue_drop_percent > 0:
		for currency in sorted(facts.revenue_previous):
			previous = facts.revenue_previous.get(currency) or 0.0
			current = facts.revenue_current.get(currency) or 0.0
			if previous <= 0:
				continue
			drop = 100.0 * (previous - current) / previous
			if drop + EPSILON >= rules.revenue_drop_percent:
				reasons.append(
					Reason(REVENUE_DROP, currency=currency, previous=previous, current=current, percent=drop)
				)
	if facts.status == ONBOARDING and rules.onboarding_days > 0 and facts.onboarding_since is not None:
		days = (today - facts.onboarding_since).days
		if days > rules.onboarding_days:
			reasons.append(Reason(ONBOARDING_STALLED, days=days))
	return reasons


# -- the demo programme's distribution -----------------------------------------------------------


def head_share(weights: Sequence[float], head: float = 0.2) -> float:
	"""The share of the total held by the largest ``head`` fraction of the weights."""
	ordered = sorted(weights, reverse=True)
	k = max(1, round(head * len(ordered)))
	total = sum(ordered)
	return sum(ordered[:k]) / total if total else 0.0


def zipf_weights(n: int, head: float = 0.2, target: float = 0.8) -> list[float]:
	"""n weights 1/i^s, largest first, summing to 1, with s chosen (by bisection) so that the top
	``head`` fraction holds ``target`` of the total, as close as n allows."""
	if n <= 0:
		return []
	if n == 1:
		return [1.0]

	def weights(s: float) -> list[float]:
		raw = [1.0 / (i**s) for i in range(1, n + 1)]
		total = sum(raw)
		return [w / total for w in raw]

	low, high = 0.0, 8.0
	for _ in range(60):
		middle = (low + high) / 2
		if head_share(weights(middle), head) < target:
			low = middle
		else:
			high = middle
	return weights((low + high) / 2)
