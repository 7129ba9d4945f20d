"""Rebate arithmetic (prm_app.engine.rebates): tier percentage, incentive rules, reversals, rounding."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from prm_app.engine.mdf import money
from prm_app.engine.rebates import (
	Accrued,
	Invoice,
	Line,
	Rule,
	accrue,
	batch,
	journal_lines,
	reverse_cancelled,
	reverse_return,
)

D = Decimal
HARDWARE = frozenset({"Hardware", "Products", "All Item Groups"})
SERVICES = frozenset({"Services", "All Item Groups"})


def invoice(name, net, lines=(), day=date(2026, 8, 10), **kw):
	return Invoice(name, day, D(net), tuple(lines), **kw)


def line(code, groups, qty, net):
	return Line(code, groups, D(qty), D(net))


def test_tier_percentage_rounded_per_invoice():
	a = accrue(invoice("SI-1", "1000.10"), D("2.5"))
	assert (a.tier_rebate, a.incentive, a.total) == (D("25.00"), D("0.00"), D("25.00"))  # 25.0025
	b = accrue(invoice("SI-2", "0.30"), D("5"))  # 0.015 -> 0.02, half up
	assert b.tier_rebate == D("0.02")
	credit = accrue(invoice("SI-3", "-0.30"), D("5"))
	assert credit.tier_rebate == D("-0.02")  # symmetric


def test_product_line_bonus_and_spiff():
	lines = [line("HW-1", HARDWARE, 2, "800"), line("SV-1", SERVICES, 1, "200")]
	product_line = Rule("Hardware bonus", percent=D("3"), item_group="Hardware")
	spiff = Rule(
		"Autumn SPIFF",
		amount_per_unit=D("12.50"),
		item_code="HW-1",
		valid_from=date(2026, 8, 1),
		valid_to=date(2026, 8, 31),
	)
	a = accrue(invoice("SI-1", "1000", lines), D("2"), [product_line, spiff])
	assert a.tier_rebate == D("20.00")
	assert a.incentive == D("49.00")  # 3% of 800 + 2 x 12.50
	assert a.rules == ("Hardware bonus", "Autumn SPIFF")
	late = accrue(invoice("SI-2", "1000", lines, day=date(2026, 9, 1)), D("2"), [product_line, spiff])
	assert late.incentive == D("24.00")
	assert late.rules == ("Hardware bonus",)


def test_full_return_reverses_exactly_what_was_accrued():
	original = accrue(
		invoice("SI-1", "333.33", [line("HW", HARDWARE, 3, "333.33")]),
		D("3"),
		[Rule("r", percent=D("1.5"), item_group="Hardware")],
	)
	first = reverse_return(invoice("CN-1", "-111.11", return_against="SI-1"), original)
	second = reverse_return(
		invoice("CN-2", "-222.22", return_against="SI-1"),
		original,
		returned_before=D("111.11"),
		reversed_before=(first.tier_rebate, first.incentive),
	)
	assert first.tier_rebate + second.tier_rebate == -original.tier_rebate
	assert first.incentive + second.incentive == -original.incentive
	assert second.reverses == "SI-1"


def test_cancelled_invoice_gives_back_everything():
	rows = [
		Accrued("SI-1", D("100"), D("3.00"), D("1.25")),
		Accrued("SI-1", D("-40"), D("-1.20"), D("-0.50")),
	]
	back = reverse_cancelled("SI-1", rows)
	assert (back.net_amount, back.tier_rebate, back.incentive) == (D("-60"), D("-1.80"), D("-0.75"))


def test_batch_and_journal_lines():
	rows = [accrue(invoice(f"SI-{i}", net), D("2.5")) for i, net in enumerate(["100.02", "200.02", "-50.02"])]
	total = batch(rows)
	assert total.tier_rebate == sum(r.tier_rebate for r in rows)
	assert total.revenue == D("250.02")
	assert journal_lines(D("6.25")) == (
		("expense", D("6.25"), D("0.00")),
		("liability", D("0.00"), D("6.25")),
	)
	assert journal_lines(D("-6.25")) == (
		("expense", D("0.00"), D("6.25")),
		("liability", D("6.25"), D("0.00")),
	)


nets = st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2)
percents = st.decimals(min_value=D("0"), max_value=D("100"), places=2)


@given(nets, percents, st.lists(st.integers(min_value=1, max_value=99), max_size=6))
def test_partial_returns_never_reverse_more_and_a_full_return_reverses_all(net, percent, cuts):
	original = accrue(invoice("SI", net), percent)
	returned, reversed_tier = D("0"), D("0")
	portions = []
	left = net
	for cut in cuts:
		portion = money(left * cut / 100)
		if portion <= 0:
			continue
		portions.append(portion)
		left -= portion
	portions.append(left)  # the rest: a full return in the end
	for i, portion in enumerate(portions):
		if portion <= 0:
			continue
		r = reverse_return(
			invoice(f"CN-{i}", -portion),
			original,
			returned_before=returned,
			reversed_before=(reversed_tier, 0),
		)
		returned += portion
		reversed_tier += r.tier_rebate
		assert abs(reversed_tier) <= abs(original.tier_rebate)
	assert reversed_tier == -original.tier_rebate


@given(st.lists(st.tuples(nets, st.booleans()), max_size=30), percents)
def test_a_batch_equals_its_lines_to_the_cent(rows, percent):
	lines = [
		accrue(invoice(f"SI-{i}", -net if credit else net), percent) for i, (net, credit) in enumerate(rows)
	]
	total = batch(lines)
	assert total.total == sum((r.total for r in lines), D("0"))
	exact = sum((D(str(r.net_amount)) * percent / 100 for r in lines), D("0"))
	assert abs(total.tier_rebate - exact) <= D("0.005") * max(len(lines), 1)
	debit = sum(d for _, d, _ in journal_lines(total.total))
	credit = sum(c for _, _, c in journal_lines(total.total))
	assert debit == credit == abs(total.total)
