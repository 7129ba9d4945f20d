"""Lead distribution rules (prm_app.engine.lead_distribution): which rule takes a lead, which
partners qualify, round robin, best acceptance rate, capacity, max offers."""

from hypothesis import given
from hypothesis import strategies as st

from prm_app.engine.lead_distribution import (
	BEST_ACCEPTANCE_RATE,
	ROUND_ROBIN,
	Candidate,
	Distributor,
	Lead,
	Rule,
	acceptance_rate,
	choose,
	copy_candidates,
	first_rule,
	has_capacity,
	partner_qualifies,
	rule_takes,
)

EMEA = frozenset({"All Territories", "EMEA", "Germany"})
AMER = frozenset({"All Territories", "Americas", "United States"})


def lead(name="L1", territories=EMEA, country="Germany", groups=frozenset({"All Item Groups", "Solar"})):
	return Lead(name, territories, country, groups)


def partner(name, **kw):
	values = {"territories": EMEA, "country": "Germany", "partner_type": "Reseller", "tier_rank": 2}
	values.update(kw)
	return Candidate(name, **values)


# -- which rule, which partners


def test_a_rule_takes_leads_by_territory_tree_country_and_product_group():
	assert rule_takes(Rule("any"), lead())
	assert rule_takes(Rule("emea", territory="EMEA"), lead())
	assert not rule_takes(Rule("amer", territory="Americas"), lead())
	assert rule_takes(Rule("de", country="Germany"), lead())
	assert not rule_takes(Rule("fr", country="France"), lead())
	assert rule_takes(Rule("solar", product_interest="Solar"), lead())
	assert rule_takes(Rule("all", product_interest="All Item Groups"), lead())
	assert not rule_takes(Rule("wind", product_interest="Wind"), lead())
	assert not rule_takes(Rule("solar", product_interest="Solar"), lead(groups=frozenset()))


def test_first_rule_by_priority_then_name():
	rules = [Rule("b-general"), Rule("a-emea", territory="EMEA", priority=5), Rule("a-general")]
	assert first_rule(rules, lead()).name == "a-emea"
	assert first_rule(rules, lead(territories=AMER)).name == "a-general"
	assert first_rule([Rule("x", country="France")], lead()) is None


def test_partners_qualify_by_territory_country_type_and_lowest_tier():
	rule = Rule("r", territory="EMEA", country="Germany", partner_type="Reseller", lowest_tier_rank=2)
	assert partner_qualifies(rule, partner("ok"))
	assert partner_qualifies(rule, partner("higher tier", tier_rank=5))
	assert not partner_qualifies(rule, partner("lower tier", tier_rank=1))
	assert not partner_qualifies(rule, partner("no tier", tier_rank=None))
	assert not partner_qualifies(rule, partner("agent", partner_type="Agent"))
	assert not partner_qualifies(rule, partner("us", territories=AMER))
	assert not partner_qualifies(rule, partner("fr", country="France"))


def test_an_explicit_partner_list_replaces_the_criteria():
	rule = Rule("r", territory="Americas", partners={"only": 0})
	assert partner_qualifies(rule, partner("only"))
	assert not partner_qualifies(rule, partner("other", territories=AMER))


# -- choosing


def test_round_robin_takes_turns_and_starts_with_those_never_offered():
	rule = Rule("r")
	a = partner("a", last_offered=5.0)
	b = partner("b", last_offered=2.0)
	c = partner("c")
	assert choose(rule, [a, b, c]).partner == "c"
	assert choose(rule, [a, b]).partner == "b"
	assert choose(rule, [a, b], exclude={"b"}).partner == "a"
	assert choose(rule, [a, b], exclude={"a", "b"}) is None


def test_round_robin_turns_through_a_batch():
	rule = Rule("r")
	candidates = [partner(n) for n in ("a", "b", "c")]
	distributor = Distributor([rule], {"r": candidates})
	order = [distributor.assign(lead(f"L{i}"))[1].partner for i in range(7)]
	assert order == ["a", "b", "c", "a", "b", "c", "a"]


def test_best_acceptance_rate_prefers_the_partner_that_accepts_most():
	rule = Rule("r", method=BEST_ACCEPTANCE_RATE)
	keen = partner("keen", offered=10, accepted=9)
	lazy = partner("lazy", offered=10, accepted=1)
	new = partner("new")  # no history: one half
	assert choose(rule, [lazy, new, keen]).partner == "keen"
	assert choose(rule, [lazy, new]).partner == "new"
	assert choose(rule, [lazy]).partner == "lazy"


def test_equal_rates_go_to_the_partner_with_fewer_open_leads():
	rule = Rule("r", method=BEST_ACCEPTANCE_RATE)
	busy = partner("a-busy", offered=4, accepted=2, open_leads=3)
	free = partner("b-free", offered=4, accepted=2, open_leads=0)
	assert choose(rule, [busy, free]).partner == "b-free"


def test_acceptance_rate_is_smoothed_and_bounded():
	assert acceptance_rate(0, 0) == 0.5
	assert acceptance_rate(9, 10) > acceptance_rate(1, 1) > acceptance_rate(0, 0)
	assert acceptance_rate(5, 3) == acceptance_rate(3, 3)  # never above one
	assert 0 < acceptance_rate(0, 100) < 0.02


def test_capacity_stops_a_partner_and_zero_means_no_limit():
	rule = Rule("r", capacity=2)
	full = partner("full", open_leads=2)
	assert not has_capacity(rule, full)
	assert choose(rule, [full]) is None
	assert has_capacity(Rule("r", capacity=0), partner("x", open_leads=1000))
	# a partner's own capacity in the rule's list wins
	listed = Rule("r", capacity=2, partners={"full": 5})
	assert has_capacity(listed, full)


def test_max_offers_hands_the_lead_back_to_the_channel_team():
	rule = Rule("r", max_offers=2)
	distributor = Distributor([rule], {"r": [partner("a"), partner("b"), partner("c")]})
	assert distributor.assign(lead(), tried=1)[1] is not None
	found_rule, chosen = distributor.assign(lead(), tried=2)
	assert found_rule.name == "r" and chosen is None


def test_no_rule_no_partner():
	distributor = Distributor([Rule("r", country="France")], {"r": [partner("a")]})
	assert distributor.assign(lead()) == (None, None)


def test_a_named_rule_is_followed_even_when_another_comes_first():
	rules = [Rule("first", priority=9), Rule("second")]
	distributor = Distributor(rules, {"first": [partner("a")], "second": [partner("b")]})
	assert distributor.assign(lead(), rule_name="second")[1].partner == "b"


def test_open_leads_count_across_rules():
	rules = [Rule("one", priority=2, capacity=1), Rule("two", capacity=1)]
	distributor = Distributor(rules, {"one": [partner("a")], "two": [partner("a")]})
	assert distributor.assign(lead("L1"))[1].partner == "a"
	# "a" now holds one open lead under every rule: rule two's capacity is reached too
	assert distributor.assign(lead("L2"), rule_name="two")[1] is None


# -- invariants

names = st.sampled_from([f"p{i}" for i in range(6)])
candidate_strategy = st.builds(
	lambda name, open_leads, offered, accepted, last: Candidate(
		name, EMEA, "Germany", "Reseller", 2, open_leads, offered, min(accepted, offered), last
	),
	names,
	st.integers(0, 5),
	st.integers(0, 30),
	st.integers(0, 30),
	st.one_of(st.none(), st.floats(0, 100, allow_nan=False)),
)
unique_candidates = st.lists(candidate_strategy, max_size=6, unique_by=lambda c: c.partner)


@given(
	unique_candidates,
	st.integers(0, 6),
	st.sampled_from([ROUND_ROBIN, BEST_ACCEPTANCE_RATE]),
	st.integers(0, 40),
)
def test_capacity_is_never_exceeded(candidates, capacity, method, leads):
	start = {c.partner: c.open_leads for c in candidates}
	rule = Rule("r", method=method, capacity=capacity)
	distributor = Distributor([rule], {"r": copy_candidates(candidates)})
	for i in range(leads):
		distributor.assign(lead(f"L{i}"))
	for c in distributor.candidates["r"]:
		gained = c.open_leads - start[c.partner]
		if capacity:
			assert c.open_leads <= max(capacity, start[c.partner])
			assert gained == 0 or c.open_leads <= capacity
	handed = len(distributor.handed)
	if capacity:
		room = sum(max(capacity - n, 0) for n in start.values())
		assert handed == min(leads, room)
	else:
		assert handed == (leads if candidates else 0)


@given(st.integers(1, 6), st.integers(1, 5))
def test_round_robin_is_fair(partners, rounds):
	candidates = [partner(f"p{i}") for i in range(partners)]
	distributor = Distributor([Rule("r")], {"r": candidates})
	for i in range(partners * rounds):
		distributor.assign(lead(f"L{i}"))
	counts = {}
	for _lead, _rule, name in distributor.handed:
		counts[name] = counts.get(name, 0) + 1
	assert set(counts.values()) == {rounds}


@given(unique_candidates, st.sets(names))
def test_best_rate_choice_is_a_best_eligible_partner(candidates, exclude):
	rule = Rule("r", method=BEST_ACCEPTANCE_RATE, capacity=4)
	chosen = choose(rule, candidates, exclude)
	eligible = [c for c in candidates if c.partner not in exclude and c.open_leads < 4]
	if not eligible:
		assert chosen is None
		return
	assert chosen in eligible
	best = max(acceptance_rate(c.accepted, c.offered) for c in eligible)
	assert acceptance_rate(chosen.accepted, chosen.offered) == best


@given(unique_candidates, st.sets(names), st.sampled_from([ROUND_ROBIN, BEST_ACCEPTANCE_RATE]))
def test_excluded_partners_are_never_chosen(candidates, exclude, method):
	chosen = choose(Rule("r", method=method), candidates, exclude)
	assert chosen is None or chosen.partner not in exclude
	if chosen is None:
		assert all(c.partner in exclude for c in candidates)
