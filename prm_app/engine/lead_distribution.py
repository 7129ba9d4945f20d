"""Which partner gets a lead: the rules of lead distribution, in plain Python.

A **rule** says which leads it takes (territory, country, product interest: blank means any) and
which partners may receive them (territory, country, partner type, lowest tier, or an explicit list
of partners), how one of them is chosen (round robin, or best acceptance rate) and how many open
leads a partner may hold at once (capacity; 0 means no limit).

The caller (``prm_app.integrations.lead_distribution``) reads rules, partners and their lead counts
from the database in a few set-based queries, builds a ``Distributor`` and asks it for one partner
per lead; the distributor counts each offer it hands out, so a batch of leads never pushes a
partner over its capacity and round robin keeps turning within the batch.

Territories and product groups are trees: a lead or partner carries its own node and every
ancestor (``territories``, ``product_groups``), so "EMEA" matches a lead in "Germany".
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

ROUND_ROBIN = "Round Robin"
BEST_ACCEPTANCE_RATE = "Best Acceptance Rate"
METHODS = (ROUND_ROBIN, BEST_ACCEPTANCE_RATE)


@dataclass(frozen=True, slots=True)
class Lead:
	name: str
	territories: frozenset[str] = frozenset()  # its territory and every ancestor
	country: str | None = None
	product_groups: frozenset[str] = frozenset()  # its product interest and every ancestor


@dataclass(frozen=True, slots=True)
class Rule:
	name: str
	priority: int = 0  # higher first
	method: str = ROUND_ROBIN
	territory: str | None = None
	country: str | None = None
	product_interest: str | None = None
	partner_type: str | None = None
	lowest_tier_rank: int | None = None
	capacity: int = 0  # open leads a partner may hold at once; 0: no limit
	max_offers: int = 0  # partners a lead is offered to before the channel team is told; 0: all
	partners: dict[str, int] | None = None  # only these partners, each with its own capacity (0: the rule's)


@dataclass(slots=True)
class Candidate:
	partner: str
	territories: frozenset[str] = frozenset()  # its territory and every ancestor
	country: str | None = None
	partner_type: str | None = None
	tier_rank: int | None = None
	open_leads: int = 0  # offers waiting for an answer, plus accepted leads not yet closed
	offered: int = 0  # offers answered or timed out (the acceptance rate's denominator)
	accepted: int = 0
	last_offered: float | None = None  # when it last got a lead under this rule (any sortable number)


def rule_takes(rule: Rule, lead: Lead) -> bool:
	"""Whether ``rule`` applies to ``lead``: each criterion it sets must hold."""
	if rule.territory and rule.territory not in lead.territories:
		return False
	if rule.country and rule.country != lead.country:
		return False
	if rule.product_interest and rule.product_interest not in lead.product_groups:
		return False
	return True


def partner_qualifies(rule: Rule, candidate: Candidate) -> bool:
	"""Whether a partner may receive the rule's leads (capacity aside)."""
	if rule.partners is not None:
		return candidate.partner in rule.partners
	if rule.territory and rule.territory not in candidate.territories:
		return False
	if rule.country and rule.country != candidate.country:
		return False
	if rule.partner_type and rule.partner_type != candidate.partner_type:
		return False
	if rule.lowest_tier_rank is not None:
		if candidate.tier_rank is None or candidate.tier_rank < rule.lowest_tier_rank:
			return False
	return True


def capacity_of(rule: Rule, partner: str) -> int:
	if rule.partners and rule.partners.get(partner):
		return max(int(rule.partners[partner]), 0)
	return max(int(rule.capacity or 0), 0)


def has_capacity(rule: Rule, candidate: Candidate) -> bool:
	capacity = capacity_of(rule, candidate.partner)
	return not capacity or candidate.open_leads < capacity


def acceptance_rate(accepted: int, offered: int) -> float:
	"""Accepted share of answered offers, smoothed towards one half (a partner with no history is
	neither best nor worst): (accepted + 1) / (offered + 2)."""
	accepted, offered = max(int(accepted), 0), max(int(offered), 0)
	accepted = min(accepted, offered)
	return (accepted + 1) / (offered + 2)


def _round_robin_key(candidate: Candidate):
	# never offered first, then the one whose last lead is oldest; the name breaks ties
	last = candidate.last_offered
	return (last is not None, last if last is not None else 0.0, candidate.partner)


def _best_rate_key(candidate: Candidate):
	return (
		-acceptance_rate(candidate.accepted, candidate.offered),
		candidate.open_leads,
		*_round_robin_key(candidate),
	)


def choose(rule: Rule, candidates: Iterable[Candidate], exclude: Iterable[str] = ()) -> Candidate | None:
	"""The partner to offer the next lead of ``rule`` to, or None when nobody may take it."""
	excluded = set(exclude)
	eligible = [
		c
		for c in candidates
		if c.partner not in excluded and partner_qualifies(rule, c) and has_capacity(rule, c)
	]
	if not eligible:
		return None
	key = _best_rate_key if rule.method == BEST_ACCEPTANCE_RATE else _round_robin_key
	return min(eligible, key=key)


def ordered(rules: Iterable[Rule]) -> list[Rule]:
	"""Rules in the order they are tried: higher priority first, then by name."""
	return sorted(rules, key=lambda r: (-int(r.priority or 0), r.name))


def first_rule(rules: Iterable[Rule], lead: Lead) -> Rule | None:
	return next((rule for rule in ordered(rules) if rule_takes(rule, lead)), None)


@dataclass
class Distributor:
	"""Hands out leads under a set of rules, counting what it hands out.

	``candidates``: rule name -> its partners with their counts under that rule (open leads are
	the partner's across all rules; round robin's ``last_offered`` is per rule). ``clock`` is a
	counter that orders the offers this distributor makes after every offer made before it."""

	rules: list[Rule]
	candidates: dict[str, list[Candidate]]
	clock: float = 0.0
	handed: list[tuple[str, str, str]] = field(default_factory=list)  # (lead, rule, partner)

	def __post_init__(self):
		self.rules = ordered(self.rules)
		latest = [c.last_offered for cs in self.candidates.values() for c in cs if c.last_offered is not None]
		self.clock = max([self.clock, *latest])

	def rule_for(self, lead: Lead, rule_name: str | None = None) -> Rule | None:
		if rule_name:
			return next((r for r in self.rules if r.name == rule_name), None)
		return first_rule(self.rules, lead)

	def assign(
		self, lead: Lead, exclude: Iterable[str] = (), rule_name: str | None = None, tried: int = 0
	) -> tuple[Rule | None, Candidate | None]:
		"""(rule, partner) for ``lead``; (rule, None) when the rule has nobody left (or its
		``max_offers`` is reached after ``tried`` offers); (None, None) when no rule takes it."""
		rule = self.rule_for(lead, rule_name)
		if not rule:
			return None, None
		if rule.max_offers and tried >= rule.max_offers:
			return rule, None
		chosen = choose(rule, self.candidates.get(rule.name, []), exclude)
		if chosen:
			self.clock += 1.0
			for cs in self.candidates.values():
				for c in cs:
					if c.partner == chosen.partner:
						c.open_leads += 1  # one more open lead, whichever rule counts it
			chosen.last_offered = self.clock
			self.handed.append((lead.name, rule.name, chosen.partner))
		return rule, chosen


def copy_candidates(candidates: Iterable[Candidate]) -> list[Candidate]:
	return [replace(c) for c in candidates]
