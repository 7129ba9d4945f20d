"""``bench --site SITE prm-benchmark-lead-distribution``: how lead distribution and its service level
job scale with partners and leads, measured on the site's database.

In one transaction (rolled back at the end unless ``keep``): N active partners and M leads of a
country of their own, written in bulk, and one rule that takes them. It prints

- the time to read what the rules need (rules, partners and their counts, the trees);
- per lead: the choice and the offer (p50 / p95 / p99) and the throughput;
- the job with every offer overdue: taking them back and offering each lead to the next partner.

E-mail is muted for the run (the offers' notification would otherwise queue a mail each).
"""

import json
import statistics
import time

import click
import frappe
from frappe.commands import get_site, pass_context
from frappe.utils import add_to_date, now_datetime, random_string

from prm_app.constants import LEAD_OFFER


def percentile(values: list[float], share: float) -> float:
	ordered = sorted(values)
	if not ordered:
		return 0.0
	index = min(round(share * (len(ordered) - 1)), len(ordered) - 1)
	return ordered[index]


def bulk_partners(count: int, country: str) -> list[str]:
	now = now_datetime()
	tag = random_string(6)
	names = [f"Bench Partner {tag} {n:06d}" for n in range(count)]
	frappe.db.bulk_insert(
		"Partner",
		fields=["name", "partner_name", "status", "country", "creation", "modified", "owner", "modified_by"],
		values=[
			(name, name, "Active", country, now, now, "Administrator", "Administrator") for name in names
		],
	)
	return names


def bulk_leads(count: int, country: str) -> list[str]:
	now = now_datetime()
	tag = random_string(6)
	names = [f"BENCH-LEAD-{tag}-{n:07d}" for n in range(count)]
	frappe.db.bulk_insert(
		"Lead",
		fields=[
			"name",
			"lead_name",
			"company_name",
			"status",
			"country",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		values=[
			(
				name,
				f"Bench Person {n}",
				f"Bench Company {tag} {n}",
				"Lead",
				country,
				now,
				now,
				"Administrator",
				"Administrator",
			)
			for n, name in enumerate(names)
		],
	)
	return names


def run(partners: int = 500, leads: int = 2000, capacity: int = 0, keep: bool = False, echo=print) -> dict:
	from prm_app.integrations import lead_distribution

	frappe.flags.mute_emails = True
	country = frappe.get_all("Country", pluck="name", order_by="name asc", limit_page_length=1)[0]
	frappe.db.savepoint("prm_lead_benchmark")
	try:
		started = time.perf_counter()
		bulk_partners(partners, country)
		lead_names = bulk_leads(leads, country)
		rule = frappe.get_doc(
			{
				"doctype": "Lead Distribution Rule",
				"rule_name": f"Bench Rule {random_string(6)}",
				"country": country,
				"method": "Round Robin",
				"accept_within_hours": 24,
				"capacity": capacity,
				"max_offers": 2,
				"priority": 1000,
			}
		).insert(ignore_permissions=True)
		echo(f"set-up: {partners} partners, {leads} leads in {time.perf_counter() - started:.1f} s")

		started = time.perf_counter()
		rules, records = lead_distribution.load_rules([rule.name])
		distributor = lead_distribution.build_distributor(rules)
		load = time.perf_counter() - started
		echo(f"read rules, partners and their counts: {load * 1000:.0f} ms")

		timings = []
		started = time.perf_counter()
		for name in lead_names:
			one = time.perf_counter()
			lead_distribution.offer_by_rules([name], distributor, records, {name: rule.name}, "Administrator")
			timings.append((time.perf_counter() - one) * 1000)
		total = time.perf_counter() - started
		offered = frappe.db.count(LEAD_OFFER, {"rule": rule.name})
		result = {
			"partners": partners,
			"leads": leads,
			"offered": offered,
			"load_ms": round(load * 1000, 1),
			"offer_p50_ms": round(statistics.median(timings), 2) if timings else 0,
			"offer_p95_ms": round(percentile(timings, 0.95), 2),
			"offer_p99_ms": round(percentile(timings, 0.99), 2),
			"offers_per_second": round(offered / total, 1) if total else 0,
		}
		echo(
			f"offers: {offered} in {total:.1f} s ({result['offers_per_second']}/s); per lead "
			f"p50 {result['offer_p50_ms']} ms, p95 {result['offer_p95_ms']} ms, p99 {result['offer_p99_ms']} ms"
		)

		offer = frappe.qb.DocType(LEAD_OFFER)
		frappe.qb.update(offer).set(offer.respond_by, add_to_date(now_datetime(), hours=-1)).where(
			offer.rule == rule.name
		).run()
		started = time.perf_counter()
		timed_out = lead_distribution.expire_overdue(commit=False)
		expire = time.perf_counter() - started
		started = time.perf_counter()
		follow = lead_distribution.follow_up(commit=False)
		follow_time = time.perf_counter() - started
		result.update(
			timed_out=timed_out,
			expire_s=round(expire, 2),
			reoffered=follow["reoffered"],
			nobody=follow["nobody"],
			follow_up_s=round(follow_time, 2),
		)
		echo(
			f"job: {timed_out} overdue offers taken back in {expire:.1f} s; {follow['reoffered']} leads offered "
			f"to the next partner, {follow['nobody']} handed back, in {follow_time:.1f} s"
		)
		return result
	finally:
		if keep:
			frappe.db.commit()  # nosemgrep: a bench command, asked to keep its data
		else:
			frappe.db.rollback(save_point="prm_lead_benchmark")
			frappe.db.rollback()


@click.command("prm-benchmark-lead-distribution")
@click.option("--partners", default=500, show_default=True, help="Active partners the rule may choose from.")
@click.option("--leads", default=2000, show_default=True, help="Leads to distribute.")
@click.option("--capacity", default=0, show_default=True, help="The rule's capacity per partner (0: none).")
@click.option("--keep", is_flag=True, help="Keep the synthetic partners, leads and offers afterwards.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
@pass_context
def command(context, partners, leads, capacity, keep, as_json):
	"""Time lead distribution by a rule and the service level job with N partners and M leads."""
	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		result = run(partners=partners, leads=leads, capacity=capacity, keep=keep, echo=click.echo)
		if as_json:
			click.echo(json.dumps(result))
	finally:
		frappe.destroy()
