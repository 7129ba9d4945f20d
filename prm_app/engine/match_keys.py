"""Lookup keys that let a database table find conflict candidates without scanning.

A party's keys are strings; two parties that ``matching.score`` can rate as a name or domain
conflict always share at least one key, because every name rule above the fuzzy ceiling needs
one of: the same sorted tokens, the same compact name (spacing), the same registrable domain, or
token lists one typo apart in one token. The typo keys are symmetric-delete keys: the sorted
tokens with one typo-eligible token replaced by itself or by one of its one-letter deletions.
Two tokens one OSA edit apart (insert, delete, substitute, swap) always share such a deletion, so
the pair shares a key. The same function makes the keys that are stored and the keys that are
probed, so the rule is symmetric by construction.

This mirrors ``matching.ConflictIndex.candidates`` for storage in SQL (``PRM Match Key``): a
record costs about (typo-eligible tokens x token length) rows, a probe is one indexed ``IN``.
"""

from prm_app.engine.matching import Party, _deletes, _typo_eligible

# Keys longer than this are cut; the database column is varchar(140).
MAX_KEY_LENGTH = 140


def match_keys(party: Party) -> set[str]:
	"""The keys stored for ``party``, and probed to find its candidates."""
	sig = party._sig
	keys = {"d:" + sig.domain} if sig.domain else set()
	if not party.key:
		# no name: only the domain is evidence (an empty key would pair every nameless record)
		return keys
	keys.update(("s:" + sig.sorted_key, "c:" + sig.compact))
	tokens = sorted(sig.tokens)
	for i, token in enumerate(tokens):
		if not _typo_eligible(token):
			continue
		rest = tokens[:i] + tokens[i + 1 :]
		for variant in _deletes(token):
			keys.add("t:" + " ".join(sorted([*rest, variant])))
	return {k[:MAX_KEY_LENGTH] for k in keys}
