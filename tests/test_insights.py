import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prm_app.engine import insights as i

TODAY = date(2026, 6, 30)
amounts = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


# -- ranks and the composite score


def test_percent_ranks_best_is_100_lowest_is_0_ties_share_the_lowest_place():
	ranks = i.percent_ranks({"a": 0, "b": 0, "c": 10, "d": 30, "e": 30})
	assert ranks == {"a": 0.0, "b": 0.0, "c": 50.0, "d": 100.0, "e": 100.0}


def test_percent_ranks_all_equal_and_not_applicable():
	assert i.percent_ranks({"a": 5, "b": 5}) == {"a": 100.0, "b": 100.0}
	assert i.percent_ranks({"a": 0, "b": 0}) == {"a": 0.0, "b": 0.0}
	assert i.percent_ranks({"a": None, "b": 3, "c": 1}) == {"a": None, "b": 100.0, "c": 0.0}
	assert i.percent_ranks({}) == {}
	assert i.percent_ranks({"new": math.inf, "old": 50.0, "down": -20.0})["new"] == 100.0


@given(st.dictionaries(st.text(min_size=1, max_size=4), st.one_of(st.none(), amounts), max_size=40))
def test_percent_ranks_are_bounded_and_monotone(values):
	ranks = i.percent_ranks(values)
	assert set(ranks) == set(values)
	present = [(values[k], ranks[k]) for k in values if values[k] is not None]
	for _value, rank in present:
		assert 0.0 <= rank <= 100.0
	for a_value, a_rank in present:
		for b_value, b_rank in present:
			if a_value < b_value:
				assert a_rank < b_rank
			if a_value == b_value:
				assert a_rank == b_rank


def test_composite_is_the_weighted_mean_of_applicable_measures():
	weights = {"revenue": 30, "win_rate": 10, "engagement": 10, "unused": 0}
	assert i.composite({"revenue": 100, "win_rate": 50, "engagement": 0}, weights) == pytest.approx(
		(30 * 100 + 10 * 50) / 50, abs=0.05
	)
	# a win rate without closed deals does not apply: the others carry the score
	assert i.composite({"revenue": 100, "win_rate": None, "engagement": 0}, weights) == 75.0
	assert i.composite({"revenue": None}, weights) == 0.0
	assert i.composite({"unused": 100}, weights) == 0.0


@given(
	st.dictionaries(
		st.sampled_from(["r", "g", "w", "e"]), st.one_of(st.none(), st.floats(0, 100)), min_size=0
	),
	st.dictionaries(st.sampled_from(["r", "g", "w", "e"]), st.floats(0, 100)),
)
def test_composite_stays_within_0_and_100(ranks, weights):
	assert 0.0 <= i.composite(ranks, weights) <= 100.0


def test_scorecard_ranks_each_weighted_measure_among_the_partners():
	figures = {
		"A": {"revenue": 900, "win_rate": 50.0},
		"B": {"revenue": 100, "win_rate": None},
		"C": {"revenue": 0, "win_rate": 100.0},
	}
	result = i.scorecard(figures, {"revenue": 3, "win_rate": 1})
	# A: revenue rank 100, win rate rank 0 -> 75; B: revenue 50, no win rate -> 50; C: 0 and 100 -> 25
	assert {p: score for p, (score, _r) in result.items()} == {"A": 75.0, "B": 50.0, "C": 25.0}
	assert result["B"][1] == {"revenue": 50.0, "win_rate": None}


def test_growth_and_ratio():
	assert i.growth(150, 100) == 50.0
	assert i.growth(50, 100) == -50.0
	assert i.growth(10, 0) == math.inf
	assert i.growth(0, 0) is None
	assert i.growth(-10, 0) == -math.inf
	assert i.growth(0, -100) == 100.0
	assert i.ratio(1, 4) == 25.0
	assert i.ratio(1, 0) is None


def test_median():
	assert i.median([]) is None
	assert i.median([3]) == 3.0
	assert i.median([4, 1, 3]) == 3.0
	assert i.median([4, 1, 3, 2]) == 2.5


# -- the 80/20 view


def test_pareto_cut_and_shares_by_hand():
	values = {"A": 500, "B": 300, "C": 100, "D": 50, "E": 50, "F": 0, "G": -20}
	result = i.pareto(values)
	assert [r.key for r in result.rows] == ["A", "B", "C", "D", "E", "F", "G"]
	assert result.total == 1000
	assert [r.share for r in result.rows] == [50.0, 30.0, 10.0, 5.0, 5.0, 0.0, 0.0]
	assert [round(r.cumulative, 6) for r in result.rows] == [50.0, 80.0, 90.0, 95.0, 100.0, 100.0, 100.0]
	assert result.cut_rank == 2  # 80 % reached exactly at B
	assert result.head_count == 2
	assert result.head_partner_share == pytest.approx(200 / 7)
	assert [r.in_head for r in result.rows] == [True, True, False, False, False, False, False]


def test_pareto_edge_cases():
	empty = i.pareto({})
	assert empty.rows == () and empty.cut_rank is None and empty.head_partner_share == 0.0
	nothing = i.pareto({"A": 0, "B": -5})
	assert nothing.cut_rank is None and nothing.head_count == 0
	assert not any(r.in_head for r in nothing.rows)
	single = i.pareto([("A", 10.0)])
	assert single.cut_rank == 1 and single.head_partner_share == 100.0
	ties = i.pareto({"b": 10, "a": 10})
	assert [r.key for r in ties.rows] == ["a", "b"]  # ties by key, stable across runs
	assert i.pareto({"A": 60, "B": 40}, share=50).cut_rank == 1


@given(st.dictionaries(st.integers(0, 10_000), amounts, min_size=1, max_size=60))
def test_pareto_invariants(values):
	result = i.pareto(values)
	assert len(result.rows) == len(values)
	cumulative = [r.cumulative for r in result.rows]
	assert cumulative == sorted(cumulative)
	assert [r.rank for r in result.rows] == list(range(1, len(values) + 1))
	assert all(a.value >= b.value for a, b in zip(result.rows, result.rows[1:], strict=False))
	if result.total > 0:
		cut = result.cut_rank
		assert cut is not None
		assert result.rows[cut - 1].cumulative + 1e-6 >= 80.0
		if cut > 1:
			assert result.rows[cut - 2].cumulative < 80.0 + 1e-6
		assert sum(r.in_head for r in result.rows) == result.head_count == cut
		assert sum(r.share for r in result.rows) == pytest.approx(100.0)
	else:
		assert result.cut_rank is None


# -- engagement and early warning


def test_engagement_score():
	assert i.engagement_score(0, 20) == 0
	assert i.engagement_score(5, 20) == 25
	assert i.engagement_score(40, 20) == 100
	assert i.engagement_score(1, 0) == 100
	assert i.engagement_score(-3, 20) == 0


RULES = i.HealthRules(inactive_days=30, revenue_drop_percent=30, onboarding_days=60)


def test_no_engagement_for_n_days():
	quiet = i.HealthFacts("Active", last_engaged_on=date(2026, 5, 1), active_since=date(2025, 1, 1))
	assert i.at_risk_reasons(quiet, RULES, TODAY) == [i.Reason("no_engagement", days=60)]
	recent = i.HealthFacts("Active", last_engaged_on=date(2026, 6, 1), active_since=date(2025, 1, 1))
	assert i.at_risk_reasons(recent, RULES, TODAY) == []  # 29 days
	# never engaged: counted from the activation
	never = i.HealthFacts("Active", active_since=date(2026, 5, 1))
	assert i.at_risk_reasons(never, RULES, TODAY) == [i.Reason("no_engagement", days=60)]
	fresh = i.HealthFacts("Active", active_since=date(2026, 6, 20))
	assert i.at_risk_reasons(fresh, RULES, TODAY) == []
	# the rule is for active partners, and 0 switches it off
	assert i.at_risk_reasons(i.HealthFacts("Suspended", active_since=date(2020, 1, 1)), RULES, TODAY) == []
	off = i.HealthRules(inactive_days=0, revenue_drop_percent=0, onboarding_days=0)
	assert i.at_risk_reasons(never, off, TODAY) == []


def test_no_engagement_boundary_is_inclusive():
	facts = i.HealthFacts("Active", last_engaged_on=date(2026, 5, 31))
	assert i.at_risk_reasons(facts, RULES, TODAY) == [i.Reason("no_engagement", days=30)]


def test_revenue_falling_period_over_period():
	facts = i.HealthFacts(
		"Active",
		last_engaged_on=TODAY,
		revenue_current={"EUR": 70.0, "USD": 10.0},
		revenue_previous={"EUR": 100.0, "USD": 100.0, "GBP": 0.0},
	)
	reasons = i.at_risk_reasons(facts, RULES, TODAY)
	assert reasons == [
		i.Reason("revenue_drop", currency="EUR", previous=100.0, current=70.0, percent=30.0),
		i.Reason("revenue_drop", currency="USD", previous=100.0, current=10.0, percent=90.0),
	]
	steady = i.HealthFacts(
		"Active", last_engaged_on=TODAY, revenue_current={"EUR": 71}, revenue_previous={"EUR": 100}
	)
	assert i.at_risk_reasons(steady, RULES, TODAY) == []
	# nothing before: nothing can fall
	new = i.HealthFacts("Active", last_engaged_on=TODAY, revenue_current={"EUR": 0})
	assert i.at_risk_reasons(new, RULES, TODAY) == []


def test_onboarding_stalled():
	stalled = i.HealthFacts("Onboarding", onboarding_since=date(2026, 4, 30))
	assert i.at_risk_reasons(stalled, RULES, TODAY) == [i.Reason("onboarding_stalled", days=61)]
	on_time = i.HealthFacts("Onboarding", onboarding_since=date(2026, 5, 1))
	assert i.at_risk_reasons(on_time, RULES, TODAY) == []
	# an onboarding partner is not judged on engagement or revenue yet
	quiet = i.HealthFacts("Onboarding", onboarding_since=TODAY, revenue_previous={"EUR": 100.0})
	assert i.at_risk_reasons(quiet, RULES, TODAY) == []


def test_several_reasons_in_a_fixed_order():
	facts = i.HealthFacts(
		"Active", last_engaged_on=date(2026, 1, 1), revenue_current={}, revenue_previous={"EUR": 500.0}
	)
	assert [r.code for r in i.at_risk_reasons(facts, RULES, TODAY)] == ["no_engagement", "revenue_drop"]


# -- the demo programme's distribution


@pytest.mark.parametrize("n", [5, 10, 50, 200])
def test_zipf_weights_put_about_80_percent_in_the_top_20(n):
	weights = i.zipf_weights(n)
	assert len(weights) == n
	assert sum(weights) == pytest.approx(1.0)
	assert weights == sorted(weights, reverse=True)
	assert i.head_share(weights) == pytest.approx(0.8, abs=0.02)


def test_zipf_weights_small():
	assert i.zipf_weights(0) == []
	assert i.zipf_weights(1) == [1.0]
