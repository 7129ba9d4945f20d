"""Quiz grading and who may take a module (plain Python)."""

from hypothesis import given
from hypothesis import strategies as st

from prm_app.engine import training as tr

Q1 = tr.Question(1, tr.SINGLE, 1, (1, 2, 3), frozenset({2}))
Q2 = tr.Question(2, tr.MULTIPLE, 3, (1, 2, 3, 4), frozenset({1, 3}))
QUIZ = [Q1, Q2]


def test_all_correct_passes():
	result = tr.grade(QUIZ, {1: [2], 2: [3, 1]}, 80)
	assert (result.awarded, result.possible, result.score, result.passed) == (4, 4, 100.0, True)
	assert result.missed == ()


def test_multiple_choice_is_all_or_nothing():
	result = tr.grade(QUIZ, {1: [2], 2: [1]}, 80)
	assert (result.score, result.passed, result.missed) == (25.0, False, (2,))
	assert tr.grade(QUIZ, {1: [2], 2: [1, 3, 4]}, 80).missed == (2,)


def test_passing_score_is_inclusive():
	assert tr.grade(QUIZ, {2: [1, 3]}, 75).passed
	assert not tr.grade(QUIZ, {2: [1, 3]}, 75.01).passed


def test_unknown_questions_and_options_are_ignored():
	result = tr.grade(QUIZ, {1: [2, 99], 7: [1], 2: []}, 10)
	assert result.outcomes[0].correct and result.outcomes[0].chosen == frozenset({2})
	assert not result.outcomes[1].correct


def test_single_choice_answered_with_several_options_is_wrong():
	assert tr.grade(QUIZ, {1: [1, 2]}, 10).missed == (1, 2)


def test_empty_quiz_scores_zero():
	assert tr.grade([], {}, 0).score == 0.0


def test_quiz_problems():
	bad = [
		tr.Question(1, "Essay", 1, (1, 2), frozenset({1})),
		tr.Question(2, tr.SINGLE, 0, (1,), frozenset()),
		tr.Question(3, tr.SINGLE, 1, (1, 2), frozenset({1, 2})),
	]
	assert tr.quiz_problems(bad) == [
		(1, "type"),
		(2, "points"),
		(2, "options"),
		(2, "no_correct"),
		(3, "single_many"),
	]
	assert tr.quiz_problems(QUIZ) == []


def test_attempts_left():
	assert tr.attempts_left(0, 5) is None
	assert tr.attempts_left(None, 5) is None
	assert tr.attempts_left(3, 1) == 2
	assert tr.attempts_left(3, 4) == 0


def test_blockers():
	audience = tr.Audience(frozenset({"Reseller"}), 2, frozenset({"Partner Admin"}))
	taker = tr.Taker("Reseller", 2, "Partner Admin", frozenset({"Basics"}))
	assert tr.blockers(audience, ["Basics"], taker) == []
	assert tr.is_for(audience, taker)
	other = tr.Taker("Referral", 1, "Partner User")
	assert tr.blockers(audience, ["Basics"], other) == [
		("partner_type", "Referral"),
		("tier", "2"),
		("role", "Partner User"),
		("prerequisite", "Basics"),
	]
	assert tr.blockers(tr.Audience(), [], tr.Taker(None, None, None)) == []


@given(
	st.dictionaries(st.integers(0, 4), st.lists(st.integers(0, 6), max_size=5), max_size=4), st.floats(0, 100)
)
def test_grade_invariants(answers, passing):
	result = tr.grade(QUIZ, answers, passing)
	assert 0 <= result.score <= 100
	assert result.awarded <= result.possible == 4
	assert result.passed == (result.score >= passing)
	assert len(result.outcomes) == 2
