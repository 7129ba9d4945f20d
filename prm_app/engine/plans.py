"""Joint business plans in plain Python: a fiscal year's quarters, actuals bucketed into them, and
targets set against actuals.

Actuals are never typed: the caller reads dated facts (invoice amounts, first invoices of new
customers, registrations, certifications) for one partner and fiscal year and hands them here.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
# the figures a plan sets a target for; those with an actual are computed from the partner's records
METRICS = ("revenue", "new_customers", "registrations", "certified_people", "mdf_planned")
COMPUTED = ("revenue", "new_customers", "registrations", "certified_people")
CUMULATIVE = frozenset({"certified_people"})  # a head count at the quarter's end, not a sum


@dataclass(frozen=True, slots=True)
class Quarter:
	label: str
	start: date
	end: date  # inclusive


def add_months(day: date, months: int) -> date:
	"""``day`` moved by whole months, clamped to the end of a shorter month."""
	month = day.month - 1 + months
	year = day.year + month // 12
	month = month % 12 + 1
	for last in (31, 30, 29, 28):
		try:
			return date(year, month, min(day.day, last))
		except ValueError:
			continue
	raise ValueError(day)


def quarters(start: date, end: date) -> list[Quarter]:
	"""Four quarters of three months from ``start``; the last one ends on ``end`` (a fiscal year
	that is not twelve months long puts the difference in Q4)."""
	if end < start:
		raise ValueError("a fiscal year cannot end before it starts")
	result = []
	for index, label in enumerate(QUARTERS):
		q_start = add_months(start, 3 * index)
		q_end = end if index == 3 else add_months(start, 3 * (index + 1)) - timedelta(days=1)
		result.append(Quarter(label, q_start, min(q_end, end)))
	return result


def quarter_of(day: date, periods: list[Quarter]) -> str | None:
	for quarter in periods:
		if quarter.start <= day <= quarter.end:
			return quarter.label
	return None


def bucket(facts: Iterable[tuple[date, float]], periods: list[Quarter]) -> dict[str, float]:
	"""Sum dated amounts per quarter; dates outside the year are ignored."""
	totals = {q.label: 0.0 for q in periods}
	for day, amount in facts:
		label = quarter_of(day, periods)
		if label:
			totals[label] += float(amount or 0)
	return totals


def running(facts: Iterable[date], periods: list[Quarter], today: date) -> dict[str, float | None]:
	"""How many facts are dated on or before each quarter's end (a head count over time); None for
	a quarter that has not started yet."""
	days = sorted(facts)
	result = {}
	for quarter in periods:
		if quarter.start > today:
			result[quarter.label] = None
			continue
		cut = min(quarter.end, today)
		result[quarter.label] = float(sum(1 for d in days if d <= cut))
	return result


@dataclass(frozen=True, slots=True)
class Line:
	metric: str
	quarter: str  # Q1..Q4, or "Year"
	target: float
	actual: float | None  # None: not computed (MDF) or the quarter has not started

	@property
	def percent(self) -> float | None:
		if self.actual is None or not self.target:
			return None
		return round(self.actual / self.target * 100, 1)


def compare(targets: dict[str, dict[str, float]], actuals: dict[str, dict[str, float | None]]) -> list[Line]:
	"""Target against actual for every metric and quarter, and for the year.

	``targets``: quarter -> metric -> target; ``actuals``: metric -> quarter -> actual. The year's
	actual of a head count is its latest quarter's; of the others, the sum."""
	lines = []
	for metric in METRICS:
		year_target = 0.0
		year_actual: float | None = None
		for quarter in QUARTERS:
			target = float((targets.get(quarter) or {}).get(metric) or 0)
			actual = (actuals.get(metric) or {}).get(quarter) if metric in COMPUTED else None
			lines.append(Line(metric, quarter, target, actual))
			if metric in CUMULATIVE:
				year_target = max(year_target, target)
				if actual is not None:
					year_actual = actual
			else:
				year_target += target
				if actual is not None:
					year_actual = (year_actual or 0.0) + actual
		lines.append(Line(metric, "Year", year_target, year_actual))
	return lines
