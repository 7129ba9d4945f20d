"""The lookup keys find every pair the scorer calls a conflict (the database path relies on it)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prm_app.engine import abbreviations as ab
from prm_app.engine.match_keys import MAX_KEY_LENGTH, match_keys
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
	("St. Gobain", "Saint-Gobain"),
	("Micro Soft", "Microsoft"),
	("Soft Micro", "Microsoft"),
	("Micro Sfot", "Microsoft"),
	("Marriott International", "Marriot Intenrational"),
	("Kaldo Technologies", "KaldoTechnologies"),
	("Acme Technolgy", "Acme Technology"),
	("Acme Technolgies", "Acme Technology"),
	("Intl Busness Machines", "International Business Machines"),
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
	assert not shares_key(Party("Store 10001"), Party("Store 10002"))


def test_nameless_party_has_only_its_domain_key():
	assert match_keys(Party("", "https://acme.com")) == {"d:acme.com"}
	assert match_keys(Party("")) == set()
	assert match_keys(Party("!!!")) == {"x:!!!"}


def test_key_count_and_length():
	# the bag, and the bag without each of its 12 distinct letters
	assert len(match_keys(Party("Kravion Logistics"))) == 13
	assert len(match_keys(Party("Acme"))) == 1  # too short for a typo: the bag only
	long = Party(" ".join(["Internationalisation"] * 8))
	assert all(len(k) <= MAX_KEY_LENGTH for k in match_keys(long))
	assert shares_key(long, Party(" ".join(["Internationalisation"] * 7 + ["Internationalistaion"])))


# --------------------------------------------------------------------------- properties

LETTERS = "abcdefghijklmnopqrstuvwxyz"
table_words = sorted({w for g in (ab.ABBREVIATIONS, ab.WORD_FORMS) for c, vs in g.items() for w in (c, *vs)})
words = st.one_of(
	st.text(alphabet=LETTERS, min_size=2, max_size=12),
	st.sampled_from(table_words),
	st.sampled_from(["and", "the", "inc", "gmbh", "co", "10001", "7", "acme", "acne", "ibm"]),
)


def mutate(tokens: list[str], draw) -> list[str]:
	"""One variation: a typo, a join, a split, a new order, another spelling, a legal form."""
	tokens = list(tokens)
	i = draw(st.integers(0, len(tokens) - 1))
	kind = draw(st.sampled_from(["sub", "del", "ins", "swap", "join", "split", "order", "spell", "form"]))
	token = tokens[i]
	j = draw(st.integers(0, max(0, len(token) - 1)))
	letter = draw(st.sampled_from(LETTERS))
	if kind == "sub":
		tokens[i] = token[:j] + letter + token[j + 1 :]
	elif kind == "del" and len(token) > 1:
		tokens[i] = token[:j] + token[j + 1 :]
	elif kind == "ins":
		tokens[i] = token[:j] + letter + token[j:]
	elif kind == "swap":
		tokens[i] = token[:j] + token[j + 1 : j + 2] + token[j : j + 1] + token[j + 2 :]
	elif kind == "join" and i + 1 < len(tokens):
		tokens[i : i + 2] = [tokens[i] + tokens[i + 1]]
	elif kind == "split" and 0 < j < len(token):
		tokens[i : i + 1] = [token[:j], token[j:]]
	elif kind == "order":
		tokens = draw(st.permutations(tokens))
	elif kind == "spell":
		rule = ab.DEFAULT.get(token)
		canonical = rule.canonical if rule else token
		options = [
			w
			for w in table_words
			if w == canonical or (ab.DEFAULT.get(w) and ab.DEFAULT.get(w).canonical == canonical)
		]
		tokens[i] = draw(st.sampled_from(options or [token]))
	elif kind == "form":
		tokens.append(draw(st.sampled_from(["inc", "ltd", "gmbh", "sa", "co"])))
	return [t for t in tokens if t]


PROPERTY = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.lists(words, min_size=1, max_size=4), st.integers(1, 3), st.data())
def test_every_conflict_shares_a_key(tokens, n_changes, data):
	"""Property: a name and up to three variations of it (typos, joins, splits, order, other
	spellings, legal forms): whenever the scorer sees a conflict, the keys find it."""
	other = tokens
	for _ in range(n_changes):
		other = mutate(other, data.draw) or other
	a, b = Party(" ".join(tokens)), Party(" ".join(other))
	if score(a, b).score > 80:
		assert shares_key(a, b), (a.name, b.name, score(a, b))


@PROPERTY
@given(st.lists(words, min_size=1, max_size=3), st.lists(words, min_size=1, max_size=3))
def test_every_conflict_shares_a_key_random_pairs(x, y):
	a, b = Party(" ".join(x)), Party(" ".join(y))
	if score(a, b).score > 80:
		assert shares_key(a, b), (a.name, b.name, score(a, b))


@settings(max_examples=300, deadline=None)
@given(st.lists(words, min_size=1, max_size=3), st.integers(1, 2), st.data())
def test_site_table_keeps_the_property(tokens, n_changes, data):
	table = ab.table([(tokens[0][:3] + "x", tokens[-1])])
	other = list(tokens)
	for _ in range(n_changes):
		other = mutate(other, data.draw) or other
	if data.draw(st.booleans()):
		other[0] = tokens[0][:3] + "x"
	a, b = Party(" ".join(tokens), abbreviations=table), Party(" ".join(other), abbreviations=table)
	if score(a, b).score > 80:
		assert shares_key(a, b), (a.name, b.name, score(a, b))
	assert match_keys(a) == match_keys(Party(" ".join(tokens), abbreviations=table))
