"""Bench commands (``bench --site SITE <command> --help``): ``prm-backfill-match-keys``,
``prm-benchmark-conflict-check``, ``prm-benchmark-submit``, ``prm-benchmark-tier-evaluation`` and
``prm-benchmark-lead-distribution``."""

import json
import time

import click
from frappe.commands import get_site, pass_context

from prm_app.insights.commands import commands as insight_commands
from prm_app.integrations.lead_benchmark import command as benchmark_lead_distribution
from prm_app.perf.command import benchmark_portal


@click.command("prm-backfill-match-keys")
@click.option("--doctype", "doctypes", multiple=True, help="Only these sources (repeatable); runs now.")
@click.option("--batch-size", default=1000, show_default=True)
@click.option("--now", "run_now", is_flag=True, help="Run here instead of as a background job.")
@click.option("--restart", is_flag=True, help="Start over instead of resuming an interrupted run.")
@click.option("--status", "show_status", is_flag=True, help="Only show the progress of the last run.")
@pass_context
def backfill_match_keys(context, doctypes, batch_size, run_now, restart, show_status):
	"""Index existing Customers, Leads, Opportunities, Quotations, Sales Orders and registrations.

	By default a background job (queue "long") does it, resuming an interrupted run; its progress
	shows in PRM Settings and in the worker's log, and with --status.
	"""
	import frappe

	from prm_app.conflict import keys

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		if show_status:
			click.echo(keys.describe_state() or "no backfill has run")
			click.echo(json.dumps(keys.progress_state(), indent=1, sort_keys=True))
			return
		if not (run_now or doctypes):
			keys.request_rebuild(reason="bench prm-backfill-match-keys")
			frappe.db.commit()  # nosemgrep: bench command
			click.echo("Queued (queue long). Follow it with --status, in PRM Settings or the worker log.")
			return
		started = time.monotonic()
		first: dict[str, tuple[float, int]] = {}  # per doctype: (time, done) of its first report

		def progress(doctype, done, total):
			at, done_before = first.setdefault(doctype, (time.monotonic(), done))
			rate = (done - done_before) / max(time.monotonic() - at, 1e-9)
			click.echo(f"{doctype}: {done}/{total} ({done * 100 // max(total, 1)}%, {rate:,.0f} records/s)")

		counts = keys.backfill(
			list(doctypes) or None, batch_size=batch_size, progress=progress, resume=not restart
		)
		for doctype, n in counts.items():
			click.echo(f"{doctype}: {n} active records indexed")
		click.echo(f"done in {time.monotonic() - started:.1f} s")
	finally:
		frappe.destroy()


@click.command("prm-benchmark-conflict-check")
@click.option("--records", default=1_000_000, show_default=True, help="Synthetic records to hold keys for.")
@click.option("--queries", default=1000, show_default=True)
@click.option("--seed", default=7, show_default=True)
@click.option("--keep", is_flag=True, help="Keep the synthetic keys afterwards (--reuse them next time).")
@click.option("--reuse", is_flag=True, help="Use synthetic keys kept by an earlier --keep run.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
@pass_context
def benchmark_conflict_check(context, records, queries, seed, keep, reuse, as_json):
	"""Time the conflict check (indexed candidate query and scoring) with the keys of N records."""
	import frappe

	from prm_app.benchmarks.conflict_check import run

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		result = run(records=records, queries=queries, seed=seed, keep=keep, reuse=reuse, echo=click.echo)
		if as_json:
			click.echo(json.dumps(result))
	finally:
		frappe.destroy()


@click.command("prm-benchmark-submit")
@click.option("--url", default=None, help="A served site (http://host:port); default: start gunicorn.")
@click.option("--requests", "n_requests", default=300, show_default=True)
@click.option("--workers", default=2, show_default=True, help="gunicorn workers when it is started here.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
@pass_context
def benchmark_submit(context, url, n_requests, workers, as_json):
	"""Time a partner's register-and-submit over HTTP (portal API), p50/p95/p99."""
	import frappe

	from prm_app.benchmarks.submit import run

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		result = run(site=site, url=url, n_requests=n_requests, workers=workers, echo=click.echo)
		if as_json:
			click.echo(json.dumps(result))
	finally:
		frappe.destroy()


@click.command("prm-benchmark-tier-evaluation")
@click.option("--partners", default=10_000, show_default=True)
@click.option("--invoices", default=1_000_000, show_default=True)
@click.option("--changes", default=0.02, show_default=True, help="Share of partners whose tier is off.")
@click.option("--keep", is_flag=True, help="Keep the synthetic rows afterwards.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
@pass_context
def benchmark_tier_evaluation(context, partners, invoices, changes, keep, as_json):
	"""Time the tier engine's full re-evaluation over synthetic partners and invoices (scratch site)."""
	import frappe

	from prm_app.integrations.tier_benchmark import run

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		result = run(partners=partners, invoices=invoices, changes=changes, keep=keep, echo=click.echo)
		if as_json:
			click.echo(json.dumps(result))
	finally:
		frappe.destroy()


@click.command("prm-benchmark-mdf")
@click.option("--partners", default=2000, show_default=True)
@click.option(
	"--invoices", default=10, show_default=True, help="Invoices per partner in the last rebate period."
)
@click.option(
	"--requests", default=3, show_default=True, help="Approved requests (each with a claim) per partner."
)
@click.option("--queries", default=300, show_default=True, help="Single-partner balance reads to time.")
@click.option("--keep", is_flag=True, help="Keep the synthetic rows afterwards.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
@pass_context
def benchmark_mdf(context, partners, invoices, requests, queries, keep, as_json):
	"""Time the MDF and rebate reads (allocation, budget balances, rebate batch, a partner's balance)."""
	import frappe

	from prm_app.integrations.mdf_benchmark import run

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		result = run(partners, invoices, requests, queries, keep, echo=click.echo)
		if as_json:
			click.echo(json.dumps(result))
	finally:
		frappe.destroy()


commands = [
	backfill_match_keys,
	benchmark_conflict_check,
	benchmark_submit,
	benchmark_tier_evaluation,
	benchmark_lead_distribution,
	benchmark_mdf,
	benchmark_portal,
	*insight_commands,
]
