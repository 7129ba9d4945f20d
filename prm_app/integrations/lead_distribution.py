"""Handing ERPNext Leads to partners: by hand from the Lead form or list, or by Lead Distribution
Rules, with a service level.

The rules themselves are plain Python (``prm_app.engine.lead_distribution``); this module reads
what they need in a handful of set-based queries (rules, partners, their open leads, acceptance
counts and last offers; the territory and item group trees), makes the offers, and runs the job
(``run``, every five minutes):

1. offers not accepted by their ``respond_by`` are taken back (Timed Out);
2. a lead whose offer was declined or timed out goes to the next partner of its rule (never to a
   partner that already had it), until the rule's "Offer to at Most" is reached or nobody
   qualifies: then the channel team is told (a "Nobody Accepted" line in the lead's history,
   which the Notification "Lead Not Accepted by Any Partner" e-mails);
3. new leads are offered under the rules set to distribute automatically.

Every offer, acceptance, decline, timeout, withdrawal and conversion is a line of the lead's
history (Lead Assignment Log); the figures per partner (acceptance rate, hours to accept,
conversion) are kept on the Partner (``update_lead_metrics``).
"""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Avg, Count, Max, Sum
from frappe.utils import add_to_date, cint, flt, get_datetime, getdate, now_datetime

from prm_app.constants import (
	ACCEPTED,
	DECLINED,
	LEAD_ASSIGNMENT_LOG,
	LEAD_CONVERTED,
	LEAD_DISTRIBUTION_RULE,
	LEAD_LOST,
	LEAD_OFFER,
	NOBODY_ACCEPTED,
	OFFER_ENDED_UNACCEPTED,
	OFFERED,
	PARTNER,
	TIMED_OUT,
)
from prm_app.engine import lead_distribution as engine
from prm_app.exceptions import LeadOfferError
from prm_app.permissions import is_partner_scoped, is_privileged
from prm_app.prm_app.doctype.lead_offer.lead_offer import log_event, open_offer_of

BATCH = 200
INLINE_LIMIT = 20  # a desk action on more leads than this runs as a background job
OPEN_LEAD_STATUSES = ("Lead", "Open", "Replied", "Interested")
SAVEPOINT = "prm_lead_offer"


# -- reading what the rules need


def tree_ancestors(doctype: str) -> dict[str, frozenset[str]]:
	"""Every node of a tree (Territory, Item Group) -> itself and its ancestors (one query)."""
	table = frappe.qb.DocType(doctype)
	rows = frappe.qb.from_(table).select(table.name, table.lft, table.rgt).run(as_dict=True)
	result = {}
	for row in rows:
		result[row.name] = frozenset(
			other.name for other in rows if other.lft <= row.lft and other.rgt >= row.rgt
		)
	return result


def engine_leads(names: list[str]) -> dict[str, engine.Lead]:
	if not names:
		return {}
	territories = tree_ancestors("Territory")
	groups = tree_ancestors("Item Group")
	lead = frappe.qb.DocType("Lead")
	rows = (
		frappe.qb.from_(lead)
		.select(lead.name, lead.territory, lead.country, lead.prm_product_interest)
		.where(lead.name.isin(names))
	).run(as_dict=True)
	return {
		row.name: engine.Lead(
			row.name,
			territories.get(row.territory, frozenset()),
			row.country,
			groups.get(row.prm_product_interest, frozenset()),
		)
		for row in rows
	}


def tree_root(doctype: str) -> str | None:
	"""The root of a tree ("All Territories", "All Item Groups"): a rule naming it sets no criterion
	(Frappe fills the root in as a new record's default)."""
	table = frappe.qb.DocType(doctype)
	rows = frappe.qb.from_(table).select(table.name).orderby(table.lft).limit(1).run()
	return rows[0][0] if rows else None


def tier_ranks() -> dict[str, int]:
	tier = frappe.qb.DocType("Program Tier")
	return dict(frappe.qb.from_(tier).select(tier.name, tier.rank).run())


def load_rules(names: list[str] | None = None, auto_only: bool = False) -> tuple[list[engine.Rule], dict]:
	"""(enabled rules for the engine, their records by name)."""
	filters = {"enabled": 1}
	if names is not None:
		filters["name"] = ("in", names or [""])
	if auto_only:
		filters["auto_distribute"] = 1
	records = {
		row.name: row
		for row in frappe.get_all(
			LEAD_DISTRIBUTION_RULE,
			filters=filters,
			fields=[
				"name",
				"priority",
				"method",
				"territory",
				"country",
				"product_interest",
				"partner_type",
				"lowest_tier",
				"capacity",
				"max_offers",
				"accept_within_hours",
				"auto_distribute",
				"apply_from",
				"notify_user",
			],
		)
	}
	listed: dict[str, dict[str, int]] = {}
	for row in frappe.get_all(
		"Lead Distribution Rule Partner",
		filters={"parenttype": LEAD_DISTRIBUTION_RULE, "parent": ("in", list(records) or [""])},
		fields=["parent", "partner", "capacity"],
	):
		listed.setdefault(row.parent, {})[row.partner] = cint(row.capacity)
	ranks = tier_ranks()
	roots = {tree_root("Territory"), tree_root("Item Group")}
	rules = [
		engine.Rule(
			name=row.name,
			priority=cint(row.priority),
			method=row.method or engine.ROUND_ROBIN,
			territory=None if row.territory in roots else row.territory,
			country=row.country,
			product_interest=None if row.product_interest in roots else row.product_interest,
			partner_type=row.partner_type,
			lowest_tier_rank=ranks.get(row.lowest_tier) if row.lowest_tier else None,
			capacity=cint(row.capacity),
			max_offers=cint(row.max_offers),
			partners=listed.get(row.name),
		)
		for row in records.values()
	]
	return rules, records


def open_lead_counts() -> dict[str, int]:
	"""Open leads per partner: offers waiting for an answer, and accepted leads not yet converted
	or lost."""
	offer = frappe.qb.DocType(LEAD_OFFER)
	rows = (
		frappe.qb.from_(offer)
		.select(offer.partner, Count(offer.name))
		.where(
			(offer.status == OFFERED)
			| ((offer.status == ACCEPTED) & offer.progress.isnull())
			| ((offer.status == ACCEPTED) & offer.progress.notin((LEAD_CONVERTED, LEAD_LOST)))
		)
		.groupby(offer.partner)
	).run()
	return {partner: cint(count) for partner, count in rows}


def response_counts() -> dict[str, tuple[int, int]]:
	"""Per partner: (offers answered or timed out, offers accepted)."""
	offer = frappe.qb.DocType(LEAD_OFFER)
	answered = Case().when(offer.status.isin((ACCEPTED, DECLINED, TIMED_OUT)), 1).else_(0)
	accepted = Case().when(offer.status == ACCEPTED, 1).else_(0)
	rows = (
		frappe.qb.from_(offer).select(offer.partner, Sum(answered), Sum(accepted)).groupby(offer.partner)
	).run()
	return {partner: (cint(a), cint(b)) for partner, a, b in rows}


def last_offers() -> dict[tuple[str, str], float]:
	"""(rule, partner) -> when the partner last got one of the rule's leads (a timestamp)."""
	offer = frappe.qb.DocType(LEAD_OFFER)
	rows = (
		frappe.qb.from_(offer)
		.select(offer.rule, offer.partner, Max(offer.offered_on))
		.where(offer.rule.isnotnull())
		.groupby(offer.rule, offer.partner)
	).run()
	return {(rule, partner): get_datetime(at).timestamp() for rule, partner, at in rows if at}


def build_distributor(rules: list[engine.Rule]) -> engine.Distributor:
	territories = tree_ancestors("Territory")
	ranks = tier_ranks()
	partners = frappe.get_all(
		PARTNER,
		filters={"status": "Active"},
		fields=["name", "territory", "country", "partner_type", "program_tier"],
	)
	open_counts = open_lead_counts()
	responses = response_counts()
	last = last_offers()
	candidates = {}
	for rule in rules:
		candidates[rule.name] = [
			engine.Candidate(
				partner=row.name,
				territories=territories.get(row.territory, frozenset()),
				country=row.country,
				partner_type=row.partner_type,
				tier_rank=ranks.get(row.program_tier) if row.program_tier else None,
				open_leads=open_counts.get(row.name, 0),
				offered=responses.get(row.name, (0, 0))[0],
				accepted=responses.get(row.name, (0, 0))[1],
				last_offered=last.get((rule.name, row.name)),
			)
			for row in partners
		]
	return engine.Distributor(rules, candidates)


def partners_tried(leads: list[str]) -> dict[str, set[str]]:
	offer = frappe.qb.DocType(LEAD_OFFER)
	rows = (
		frappe.qb.from_(offer)
		.select(offer.lead, offer.partner)
		.where(offer.lead.isin(leads or [""]))
		.distinct()
	).run()
	tried: dict[str, set[str]] = {}
	for lead, partner in rows:
		tried.setdefault(lead, set()).add(partner)
	return tried


# -- making offers


def make_offer(lead: str, partner: str, hours=None, rule: str | None = None, offered_by: str | None = None):
	"""Offer ``lead`` to ``partner`` for ``hours`` (the rule's, else PRM Settings')."""
	doc = frappe.new_doc(LEAD_OFFER)
	doc.lead = lead
	doc.partner = partner
	doc.rule = rule
	doc.offered_by = offered_by or frappe.session.user
	if hours:
		doc.respond_by = add_to_date(now_datetime(), hours=cint(hours))
	doc.insert(ignore_permissions=True)  # by the channel team's action or the distribution job
	return doc


def nobody_accepted(lead: str, rule: frappe._dict | None, last_offer: frappe._dict | None, note: str) -> str:
	"""Tell the channel team that the lead found no partner (the Notification e-mails them)."""
	notify = (rule and rule.notify_user) or frappe.db.get_value("Lead", lead, "lead_owner")
	if not notify and last_offer and last_offer.offered_by not in (None, "Administrator", "Guest"):
		notify = last_offer.offered_by
	if notify and (not frappe.db.get_value("User", notify, "enabled") or is_partner_scoped(notify)):
		notify = None
	return log_event(
		lead, NOBODY_ACCEPTED, rule=rule.name if rule else None, note=note, notify_user=notify or None
	)


def offer_by_rules(
	lead_names: list[str],
	distributor: engine.Distributor,
	records: dict,
	rule_of: dict | None = None,
	offered_by: str | None = None,
) -> dict:
	"""Offer each lead to the partner its rule chooses. ``rule_of``: lead -> the rule to follow
	(the one of its last offer); otherwise the first rule that takes it."""
	facts = engine_leads(lead_names)
	tried = partners_tried(lead_names)
	result = {"offered": [], "nobody": [], "no_rule": [], "errors": []}
	for name in lead_names:
		fact = facts.get(name)
		if not fact:
			continue
		exclude = tried.get(name, set())
		rule, chosen = distributor.assign(fact, exclude, (rule_of or {}).get(name), tried=len(exclude))
		if not rule:
			result["no_rule"].append(name)
			continue
		if not chosen:
			result["nobody"].append(name)
			continue
		frappe.db.savepoint(SAVEPOINT)
		try:
			offer = make_offer(
				name, chosen.partner, records[rule.name].accept_within_hours, rule.name, offered_by=offered_by
			)
			result["offered"].append((name, chosen.partner, offer.name))
		except frappe.ValidationError as e:
			frappe.db.rollback(save_point=SAVEPOINT)
			frappe.clear_messages()
			result["errors"].append((name, str(e)))
	return result


# -- the job


def run(commit: bool = True) -> dict:
	"""Every five minutes: time out overdue offers, offer their leads (and declined ones) to the next
	partner, and distribute new leads under automatic rules."""
	summary = {"timed_out": expire_overdue(commit), **follow_up(commit)}
	summary["new"] = distribute_new_leads(commit)
	return summary


def expire_overdue(commit: bool = True) -> int:
	offer = frappe.qb.DocType(LEAD_OFFER)
	names = (
		frappe.qb.from_(offer)
		.select(offer.name)
		.where((offer.status == OFFERED) & (offer.respond_by < now_datetime()))
		.orderby(offer.respond_by)
	).run(pluck=True)
	done = 0
	for start in range(0, len(names), BATCH):
		for name in names[start : start + BATCH]:
			doc = frappe.get_doc(LEAD_OFFER, name, for_update=True)  # a partner may be accepting it now
			done += doc.time_out()
		if commit:
			frappe.db.commit()  # nosemgrep: scheduled job, commits per batch
	return done


def follow_up(commit: bool = True) -> dict:
	"""Leads whose last offer was declined or timed out: the next partner, or the channel team."""
	offer = frappe.qb.DocType(LEAD_OFFER)
	rows = (
		frappe.qb.from_(offer)
		.select(offer.name, offer.lead, offer.rule, offer.offered_by)
		.where(offer.status.isin(OFFER_ENDED_UNACCEPTED) & (offer.followed_up == 0))
		.orderby(offer.offered_on)
	).run(as_dict=True)
	summary = {"reoffered": 0, "nobody": 0}
	if not rows:
		return summary
	rules, records = load_rules()
	distributor = build_distributor(rules)
	by_lead: dict[str, list] = {}
	for row in rows:
		by_lead.setdefault(row.lead, []).append(row)
	leads = list(by_lead)
	for start in range(0, len(leads), BATCH):
		batch = [lead for lead in leads[start : start + BATCH] if not open_offer_of(lead)]
		rule_of = {lead: by_lead[lead][-1].rule for lead in batch if by_lead[lead][-1].rule in records}
		result = offer_by_rules(batch, distributor, records, rule_of, offered_by="Administrator")
		summary["reoffered"] += len(result["offered"])
		for lead in result["nobody"] + result["no_rule"]:
			last = by_lead[lead][-1]
			rule = records.get(rule_of.get(lead)) or records.get(last.rule)
			note = (
				_(
					"The rule's partners all had it, are at capacity, or the rule's limit of offers is reached."
				)
				if lead in result["nobody"]
				else _("No enabled distribution rule takes this lead.")
			)
			nobody_accepted(lead, rule, last, note)
			summary["nobody"] += 1
		done = [row.name for lead in leads[start : start + BATCH] for row in by_lead[lead]]
		frappe.qb.update(offer).set(offer.followed_up, 1).where(offer.name.isin(done)).run()
		if commit:
			frappe.db.commit()  # nosemgrep: scheduled job, commits per batch
	return summary


def new_leads(rules: list[engine.Rule], records: dict, after=None, limit: int = BATCH) -> list[frappe._dict]:
	"""Leads no partner has had yet, created since the earliest automatic rule applies, in creation
	order from ``after`` (the last (creation, name) of the previous batch)."""
	starts = [getdate(records[r.name].apply_from) for r in rules if records[r.name].apply_from]
	if not starts:
		return []
	lead = frappe.qb.DocType("Lead")
	offer = frappe.qb.DocType(LEAD_OFFER)
	log = frappe.qb.DocType(LEAD_ASSIGNMENT_LOG)
	offered = frappe.qb.from_(offer).select(offer.lead)
	given_up = frappe.qb.from_(log).select(log.lead).where(log.event == NOBODY_ACCEPTED)
	condition = (
		(lead.creation >= min(starts))
		& lead.status.isin(OPEN_LEAD_STATUSES)
		& (lead.prm_partner.isnull() | (lead.prm_partner == ""))
		& (lead.disabled == 0)
		& lead.name.notin(offered)
		& lead.name.notin(given_up)  # the channel team was told: it decides now
	)
	if after:
		condition &= (lead.creation > after[0]) | ((lead.creation == after[0]) & (lead.name > after[1]))
	return (
		frappe.qb.from_(lead)
		.select(lead.name, lead.creation)
		.where(condition)
		.orderby(lead.creation)
		.orderby(lead.name)
		.limit(limit)
	).run(as_dict=True)


def distribute_new_leads(commit: bool = True) -> int:
	rules, records = load_rules(auto_only=True)
	if not rules:
		return 0
	distributor = build_distributor(rules)
	offered, after = 0, None
	while rows := new_leads(rules, records, after):
		after = (rows[-1].creation, rows[-1].name)
		facts = engine_leads([row.name for row in rows])
		for row in rows:
			applicable = [
				r
				for r in rules
				if getdate(records[r.name].apply_from or "2999-12-31") <= getdate(row.creation)
			]
			rule = engine.first_rule(applicable, facts[row.name]) if row.name in facts else None
			if not rule:
				continue
			result = offer_by_rules([row.name], distributor, records, {row.name: rule.name}, "Administrator")
			offered += len(result["offered"])
			if result["nobody"]:
				nobody_accepted(row.name, records[rule.name], None, _("No partner of the rule can take it."))
		if commit:
			frappe.db.commit()  # nosemgrep: scheduled job, commits per batch
	return offered


# -- the channel team's actions in the desk


def require_channel_team():
	if is_partner_scoped(frappe.session.user) or not frappe.has_permission(LEAD_OFFER, "create"):
		frappe.throw(_("Only the channel team hands leads to partners."), frappe.PermissionError)


def lead_names(leads) -> list[str]:
	if isinstance(leads, str):
		leads = frappe.parse_json(leads) if leads.strip().startswith("[") else [leads]
	if not isinstance(leads, list) or not all(isinstance(name, str) for name in leads):
		frappe.throw(_("Choose the leads to hand over."), LeadOfferError)
	names = list(dict.fromkeys(leads))
	for name in names:
		frappe.has_permission("Lead", "read", name, throw=True)
	return names


@frappe.whitelist(methods=["POST"])
def offer_to_partner(leads, partner, hours=None) -> dict:
	"""Offer the leads to one partner (from the Lead form, or the list's selection)."""
	require_channel_team()
	names = lead_names(leads)
	hours = cint(hours) or None
	if hours is not None and not 1 <= hours <= 24 * 90:
		frappe.throw(_("Give the partner between 1 hour and 90 days."), LeadOfferError)
	if not isinstance(partner, str) or not frappe.db.exists(PARTNER, partner):
		frappe.throw(_("Choose a partner."), LeadOfferError)
	if len(names) > INLINE_LIMIT:
		frappe.enqueue(
			"prm_app.integrations.lead_distribution.offer_to_partner_job",
			leads=names,
			partner=partner,
			hours=hours,
			offered_by=frappe.session.user,
			queue="long",
		)
		return {"queued": len(names)}
	return offer_to_partner_job(names, partner, hours, frappe.session.user, commit=False)


def offer_to_partner_job(leads, partner, hours=None, offered_by=None, commit: bool = True) -> dict:
	result = {"offered": [], "errors": []}
	for name in leads:
		frappe.db.savepoint(SAVEPOINT)
		try:
			result["offered"].append(
				(name, partner, make_offer(name, partner, hours, offered_by=offered_by).name)
			)
		except frappe.ValidationError as e:
			frappe.db.rollback(save_point=SAVEPOINT)
			frappe.clear_messages()
			result["errors"].append((name, str(e)))
		if commit:
			frappe.db.commit()  # nosemgrep: background job
	return result


@frappe.whitelist(methods=["POST"])
def distribute_by_rules(leads) -> dict:
	"""Offer the leads to the partners the enabled rules choose (from the Lead form or list)."""
	require_channel_team()
	names = lead_names(leads)
	if len(names) > INLINE_LIMIT:
		frappe.enqueue(
			"prm_app.integrations.lead_distribution.distribute_by_rules_job",
			leads=names,
			offered_by=frappe.session.user,
			queue="long",
		)
		return {"queued": len(names)}
	return distribute_by_rules_job(names, frappe.session.user)


def distribute_by_rules_job(leads, offered_by=None) -> dict:
	busy = [name for name in leads if open_offer_of(name)]
	todo = [name for name in leads if name not in busy]
	rules, records = load_rules()
	result = offer_by_rules(todo, build_distributor(rules), records, offered_by=offered_by)
	result["already_offered"] = busy
	return result


# -- metrics per partner


def lead_metrics(partners: list[str] | None = None) -> dict[str, dict]:
	"""Per partner: offers answered or timed out, accepted, acceptance rate, average hours to
	accept, converted (into a deal registration), conversion rate. One query."""
	offer = frappe.qb.DocType(LEAD_OFFER)
	answered = Case().when(offer.status.isin((ACCEPTED, DECLINED, TIMED_OUT)), 1).else_(0)
	accepted = Case().when(offer.status == ACCEPTED, 1).else_(0)
	hours = Case().when(offer.status == ACCEPTED, offer.hours_to_accept)
	converted = Case().when((offer.status == ACCEPTED) & offer.deal_registration.isnotnull(), 1).else_(0)
	query = frappe.qb.from_(offer).select(
		offer.partner, Sum(answered), Sum(accepted), Avg(hours), Sum(converted)
	)
	if partners is not None:
		query = query.where(offer.partner.isin(partners or [""]))
	metrics = {}
	for partner, n_answered, n_accepted, avg_hours, n_converted in query.groupby(offer.partner).run():
		n_answered, n_accepted, n_converted = cint(n_answered), cint(n_accepted), cint(n_converted)
		metrics[partner] = {
			"leads_offered": n_answered,
			"leads_accepted": n_accepted,
			"lead_acceptance_rate": flt(n_accepted * 100 / n_answered, 1) if n_answered else 0,
			"lead_hours_to_accept": flt(avg_hours, 1) if avg_hours is not None else 0,
			"leads_converted": n_converted,
			"lead_conversion_rate": flt(n_converted * 100 / n_accepted, 1) if n_accepted else 0,
		}
	return metrics


def update_lead_metrics(partners: list[str]) -> None:
	"""Write the figures of these partners on their records (no Partner save: only these fields)."""
	now = now_datetime()
	for partner, values in lead_metrics(partners).items():
		frappe.db.set_value(PARTNER, partner, {**values, "lead_metrics_on": now}, update_modified=False)


def update_all_lead_metrics(commit: bool = True) -> int:
	"""Daily: every partner's lead figures (one read; a write per partner with offers)."""
	metrics = lead_metrics()
	now = now_datetime()
	for n, (partner, values) in enumerate(metrics.items(), start=1):
		frappe.db.set_value(PARTNER, partner, {**values, "lead_metrics_on": now}, update_modified=False)
		if commit and n % BATCH == 0:
			frappe.db.commit()  # nosemgrep: scheduled job, commits per batch
	if commit:
		frappe.db.commit()  # nosemgrep: scheduled job
	return len(metrics)


# -- the desk


def lead_dashboard(data):
	"""``override_doctype_dashboards`` for Lead: its offers to partners and their history."""
	data = data or {}
	data.setdefault("transactions", []).append(
		{"label": _("Partners"), "items": [LEAD_OFFER, "Lead Assignment Log"]}
	)
	return data
