"""The tier engine's evaluation rules and the certification lapse forecast (plain Python)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from prm_app.engine import tiers as t

REGISTERED = t.Tier("Registered", 1)
SILVER = t.Tier("Silver", 2, min_trailing_revenue=50_000, min_won_deals=2, demotion_grace_days=30)
GOLD = t.Tier("Gold", 3, 250_000, 10, 3, demotion_grace_days=60)
PROGRAM = [GOLD, REGISTERED, SILVER]
DAY = date(2026, 6, 1)


def test_promotion_takes_effect_at_once():
	decision = t.evaluate(PROGRAM, t.Standing("Registered"), t.Metrics(300_000, 12, 3), DAY)
	assert (decision.tier, decision.change, decision.below_since) == ("Gold", t.PROMOTED, None)


def test_promotion_ends_a_grace():
	standing = t.Standing("Silver", below_since=DAY - timedelta(days=10))
	decision = t.evaluate(PROGRAM, standing, t.Metrics(300_000, 12, 3), DAY)
	assert decision.tier == "Gold" and decision.below_since is None


def test_below_criteria_starts_the_grace_and_keeps_the_tier():
	decision = t.evaluate(PROGRAM, t.Standing("Gold"), t.Metrics(300_000, 12, 2), DAY)
	assert (decision.tier, decision.change, decision.below_since) == ("Gold", None, DAY)


def test_demotion_only_after_the_grace():
	since = DAY - timedelta(days=59)
	kept = t.evaluate(PROGRAM, t.Standing("Gold", since), t.Metrics(60_000, 3, 0), DAY)
	assert (kept.tier, kept.below_since, kept.change) == ("Gold", since, None)
	since = DAY - timedelta(days=60)
	demoted = t.evaluate(PROGRAM, t.Standing("Gold", since), t.Metrics(60_000, 3, 0), DAY)
	assert (demoted.tier, demoted.change, demoted.below_since) == ("Silver", t.DEMOTED, None)


def test_demotion_goes_to_the_lowest_tier_when_none_qualifies():
	program = [t.Tier("Entry", 1, min_won_deals=1), SILVER]
	decision = t.evaluate(program, t.Standing("Silver", DAY - timedelta(days=31)), t.Metrics(), DAY)
	assert (decision.tier, decision.change) == ("Entry", t.DEMOTED)


def test_no_grace_demotes_on_the_first_evaluation():
	program = [REGISTERED, t.Tier("Silver", 2, min_won_deals=2)]
	decision = t.evaluate(program, t.Standing("Silver"), t.Metrics(), DAY)
	assert (decision.tier, decision.change) == ("Registered", t.DEMOTED)


def test_meeting_the_criteria_again_ends_the_grace():
	decision = t.evaluate(
		PROGRAM, t.Standing("Gold", DAY - timedelta(days=5)), t.Metrics(300_000, 12, 3), DAY
	)
	assert (decision.tier, decision.below_since, decision.change) == ("Gold", None, None)


def test_a_lock_keeps_the_tier_until_its_date():
	locked = t.Standing("Gold", below_since=DAY - timedelta(days=400), locked_until=DAY)
	assert t.evaluate(PROGRAM, locked, t.Metrics(), DAY) == t.Decision("Gold", None, reason="locked")
	# also against a promotion
	low = t.Standing("Registered", locked_until=DAY + timedelta(days=1))
	assert t.evaluate(PROGRAM, low, t.Metrics(300_000, 12, 3), DAY).tier == "Registered"
	# the day after the lock, the rules apply (the grace starts then: a lock stores no grace)
	after = t.evaluate(PROGRAM, t.Standing("Gold", None, DAY), t.Metrics(), DAY + timedelta(days=1))
	assert (after.tier, after.below_since) == ("Gold", DAY + timedelta(days=1))


def test_a_partner_without_a_known_tier_gets_the_one_it_qualifies_for():
	assert t.evaluate(PROGRAM, t.Standing(None), t.Metrics(60_000, 2), DAY).tier == "Silver"
	assert t.evaluate(PROGRAM, t.Standing("Deleted Tier"), t.Metrics(), DAY).change == t.ASSIGNED
	assert t.evaluate([], t.Standing("Gold"), t.Metrics(), DAY) == t.Decision("Gold", None)


tier_st = st.builds(
	lambda rank, rev, won, cert, grace: t.Tier(f"T{rank}", rank, rev, won, cert, grace),
	st.integers(1, 6),
	st.sampled_from([0, 1000, 50_000]),
	st.integers(0, 5),
	st.integers(0, 4),
	st.integers(0, 90),
)
metrics_st = st.builds(
	t.Metrics, st.sampled_from([0, 999, 1000, 60_000]), st.integers(0, 6), st.integers(0, 5)
)


@given(
	st.lists(tier_st, min_size=1, max_size=5, unique_by=lambda x: x.rank),
	st.integers(1, 6),
	metrics_st,
	st.one_of(st.none(), st.integers(0, 200)),
)
def test_evaluation_invariants(tiers, current_rank, metrics, days_below):
	current = next((x for x in tiers if x.rank == current_rank), None)
	since = DAY - timedelta(days=days_below) if days_below is not None else None
	standing = t.Standing(current.name if current else None, since)
	decision = t.evaluate(tiers, standing, metrics, DAY)
	ranks = {x.name: x.rank for x in tiers}
	assert decision.tier in ranks
	best = t.qualifying_tier(tiers, metrics)
	if current is None:
		assert decision.change == t.ASSIGNED
		return
	if decision.change == t.PROMOTED:
		assert ranks[decision.tier] > current.rank and decision.tier == best.name
	if decision.change == t.DEMOTED:
		# never before the grace is over, never below what the partner qualifies for
		assert not t.qualifies(current, metrics)
		assert DAY >= t.grace_ends(current, since or DAY)
		assert decision.tier == (best or t.lowest(tiers)).name
	if decision.change is None:
		assert decision.tier == current.name
		# kept while below its criteria only inside the grace, which is then tracked
		assert (decision.below_since is not None) == (not t.qualifies(current, metrics))
	else:
		assert decision.below_since is None


def test_lapse_forecast_says_what_it_costs():
	certs = [
		("ann", DAY + timedelta(days=10)),
		("bob", DAY + timedelta(days=20)),
		("bob", DAY + timedelta(days=25)),  # bob's two both lapse
		("cid", None),  # never expires
	]
	forecast = t.lapse_forecast(certs, DAY + timedelta(days=30), DAY, GOLD)
	assert forecast.expiring_certifications == 3
	assert (forecast.certified_now, forecast.certified_after, forecast.people_losing) == (3, 1, 2)
	assert forecast.falls_below == GOLD and forecast.costs_tier


def test_a_person_with_a_lasting_certification_is_not_lost():
	certs = [
		("ann", DAY + timedelta(days=5)),
		("ann", DAY + timedelta(days=400)),
		("bob", None),
		("cid", None),
	]
	forecast = t.lapse_forecast(certs, DAY + timedelta(days=30), DAY, GOLD)
	assert forecast.expiring_certifications == 1 and forecast.people_losing == 0
	assert not forecast.costs_tier


def test_lapses_cost_nothing_when_the_tier_is_not_met_anyway_or_needs_no_one():
	certs = [("ann", DAY + timedelta(days=5))]
	assert t.lapse_forecast(certs, DAY + timedelta(days=30), DAY, GOLD).falls_below is None
	assert t.lapse_forecast(certs, DAY + timedelta(days=30), DAY, SILVER).falls_below is None
	assert t.lapse_forecast(certs, DAY + timedelta(days=30), DAY, None).people_losing == 1
	# an expiry after the horizon is not counted
	assert t.lapse_forecast(certs, DAY + timedelta(days=3), DAY, GOLD).expiring_certifications == 0
