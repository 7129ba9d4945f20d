"""Program tiers: validation of a tier's numbers, qualification and the gap to the next tier.

Plain data in, plain data out. The controllers read tiers and partner metrics from the
database, call these functions and persist or display the result.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

PERCENT_FIELDS: tuple[str, ...] = (
	"discount_percent",
	"commission_rate",
	"mdf_allocation_percent",
	"rebate_percent",
	"mdf_co_op_percent",
)
NON_NEGATIVE_FIELDS: tuple[str, ...] = (
	"mdf_fixed_amount",
	"deal_protection_days",
	"min_trailing_revenue",
	"min_won_deals",
	"min_certified_people",
	"demotion_grace_days",
)


def out_of_range_percentages(values: dict) -> list[str]:
	"""Names of percentage fields whose value is outside 0..100 (missing counts as 0)."""
	return [f for f in PERCENT_FIELDS if not 0 <= float(values.get(f) or 0) <= 100]


def negative_amounts(values: dict) -> list[str]:
	"""Names of amount / count fields that are negative (missing counts as 0)."""
	return [f for f in NON_NEGATIVE_FIELDS if float(values.get(f) or 0) < 0]


@dataclass(frozen=True, slots=True)
class Tier:
	name: str
	rank: int
	min_trailing_revenue: float = 0.0
	min_won_deals: int = 0
	min_certified_people: int = 0
	demotion_grace_days: int = 0


@dataclass(frozen=True, slots=True)
class Metrics:
	trailing_revenue: float = 0.0
	won_deals: int = 0
	certified_people: int = 0


@dataclass(frozen=True, slots=True)
class Gap:
	"""What a partner still needs for ``tier``: each entry is (criterion, required, actual, missing)."""

	tier: Tier
	needs: tuple[tuple[str, float, float, float], ...] = field(default_factory=tuple)

	@property
	def met(self) -> bool:
		return not self.needs


CRITERIA: tuple[tuple[str, str], ...] = (
	("min_trailing_revenue", "trailing_revenue"),
	("min_won_deals", "won_deals"),
	("min_certified_people", "certified_people"),
)


def gap_to(tier: Tier, metrics: Metrics) -> Gap:
	needs = []
	for criterion, metric in CRITERIA:
		required = getattr(tier, criterion) or 0
		actual = getattr(metrics, metric) or 0
		if actual < required:
			needs.append((criterion, required, actual, required - actual))
	return Gap(tier, tuple(needs))


def qualifies(tier: Tier, metrics: Metrics) -> bool:
	return gap_to(tier, metrics).met


def by_rank(tiers: Iterable[Tier]) -> list[Tier]:
	return sorted(tiers, key=lambda t: t.rank)


def qualifying_tier(tiers: Sequence[Tier], metrics: Metrics) -> Tier | None:
	"""The highest-ranked tier whose criteria the metrics meet, or None when none is met."""
	best = None
	for tier in by_rank(tiers):
		if qualifies(tier, metrics):
			best = tier
	return best


def next_tier(tiers: Sequence[Tier], current_rank: int | None) -> Tier | None:
	"""The tier ranked directly above ``current_rank`` (the lowest tier when there is none)."""
	for tier in by_rank(tiers):
		if current_rank is None or tier.rank > current_rank:
			return tier
	return None


def next_tier_gap(tiers: Sequence[Tier], current_rank: int | None, metrics: Metrics) -> Gap | None:
	"""What the partner needs for the tier above its current one; None at the top tier."""
	target = next_tier(tiers, current_rank)
	return gap_to(target, metrics) if target else None


# -- evaluation: promotion at once, demotion after the tier's grace, a lock until a date ---------

PROMOTED = "Promoted"
DEMOTED = "Demoted"
ASSIGNED = "Assigned"  # a partner without a (known) tier gets the one it qualifies for


@dataclass(frozen=True, slots=True)
class Standing:
	"""What the evaluation knows of one partner: its tier, since when it has been below that tier's
	criteria (None when it meets them), and the date its tier is locked until (None: not locked)."""

	tier: str | None = None
	below_since: date | None = None
	locked_until: date | None = None


@dataclass(frozen=True, slots=True)
class Decision:
	"""The outcome for one partner: its tier afterwards, the ``below_since`` to store, and a change
	(``change`` is PROMOTED / DEMOTED / ASSIGNED, or None when the tier stays)."""

	tier: str | None
	below_since: date | None
	change: str | None = None
	reason: str = ""

	@property
	def changed(self) -> bool:
		return self.change is not None


def lowest(tiers: Sequence[Tier]) -> Tier | None:
	ranked = by_rank(tiers)
	return ranked[0] if ranked else None


def grace_ends(tier: Tier, below_since: date) -> date:
	return below_since + timedelta(days=max(int(tier.demotion_grace_days or 0), 0))


def evaluate(tiers: Sequence[Tier], standing: Standing, metrics: Metrics, on: date) -> Decision:
	"""The tier a partner holds after an evaluation on ``on``.

	- a lock (``locked_until`` on or after ``on``) keeps the tier and starts no grace;
	- the highest tier whose criteria are met is granted at once when it ranks above the current one;
	- a partner below its tier's criteria keeps the tier for the tier's demotion grace (days counted
	  from the first evaluation that found it below), then moves down to the highest tier it
	  qualifies for (the lowest tier when it qualifies for none);
	- meeting the criteria again ends the grace.
	"""
	if not tiers:
		return Decision(standing.tier, None)
	by_name = {tier.name: tier for tier in tiers}
	current = by_name.get(standing.tier) if standing.tier else None
	if standing.locked_until and standing.locked_until >= on and current:
		return Decision(current.name, None, reason="locked")
	target = qualifying_tier(tiers, metrics) or lowest(tiers)
	if current is None:
		return Decision(target.name, None, ASSIGNED, "no tier")
	if target.rank > current.rank:
		return Decision(target.name, None, PROMOTED, "qualifies")
	if qualifies(current, metrics):
		return Decision(current.name, None)
	since = standing.below_since or on
	if on >= grace_ends(current, since):
		return Decision(target.name, None, DEMOTED, "grace ended")
	return Decision(current.name, since, reason="in grace")


# -- certification lapses: what an expiry costs --------------------------------------------------


@dataclass(frozen=True, slots=True)
class LapseForecast:
	"""People whose every Active certification expires by the horizon, and what that does to the
	partner's tier: ``falls_below`` is the tier whose certified-people criterion would no longer be
	met (None when the lapses cost no tier)."""

	expiring_certifications: int
	people_losing: int
	certified_now: int
	certified_after: int
	falls_below: Tier | None = None

	@property
	def costs_tier(self) -> bool:
		return self.falls_below is not None


def certified_people(certifications: Iterable[tuple[str, date | None]], on: date) -> int:
	"""Distinct people holding a certification valid on ``on`` (expiry None: never expires)."""
	return len({person for person, expires in certifications if expires is None or expires >= on})


def lapse_forecast(
	certifications: Sequence[tuple[str, date | None]], horizon: date, today: date, tier: Tier | None
) -> LapseForecast:
	"""``certifications``: (person, expires_on) of a partner's Active certifications. Which of them
	expire after ``today`` and on or before ``horizon``, and whether the partner then falls below
	``tier``'s certified people (the day after the horizon)."""
	expiring = sum(
		1 for _person, expires in certifications if expires is not None and today <= expires <= horizon
	)
	now = certified_people(certifications, today)
	after = certified_people(certifications, horizon + timedelta(days=1))
	required = tier.min_certified_people if tier else 0
	falls = tier if tier and required and now >= required > after else None
	return LapseForecast(expiring, now - after, now, after, falls)
