import pytest
from hypothesis import given
from hypothesis import strategies as st

from prm_app.engine import tiers as t

REGISTERED = t.Tier("Registered", 1)
SILVER = t.Tier("Silver", 2, min_trailing_revenue=50_000, min_won_deals=2)
GOLD = t.Tier("Gold", 3, min_trailing_revenue=250_000, min_won_deals=10, min_certified_people=2)
PLATINUM = t.Tier("Platinum", 4, min_trailing_revenue=1_000_000, min_won_deals=25, min_certified_people=5)
PROGRAM = [GOLD, REGISTERED, PLATINUM, SILVER]  # deliberately unsorted


def test_percentages_out_of_range():
	assert t.out_of_range_percentages({"discount_percent": 100, "commission_rate": 0}) == []
	assert t.out_of_range_percentages({"discount_percent": 100.01}) == ["discount_percent"]
	assert t.out_of_range_percentages({"rebate_percent": -0.5, "commission_rate": None}) == ["rebate_percent"]


def test_negative_amounts():
	assert t.negative_amounts({"mdf_fixed_amount": 0, "min_won_deals": 3}) == []
	assert t.negative_amounts({"mdf_fixed_amount": -1, "demotion_grace_days": -3}) == [
		"mdf_fixed_amount",
		"demotion_grace_days",
	]


@pytest.mark.parametrize(
	"metrics,expected",
	[
		(t.Metrics(), REGISTERED),
		(t.Metrics(60_000, 2, 0), SILVER),
		(t.Metrics(60_000, 1, 0), REGISTERED),
		(t.Metrics(300_000, 12, 2), GOLD),
		(t.Metrics(300_000, 12, 1), SILVER),
		(t.Metrics(5_000_000, 40, 9), PLATINUM),
	],
)
def test_qualifying_tier(metrics, expected):
	assert t.qualifying_tier(PROGRAM, metrics) == expected


def test_no_tier_qualifies_when_even_the_lowest_has_criteria():
	assert t.qualifying_tier([SILVER, GOLD], t.Metrics()) is None


def test_next_tier_gap_lists_what_is_missing_with_figures():
	gap = t.next_tier_gap(PROGRAM, SILVER.rank, t.Metrics(120_000, 12, 1))
	assert gap.tier == GOLD
	assert not gap.met
	assert gap.needs == (
		("min_trailing_revenue", 250_000, 120_000, 130_000),
		("min_certified_people", 2, 1, 1),
	)


def test_next_tier_gap_at_the_top_and_from_nowhere():
	assert t.next_tier_gap(PROGRAM, PLATINUM.rank, t.Metrics()) is None
	assert t.next_tier_gap(PROGRAM, None, t.Metrics()).tier == REGISTERED


@given(
	revenue=st.floats(min_value=0, max_value=1e8, allow_nan=False),
	won=st.integers(min_value=0, max_value=100),
	certified=st.integers(min_value=0, max_value=20),
)
def test_qualifying_tier_is_met_and_nothing_higher_is(revenue, won, certified):
	metrics = t.Metrics(revenue, won, certified)
	best = t.qualifying_tier(PROGRAM, metrics)
	assert best is not None and t.qualifies(best, metrics)
	assert not any(t.qualifies(x, metrics) for x in PROGRAM if x.rank > best.rank)
