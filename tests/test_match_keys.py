"""The SQL-side keys find every pair the scorer calls a name or domain conflict."""

from hypothesis import given, settings
from hypothesis import strategies as st

from prm_app.engine.match_keys import match_keys
from prm_app.engine.matching import DEFAULT_THRESHOLD, Party, score

PAIRS = [
	("Acme Widgets Inc", "ACME Widgets, Incorporated"),
	("Widgets Acme", "Acme Widgets"),
	("Coca-Cola Company", "CocaCola"),
	("Globex Logistics", "Globex Logistcs"),
	("Globex Logistics", "Globex Lgoistics"),
	("Globex Logistics", "Globex Logisticks"),
	("Société Générale S.A.", "Societe Generale"),
	("Initech", "Initech GmbH"),
]


def shares_key(a: Party, b: Party) -> bool:
	return bool(match_keys(a) & match_keys(b))


def test_matching_pairs_share_a_key():
	for x, y in PAIRS:
		a, b = Party(x), Party(y)
		assert score(a, b).score >= DEFAULT_THRESHOLD, (x, y)
		assert shares_key(a, b), (x, y)


def test_same_domain_shares_a_key_but_free_mail_does_not():
	assert shares_key(
		Party("Alpha One", "https://shop.alpha.com"), Party("Totally Different", "bob@alpha.com")
	)
	a, b = Party("Alpha One", "x@gmail.com"), Party("Beta Two", "y@gmail.com")
	assert not shares_key(a, b)


def test_different_companies_rarely_share_keys():
	assert not shares_key(Party("General Motors"), Party("General Mills"))
	assert not shares_key(Party("American Airlines"), Party("American Express"))


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.lists(words, min_size=1, max_size=4), st.data())
def test_every_conflict_shares_a_key(tokens, data):
	"""Property: whenever one edit of a token makes a conflict, the keys find it."""
	name = " ".join(tokens)
	i = data.draw(st.integers(0, len(tokens) - 1))
	token = tokens[i]
	j = data.draw(st.integers(0, len(token) - 1))
	op = data.draw(st.sampled_from(["sub", "del", "ins", "swap"]))
	letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
	if op == "sub":
		edited = token[:j] + letter + token[j + 1 :]
	elif op == "del":
		edited = token[:j] + token[j + 1 :]
	elif op == "ins":
		edited = token[:j] + letter + token[j:]
	else:
		edited = token[:j] + token[j + 1 : j + 2] + token[j : j + 1] + token[j + 2 :]
	other = " ".join([*tokens[:i], edited, *tokens[i + 1 :]])
	a, b = Party(name), Party(other)
	if score(a, b).score >= DEFAULT_THRESHOLD:
		assert shares_key(a, b), (name, other)
	assert match_keys(a) == match_keys(Party(name))


def test_nameless_party_has_only_its_domain_key():
	assert match_keys(Party("", "https://acme.com")) == {"d:acme.com"}
	assert match_keys(Party("")) == set()
