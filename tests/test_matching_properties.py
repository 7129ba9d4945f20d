"""Hypothesis property tests for prm_app.engine.matching."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prm_app.engine.index import ConflictIndex
from prm_app.engine.matching import (
	DEFAULT_THRESHOLD,
	Party,
	company_key,
	registrable_domain,
	score,
)

WORDS = [
	"acme",
	"acne",
	"global",
	"globel",
	"systems",
	"sytems",
	"logistics",
	"foods",
	"general",
	"motors",
	"mills",
	"ibm",
	"ibx",
	"data",
	"société",
	"générale",
	"coca",
	"cola",
	"cocacola",
	"the",
	"and",
	"&",
	"inc",
	"ltd",
	"gmbh",
	"co.,",
	"s.a.",
	"sp. z o.o.",
	"pt",
	"10001",
	"10002",
	"st",
	"saint",
	"st.",
	"intl",
	"international",
	"tech",
	"technology",
	"technologies",
	"technolgies",
	"labs",
	"gesellschaft",
	"mit",
	"beschrankter",
	"haftung",
	"micro",
	"soft",
	"microsoft",
	"microsfot",
	"marriott",
	"marriot",
]
COUNTRIES = st.sampled_from([None, "US", "DE", "RU", "ID", "Germany"])
DOMAINS = st.sampled_from(
	[None, "acme.com", "https://www.acme.com/x", "bob@gmail.com", "globex.co.uk", "bad"]
)
name_from_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
any_name = st.one_of(st.text(max_size=40), name_from_words)
parties = st.builds(Party, any_name, DOMAINS, COUNTRIES)

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(any_name, COUNTRIES)
def test_company_key_idempotent(name, country):
	key = company_key(name, country)
	assert company_key(key, country) == key


@FAST
@given(st.text(min_size=1, max_size=40))
def test_company_key_never_empty_for_non_empty_name(name):
	assert company_key(name) != ""


@FAST
@given(parties, parties)
def test_score_symmetric_and_bounded(a, b):
	m = score(a, b)
	assert 0 <= m.score <= 100
	assert score(b, a) == m


@FAST
@given(parties)
def test_self_score_is_100(a):
	if a.name:
		assert score(a, a).score == 100


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(parties, min_size=1, max_size=25), st.integers(min_value=0, max_value=100))
def test_index_finds_itself_and_equals_brute_force(items, pick):
	idx = ConflictIndex()
	for ref, p in enumerate(items):
		idx.add(ref, p)
	me = pick % len(items)
	if items[me].name:
		assert me in {r for r, _ in idx.search(items[me], limit=None)}
	for threshold in (DEFAULT_THRESHOLD, 81, 95):
		for q in items[:5]:
			got = {r: m.score for r, m in idx.search(q, threshold=threshold, limit=None)}
			want = {r: score(q, p).score for r, p in enumerate(items) if score(q, p).score >= threshold}
			assert got == want


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), parties), max_size=30))
def test_index_add_discard_replace_consistent(ops):
	idx = ConflictIndex()
	model: dict[int, Party] = {}
	for ref, p in ops:
		if ref == 6 and model:
			victim = next(iter(model))
			idx.discard(victim)
			del model[victim]
			continue
		idx.add(ref, p)
		model[ref] = p
	assert len(idx) == len(model)
	for ref, p in model.items():
		if p.name:
			assert ref in {r for r, _ in idx.search(p, limit=None)}
	for p in model.values():
		got = {r for r, _ in idx.search(p, limit=None)}
		want = {r for r, q in model.items() if score(p, q).score >= DEFAULT_THRESHOLD}
		assert got == want


@FAST
@given(st.one_of(st.text(max_size=60), st.from_regex(r"[a-zA-Z0-9@:/.\-]{0,40}", fullmatch=True)))
def test_registrable_domain_total(value):
	result = registrable_domain(value)
	assert result is None or ("." in result and result == result.lower() and result.isascii())
	if result is not None:
		assert registrable_domain(result) == result
