"""The MDF rules (prm_app.engine.mdf): periods, allocation, co-op caps, a budget's balance."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prm_app.engine.mdf import (
	APPROVED,
	CLOSED,
	FIXED_AMOUNT,
	PERCENT_OF_REVENUE,
	SUBMITTED,
	BudgetBook,
	ClaimEntry,
	MDFRuleError,
	RequestEntry,
	add_months,
	allocation,
	check_amount,
	co_op_cap,
	money,
	period_containing,
)

D = Decimal


def test_money_rounds_half_up_to_the_cent():
	assert money("10.005") == D("10.01")
	assert money(-10.005) == D("-10.01")
	assert money(None) == D("0.00")
	assert money(D("1.2349")) == D("1.23")
	with pytest.raises(MDFRuleError):
		money("abc")
	with pytest.raises(MDFRuleError):
		money(float("nan"))


def test_check_amount():
	assert check_amount("12.5") == D("12.50")
	for bad, code in ((0, "amount_not_positive"), (-1, "amount_not_positive"), ("1e20", "amount_too_large")):
		with pytest.raises(MDFRuleError) as e:
			check_amount(bad)
		assert e.value.code == code
	assert check_amount(0, allow_zero=True) == D("0.00")


def test_add_months_keeps_the_day_where_the_month_has_it():
	assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
	assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
	assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


@pytest.mark.parametrize(
	"day, kind, fy_start, start, end",
	[
		(date(2026, 11, 28), "Quarter", date(2026, 1, 1), date(2026, 10, 1), date(2026, 12, 31)),
		(date(2026, 11, 28), "Half-year", date(2026, 1, 1), date(2026, 7, 1), date(2026, 12, 31)),
		(date(2026, 11, 28), "Year", date(2026, 1, 1), date(2026, 1, 1), date(2026, 12, 31)),
		# a fiscal year from April: its first quarter is April-June
		(date(2026, 5, 2), "Quarter", date(2026, 4, 1), date(2026, 4, 1), date(2026, 6, 30)),
		(date(2027, 2, 10), "Quarter", date(2026, 4, 1), date(2027, 1, 1), date(2027, 3, 31)),
		(date(2026, 3, 31), "Half-year", date(2025, 4, 1), date(2025, 10, 1), date(2026, 3, 31)),
		# a UK tax year from 6 April
		(date(2026, 7, 5), "Quarter", date(2026, 4, 6), date(2026, 4, 6), date(2026, 7, 5)),
		(date(2026, 7, 6), "Quarter", date(2026, 4, 6), date(2026, 7, 6), date(2026, 10, 5)),
	],
)
def test_periods_follow_the_fiscal_year(day, kind, fy_start, start, end):
	period = period_containing(day, kind, fy_start)
	assert (period.start, period.end) == (start, end)
	assert period.contains(day)


def test_previous_and_next_period():
	q4 = period_containing(date(2026, 11, 28), "Quarter", date(2026, 1, 1))
	assert (q4.previous().start, q4.previous().end) == (date(2026, 7, 1), date(2026, 9, 30))
	assert (q4.next().start, q4.next().end) == (date(2027, 1, 1), date(2027, 3, 31))
	with pytest.raises(MDFRuleError):
		period_containing(date(2026, 1, 1), "Fortnight", date(2026, 1, 1))


@given(
	st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
	st.sampled_from(["Quarter", "Half-year", "Year"]),
	st.integers(min_value=1, max_value=12),
	st.sampled_from([1, 6, 15]),
)
def test_periods_tile_the_calendar(day, kind, month, anchor_day):
	fy_start = date(2000, month, anchor_day)
	period = period_containing(day, kind, fy_start)
	assert period.start <= day <= period.end
	before = period.previous()
	assert before.end.toordinal() + 1 == period.start.toordinal()
	assert period_containing(before.start, kind, fy_start) == before


def test_allocation():
	assert allocation(PERCENT_OF_REVENUE, 2.5, 0, 100000) == D("2500.00")
	assert allocation(PERCENT_OF_REVENUE, 3, 0, "1234.56") == D("37.04")
	assert allocation(PERCENT_OF_REVENUE, 3, 0, -5000) == D("0.00")  # credit notes: nothing
	assert allocation(FIXED_AMOUNT, 50, "7500", 1e9) == D("7500.00")
	assert allocation(None, 50, 7500, 1e9) == D("0.00")


def test_co_op_cap():
	assert co_op_cap(10000, 50) == D("5000.00")
	assert co_op_cap("333.33", 50) == D("166.67")
	assert co_op_cap(-1, 50) == D("0.00")


def book(allocated=1000, requests=(), claims=()):
	return BudgetBook.of(
		allocated,
		[RequestEntry(n, s, D(a)) for n, s, a in requests],
		[ClaimEntry(n, r, s, D(c), D(a), D(p)) for n, r, s, c, a, p in claims],
	)


def test_figures_from_requests_and_claims():
	b = book(
		1000,
		requests=[("R1", APPROVED, "600"), ("R2", SUBMITTED, "300"), ("R3", CLOSED, "200")],
		claims=[
			("C1", "R1", SUBMITTED, "100", "0", "0"),
			("C2", "R1", APPROVED, "250", "200", "50"),
			("C3", "R3", APPROVED, "150", "150", "150"),
			("C4", "R1", "Rejected", "999", "0", "0"),
		],
	)
	f = b.figures()
	assert f.reserved == D("300.00")  # 600 - 100 pending - 200 approved
	assert f.claimed == D("250.00")  # 100 pending + (200 - 50 paid)
	assert f.paid == D("200.00")  # 50 + 150
	assert f.available == D("250.00")
	assert f.reserved + f.claimed + f.paid + f.available == f.allocated


def test_request_rules():
	b = book(1000, requests=[("R1", APPROVED, "700")])
	assert b.check_request(1000, 200, 50) == D("200.00")
	with pytest.raises(MDFRuleError) as e:
		b.check_request(1000, 600, 60)  # within co-op (600) but over available (300)
	assert (e.value.code, e.value.limit) == ("over_budget", D("300.00"))
	with pytest.raises(MDFRuleError) as e:
		b.check_request(100, 60, 50)
	assert (e.value.code, e.value.limit) == ("over_co_op_share", D("50.00"))
	assert b.check_request(1000, 600, 60, budget=False) == D("600.00")
	with pytest.raises(MDFRuleError):
		b.check_request(1000, -5, 50)
	# a request's own reservation is not counted against itself
	assert b.check_approve_request("R1", 700, 900) == D("700.00")
	with pytest.raises(MDFRuleError) as e:
		b.check_approve_request("R2", 400, 400)
	assert e.value.code == "over_budget"
	with pytest.raises(MDFRuleError) as e:
		b.check_approve_request("R2", 250, 200)
	assert e.value.code == "over_requested"


def test_claim_rules_and_partial_approval():
	b = book(1000, requests=[("R1", APPROVED, "800"), ("R2", SUBMITTED, "100")])
	b.submit_claim("C1", "R1", 1000, 500, 50)
	with pytest.raises(MDFRuleError) as e:
		b.check_claim("C2", "R1", 2000, 400, 50)  # 300 left on R1
	assert (e.value.code, e.value.limit) == ("over_request", D("300.00"))
	with pytest.raises(MDFRuleError) as e:
		b.check_claim("C2", "R1", 400, 300, 50)  # co-op: half of 400
	assert (e.value.code, e.value.limit) == ("over_co_op_share", D("200.00"))
	with pytest.raises(MDFRuleError) as e:
		b.check_claim("C2", "R2", 400, 100, 50)
	assert e.value.code == "request_not_approved"
	# editing a claim does not count it twice
	assert b.check_claim("C1", "R1", 1600, 800, 50) == D("800.00")
	with pytest.raises(MDFRuleError) as e:
		b.check_approve_claim("C1", 501)
	assert e.value.code == "over_claimed"
	b.approve_claim("C1", 350)  # partial: 150 goes back to R1
	assert b.remaining_of("R1") == D("450.00")
	assert b.figures().reserved == D("450.00")
	b.pay("C1", 350)
	assert b.figures().paid == D("350.00")
	b.close_request("R1")
	f = b.figures()
	assert (f.reserved, f.available) == (D("0.00"), D("650.00"))


def test_allocation_cannot_drop_below_what_is_committed():
	b = book(1000, requests=[("R1", APPROVED, "600")])
	assert b.check_allocation(600) == D("600.00")
	with pytest.raises(MDFRuleError) as e:
		b.check_allocation("599.99")
	assert (e.value.code, e.value.limit) == ("below_committed", D("600.00"))
	with pytest.raises(MDFRuleError):
		b.check_allocation(-1)


# -- property: no sequence of requests and claims exceeds a budget ------------------------------

amounts = st.decimals(min_value=D("-50"), max_value=D("2000"), places=2, allow_nan=False)
operation = st.one_of(
	st.tuples(st.just("request"), amounts, amounts, st.integers(0, 100)),
	st.tuples(st.just("approve_request"), st.integers(0, 9), amounts),
	st.tuples(st.just("claim"), st.integers(0, 9), amounts, amounts, st.integers(0, 100)),
	st.tuples(st.just("approve_claim"), st.integers(0, 19), amounts),
	st.tuples(st.just("reject_claim"), st.integers(0, 19)),
	st.tuples(st.just("pay"), st.integers(0, 19), amounts),
	st.tuples(st.just("close"), st.integers(0, 9)),
	st.tuples(st.just("adjust"), amounts),
)


@given(st.decimals(min_value=D("0"), max_value=D("5000"), places=2), st.lists(operation, max_size=60))
def test_no_sequence_of_requests_and_claims_exceeds_the_budget(allocated, operations):
	b = BudgetBook.of(allocated)
	pending: dict[str, D] = {}
	for op in operations:
		try:
			if op[0] == "request":
				_, cost, requested, share = op
				name = f"R{len(b.requests) + len(pending)}"
				pending[name] = b.check_request(cost, requested, share)
			elif op[0] == "approve_request":
				names = sorted(pending)
				if names:
					name = names[op[1] % len(names)]
					b.approve_request(name, op[2], pending.pop(name))
			elif op[0] == "claim":
				names = sorted(b.requests)
				if names:
					_, i, cost, claimed, share = op
					b.submit_claim(f"C{len(b.claims)}", names[i % len(names)], cost, claimed, share)
			elif op[0] in ("approve_claim", "reject_claim", "pay"):
				names = sorted(b.claims)
				if names:
					name = names[op[1] % len(names)]
					if op[0] == "approve_claim":
						b.approve_claim(name, op[2])
					elif op[0] == "reject_claim" and b.claims[name].status == SUBMITTED:
						b.set_claim_status(name, "Rejected")
					elif op[0] == "pay" and b.claims[name].status == APPROVED:
						b.pay(name, op[2])
			elif op[0] == "close":
				names = sorted(b.requests)
				if names:
					b.close_request(names[op[1] % len(names)])
			elif op[0] == "adjust":
				b.allocated = b.check_allocation(op[1])
		except MDFRuleError:
			pass
		f = b.figures()
		assert f.available >= 0, f
		assert f.reserved + f.claimed + f.paid + f.available == f.allocated
		assert min(f.reserved, f.claimed, f.paid) >= 0
		for request in b.requests.values():
			# claims never take more than their request approved
			assert b.used_of(request.name) <= request.amount
