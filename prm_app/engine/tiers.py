"""Program tiers: validation of a tier's numbers, qualification and the gap to the next tier.

Plain data in, plain data out. The controllers read tiers and partner metrics from the
database, call these functions and persist or display the result.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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
