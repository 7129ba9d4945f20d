"""An in-memory conflict index over ``match_keys``: the engine's reference for the database path.

``ConflictIndex`` stores, for each key of ``match_keys(party)``, the references holding it, and
answers a query by scoring the references that share a key with it: the same candidates the
``PRM Match Key`` table returns, from the same function, so both find exactly the pairs ``score``
calls conflicts (for any threshold above the fuzzy ceiling of 80).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

from prm_app.engine.match_keys import match_keys
from prm_app.engine.matching import DEFAULT_THRESHOLD, Match, Party, score

R = TypeVar("R", bound=Hashable)


def _bucket_add(d: dict, key: object, value: object) -> None:
	cur = d.get(key)
	if cur is None:
		d[key] = value
	elif type(cur) is list:
		cur.append(value)
	else:
		d[key] = [cur, value]


def _bucket_remove(d: dict, key: object, value: object) -> None:
	cur = d.get(key)
	if cur is None:
		return
	if type(cur) is list:
		cur.remove(value)
		if len(cur) == 1:
			d[key] = cur[0]
	elif cur == value:
		del d[key]


def _bucket_iter(d: dict, key: object) -> Iterable:
	cur = d.get(key)
	if cur is None:
		return ()
	return cur if type(cur) is list else (cur,)


class ConflictIndex(Generic[R]):
	"""Parties by reference; ``search`` returns those scoring >= threshold against a query.

	Candidates are the references sharing a ``match_keys`` key with the query (exact dictionary
	lookups, never a scan). Keys are held as their 64-bit ``hash``: a collision only adds a
	candidate, which scoring then rejects.
	"""

	def __init__(self) -> None:
		self._records: dict[R, tuple[int, Party]] = {}
		self._seq = 0
		self._postings: dict[int, R | list[R]] = {}
		self.key_count = 0  # (key, ref) pairs held: what PRM Match Key would store

	def __len__(self) -> int:
		return len(self._records)

	def __contains__(self, ref: object) -> bool:
		return ref in self._records

	def get(self, ref: R) -> Party | None:
		"""The party stored under ``ref``, or None."""
		rec = self._records.get(ref)
		return rec[1] if rec else None

	def add(self, ref: R, party: Party) -> None:
		"""Index ``party`` under ``ref`` (replacing any party already stored under ``ref``)."""
		if ref in self._records:
			self.discard(ref)
		self._seq += 1
		self._records[ref] = (self._seq, party)
		postings = self._postings
		keys = match_keys(party)
		for key in keys:
			_bucket_add(postings, hash(key), ref)
		self.key_count += len(keys)

	def discard(self, ref: R) -> None:
		"""Remove ``ref`` if present."""
		rec = self._records.pop(ref, None)
		if rec is None:
			return
		keys = match_keys(rec[1])
		for key in keys:
			_bucket_remove(self._postings, hash(key), ref)
		self.key_count -= len(keys)

	def candidates(self, party: Party) -> set[R]:
		"""References sharing a key with ``party`` (a superset of those scoring above 80)."""
		out: set[R] = set()
		postings = self._postings
		for key in match_keys(party):
			out.update(_bucket_iter(postings, hash(key)))
		return out

	def search(
		self, party: Party, threshold: int = DEFAULT_THRESHOLD, limit: int | None = 20
	) -> list[tuple[R, Match]]:
		"""Indexed parties scoring >= ``threshold`` against ``party``, best first.

		Ties are broken by insertion order (oldest first). ``limit=None`` returns all.
		"""
		found: list[tuple[int, int, R, Match]] = []
		records = self._records
		for ref in self.candidates(party):
			seq, other = records[ref]
			m = score(party, other)
			if m.score >= threshold:
				found.append((-m.score, seq, ref, m))
		found.sort(key=lambda t: (t[0], t[1]))
		if limit is not None:
			found = found[:limit]
		return [(ref, m) for _, _, ref, m in found]
