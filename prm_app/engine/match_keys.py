"""Lookup keys that find conflict candidates with exact lookups only (a dict, or an indexed SQL ``IN``).

Every name rule of ``matching.score`` above the fuzzy ceiling (same words, word order, joined
words, one typo, two typos in a long name, abbreviations) keeps the two names' *letter bags* (the
sorted letters and digits of the canonical compact name) within one letter of each other: word
order and spacing do not change the bag, a swap of two letters does not either, and one typo (or a
missing letter here and an extra one there) changes it by one letter. ``matching`` checks this
bound before any typo rule fires. So the keys of a party are

* ``b:`` + its bag, and, when the name has at least 5 letters, ``b:`` + the bag without one
  letter, once per distinct letter (symmetric deletion on the bag: two bags one letter apart
  share a deletion, and a bag one letter longer contains the shorter one among its deletions);
* the same for the words as typed, when an abbreviation or word form changed the bag: the scorer
  also compares names as typed ("KaldoTechnologies" / "Kaldo Technology" are joined words, and
  "Technolgies" / "Technology" a typo only as typed); the deletions only when a replaced word
  has 5 letters or more ("Technology" yes, "Intl" no), and the scorer then asks for them;
* ``d:`` + its registrable domain, unless it is free mail;
* ``x:`` + the key of a name without letters or digits (only the same text matches it).

Digits are never deleted ("Store 10001" and "Store 10002" share no key). Two parties that the
scorer calls a conflict always share a key, whatever the threshold above 80 (property test). The
same function makes the stored keys and the probed ones. A name of n distinct letters costs n + 1
name keys (about 12 for a three-word name), where the previous design cost one key per letter of
every word plus two.

Keys depend on the abbreviation table of the party (``Party.abbreviations``): rebuild stored keys
when the table changes, and probe with every table stored keys may still use meanwhile.
"""

from hashlib import blake2b

from prm_app.engine.matching import Party

# Keys longer than this are replaced by a digest; the database column is varchar(140).
MAX_KEY_LENGTH = 140
_HASHED_FROM = 100


def _key(prefix: str, body: str) -> str:
	if len(body) <= _HASHED_FROM:
		return prefix + body
	return "h" + prefix + blake2b(body.encode(), digest_size=16).hexdigest()


def match_keys(party: Party) -> set[str]:
	"""The keys stored for ``party``, and probed to find its candidates."""
	sig = party._sig
	keys = {"d:" + sig.domain} if sig.domain else set()
	if not party.key:
		# no name: only the domain is evidence (an empty key would pair every nameless record)
		return keys
	if not sig.tokens:
		keys.add(_key("x:", party.key))
		return keys
	for view in (sig.view, sig.typed):
		if view is None:
			continue
		bag = view.bag
		keys.add(_key("b:", bag))
		if view.keyed:
			for ch in set(bag):
				if not ch.isdigit():
					i = bag.index(ch)
					keys.add(_key("b:", bag[:i] + bag[i + 1 :]))
	return keys
