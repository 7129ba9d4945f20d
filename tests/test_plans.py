"""Business plan figures (prm_app.engine.plans): quarters of a fiscal year, actuals per quarter,
targets against actuals."""

import itertools
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from prm_app.engine.plans import QUARTERS, add_months, bucket, compare, quarter_of, quarters, running


def test_calendar_year_quarters():
	q = quarters(date(2026, 1, 1), date(2026, 12, 31))
	assert [(x.label, x.start, x.end) for x in q] == [
		("Q1", date(2026, 1, 1), date(2026, 3, 31)),
		("Q2", date(2026, 4, 1), date(2026, 6, 30)),
		("Q3", date(2026, 7, 1), date(2026, 9, 30)),
		("Q4", date(2026, 10, 1), date(2026, 12, 31)),
	]


def test_a_fiscal_year_from_april():
	q = quarters(date(2026, 4, 1), date(2027, 3, 31))
	assert q[0].end == date(2026, 6, 30)
	assert q[3].start == date(2027, 1, 1) and q[3].end == date(2027, 3, 31)


def test_months_clamp_at_the_end_of_a_short_month():
	assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
	assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
	assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
def test_quarters_cover_the_year_without_gaps(start):
	end = add_months(start, 12) - (date(2000, 1, 2) - date(2000, 1, 1))
	q = quarters(start, end)
	assert q[0].start == start and q[-1].end == end
	for earlier, later in itertools.pairwise(q):
		assert (later.start - earlier.end).days == 1
	probe = start
	while probe <= end:
		assert quarter_of(probe, q) is not None
		probe = add_months(probe, 1)


def test_bucket_sums_per_quarter_and_ignores_other_years():
	q = quarters(date(2026, 1, 1), date(2026, 12, 31))
	facts = [
		(date(2026, 2, 1), 100),
		(date(2026, 3, 31), 50),
		(date(2026, 12, 31), 7),
		(date(2025, 12, 31), 999),
	]
	assert bucket(facts, q) == {"Q1": 150.0, "Q2": 0.0, "Q3": 0.0, "Q4": 7.0}


def test_running_counts_heads_and_leaves_future_quarters_empty():
	q = quarters(date(2026, 1, 1), date(2026, 12, 31))
	days = [date(2025, 5, 1), date(2026, 2, 1), date(2026, 8, 1), date(2026, 8, 20)]
	assert running(days, q, today=date(2026, 8, 10)) == {"Q1": 2.0, "Q2": 2.0, "Q3": 3.0, "Q4": None}


def test_compare_targets_and_actuals():
	targets = {
		quarter: {"revenue": 100, "certified_people": n, "mdf_planned": 10}
		for n, quarter in enumerate(QUARTERS, 1)
	}
	actuals = {
		"revenue": {"Q1": 50.0, "Q2": 150.0, "Q3": 0.0, "Q4": None},
		"certified_people": {"Q1": 1.0, "Q2": 3.0, "Q3": None, "Q4": None},
	}
	lines = {(line.metric, line.quarter): line for line in compare(targets, actuals)}
	assert lines["revenue", "Q1"].percent == 50.0
	assert lines["revenue", "Q2"].percent == 150.0
	assert lines["revenue", "Year"].target == 400 and lines["revenue", "Year"].actual == 200.0
	# a head count's year is its latest quarter, not a sum
	assert lines["certified_people", "Year"].target == 4
	assert lines["certified_people", "Year"].actual == 3.0
	# MDF has a target and no computed actual
	assert lines["mdf_planned", "Q1"].actual is None and lines["mdf_planned", "Year"].target == 40
	assert lines["new_customers", "Q1"].actual is None and lines["new_customers", "Q1"].percent is None
