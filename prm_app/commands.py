"""Bench commands: ``bench --site SITE prm-backfill-match-keys`` and
``bench --site SITE prm-benchmark-conflict-check``."""

import json
import time

import click
from frappe.commands import get_site, pass_context

from prm_app.perf.command import benchmark_portal


@click.command("prm-backfill-match-keys")
@click.option("--doctype", "doctypes", multiple=True, help="Only these sources (repeatable).")
@click.option("--batch-size", default=500, show_default=True)
@pass_context
def backfill_match_keys(context, doctypes, batch_size):
	"""Index existing Customers, Leads, Opportunities, Quotations, Sales Orders and registrations."""
	import frappe

	from prm_app.conflict.keys import backfill

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		started = time.monotonic()

		def progress(doctype, done, total):
			click.echo(f"{doctype}: {done}/{total} ({done * 100 // max(total, 1)}%)")

		counts = backfill(list(doctypes) or None, batch_size=batch_size, progress=progress)
		for doctype, n in counts.items():
			click.echo(f"{doctype}: {n} active records indexed")
		click.echo(f"done in {time.monotonic() - started:.1f} s")
	finally:
		frappe.destroy()


@click.command("prm-benchmark-conflict-check")
@click.option("--keys", "target_keys", default=1_000_000, show_default=True, help="Match keys to hold.")
@click.option("--queries", default=300, show_default=True)
@click.option("--keep", is_flag=True, help="Keep the synthetic keys afterwards.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
@pass_context
def benchmark_conflict_check(context, target_keys, queries, keep, as_json):
	"""Time the conflict check's candidate query and scoring with N keys in PRM Match Key."""
	import frappe

	from prm_app.conflict.benchmark import run

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		result = run(target_keys=target_keys, queries=queries, keep=keep, echo=click.echo)
		if as_json:
			click.echo(json.dumps(result))
	finally:
		frappe.destroy()


commands = [backfill_match_keys, benchmark_conflict_check, benchmark_portal]
