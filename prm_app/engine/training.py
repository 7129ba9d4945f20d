"""Training rules: grading a quiz, checking a quiz is well formed, who may take a module.

Plain data in, plain data out; the Training Module and Training Attempt controllers read the
stored quiz and call these. Grading happens on the server only: the answer key never leaves it.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SINGLE = "Single Choice"
MULTIPLE = "Multiple Choice"
QUESTION_TYPES = (SINGLE, MULTIPLE)


@dataclass(frozen=True, slots=True)
class Question:
	"""A quiz question: its number (1, 2, ...), type, points and the numbers of its options (1, 2, ...)
	with those that are correct."""

	number: int
	kind: str
	points: float
	options: tuple[int, ...]
	correct: frozenset[int]


@dataclass(frozen=True, slots=True)
class Outcome:
	number: int
	correct: bool
	awarded: float
	points: float
	chosen: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Grade:
	outcomes: tuple[Outcome, ...]
	awarded: float
	possible: float
	score: float  # percent, 0..100, rounded to 2 places
	passed: bool

	@property
	def missed(self) -> tuple[int, ...]:
		return tuple(o.number for o in self.outcomes if not o.correct)


def quiz_problems(questions: Sequence[Question]) -> list[tuple[int, str]]:
	"""(question number, problem) for every question that cannot be graded: "type", "points",
	"options" (fewer than two), "no_correct", "single_many" (a single-choice question with more
	than one correct option)."""
	problems = []
	for q in questions:
		if q.kind not in QUESTION_TYPES:
			problems.append((q.number, "type"))
		if not q.points or q.points <= 0:
			problems.append((q.number, "points"))
		if len(q.options) < 2:
			problems.append((q.number, "options"))
		if not q.correct:
			problems.append((q.number, "no_correct"))
		elif q.kind == SINGLE and len(q.correct) > 1:
			problems.append((q.number, "single_many"))
	return problems


def clean_answers(
	questions: Sequence[Question], answers: Mapping[int, Iterable[int]]
) -> dict[int, frozenset[int]]:
	"""Answers kept only where they name a question and its options; a single-choice question
	answered with several options counts as unanswered."""
	known = {q.number: q for q in questions}
	cleaned = {}
	for number, chosen in answers.items():
		q = known.get(number)
		if not q:
			continue
		picked = frozenset(c for c in chosen if c in q.options)
		if q.kind == SINGLE and len(picked) > 1:
			picked = frozenset()
		cleaned[number] = picked
	return cleaned


def grade(questions: Sequence[Question], answers: Mapping[int, Iterable[int]], passing_score: float) -> Grade:
	"""All or nothing per question: full points when the chosen options are exactly the correct
	ones. The score is the share of points earned, in percent; passed when it reaches
	``passing_score``."""
	answers = clean_answers(questions, answers)
	outcomes = []
	for q in sorted(questions, key=lambda q: q.number):
		chosen = answers.get(q.number, frozenset())
		right = bool(chosen) and chosen == q.correct
		outcomes.append(Outcome(q.number, right, q.points if right else 0.0, q.points, chosen))
	awarded = sum(o.awarded for o in outcomes)
	possible = sum(o.points for o in outcomes)
	score = round(awarded * 100.0 / possible, 2) if possible else 0.0
	return Grade(tuple(outcomes), awarded, possible, score, score >= float(passing_score or 0))


def attempts_left(allowed: int | None, used: int) -> int | None:
	"""Attempts a person still has; None when the module allows any number (0 or blank)."""
	if not allowed or allowed <= 0:
		return None
	return max(allowed - used, 0)


@dataclass(frozen=True, slots=True)
class Audience:
	"""Who a module is for: partner types (empty: any), the lowest tier rank that may take it
	(None: any), and the team roles ("Partner User", "Partner Admin"; empty: both)."""

	partner_types: frozenset[str] = frozenset()
	min_tier_rank: int | None = None
	roles: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Taker:
	partner_type: str | None
	tier_rank: int | None
	role: str | None
	passed: frozenset[str] = frozenset()  # modules this person has passed


def blockers(audience: Audience, prerequisites: Iterable[str], taker: Taker) -> list[tuple[str, str]]:
	"""Why ``taker`` may not take the module: ("partner_type" | "tier" | "role", detail) when the
	module is not for them, ("prerequisite", module) for each prerequisite not passed yet."""
	found = []
	if audience.partner_types and taker.partner_type not in audience.partner_types:
		found.append(("partner_type", taker.partner_type or ""))
	if audience.min_tier_rank is not None and (
		taker.tier_rank is None or taker.tier_rank < audience.min_tier_rank
	):
		found.append(("tier", str(audience.min_tier_rank)))
	if audience.roles and taker.role not in audience.roles:
		found.append(("role", taker.role or ""))
	found += [("prerequisite", module) for module in prerequisites if module not in taker.passed]
	return found


def is_for(audience: Audience, taker: Taker) -> bool:
	"""The module is meant for the taker (prerequisites aside)."""
	return not blockers(audience, (), taker)
