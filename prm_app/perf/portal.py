"""``bench --site SITE prm-benchmark-portal``: the partner portal under load, beside Frappe's own
page and method, on a scratch site.

1. Synthetic partners, users and registrations are bulk-inserted (``prm_app.perf.data``).
2. The site is served as production serves it (gunicorn workers, ``prm_app.perf.driver.Server``);
   N partner sessions sign in over loopback HTTP with Frappe's login.
3. Optionally a profile pass: one request of each target with Frappe's recorder on (SQL queries
   and their time, a cProfile of the request).
4. A single-session pass: every target and baseline, interleaved round by round.
5. A concurrent pass: all N sessions on one target at a time for ``seconds``, the baselines
   before and after the portal's targets.
6. The tables, with the ratios to the baselines and the targets the issue sets; the synthetic
   records are removed (unless ``keep``).
"""

import os
import time

import frappe

from prm_app.perf import capabilities, data, driver, recorder
from prm_app.perf.driver import METHOD, PAGE, Session
from prm_app.perf.targets import TARGETS, Target, baselines, resolve

PASSWORD = "Prm-Benchmark-Portal-1"
PAGE_LATENCY_LIMIT = 1.10  # a page's p50 within 1.1x the baseline page's, one session
PAGE_THROUGHPUT_FLOOR = 0.95  # a page's throughput at least 0.95x the baseline page's, N sessions
METHOD_LATENCY_LIMIT = 2.0  # a method's p50 within 2x frappe.auth.get_logged_user's
METHOD_THROUGHPUT_FLOOR = 0.5  # and so at least half its throughput


def existing_programme() -> dict | None:
	"""The synthetic programme a kept earlier run left, to reuse."""
	partners = sorted(data.synthetic_partners())
	if not partners:
		return None
	table = frappe.qb.DocType("Deal Registration")
	from frappe.query_builder.functions import Count

	counts = dict(
		frappe.qb.from_(table)
		.select(table.partner, Count("*"))
		.where(table.name.like(f"{data.REGISTRATION_PREFIX}%"))
		.groupby(table.partner)
		.run()
	)
	made = []
	for partner in partners:
		i = int(partner.rsplit(" ", 1)[1])
		made.append(
			{
				"partner": partner,
				"admin": data.user_name(i, "Partner Admin"),
				"user": data.user_name(i, "Partner User"),
				"registrations": int(counts.get(partner, 0)),
			}
		)
	return {"partners": made}


def driven(programme: dict, sessions: int) -> list[dict]:
	"""The partner each session acts for: partners with registrations first, the largest first, as
	many distinct ones as there are sessions (sessions share partners when there are fewer)."""
	partners = sorted(programme["partners"], key=lambda p: (-(p["registrations"] > 0), -p["registrations"]))
	chosen = partners[: max(1, min(sessions, len(partners)))]
	return [chosen[i % len(chosen)] for i in range(sessions)]


def selected(targets: list[Target], only: tuple[str, ...]) -> list[Target]:
	if not only:
		return targets
	return [t for t in targets if any(word in t.label for word in only)]


def table_rows(table: str) -> int:
	return frappe.db.sql(f"SELECT COUNT(*) FROM `{table}`")[0][0]  # nosemgrep: fixed table names


def run(
	partners: int = 1000,
	registrations: int = 1_000_000,
	sessions: int = 20,
	seconds: float = 30,
	rounds: int = 20,
	workers: int = 2,
	threads: int = 4,
	skew: float = 0.0,
	port: int | None = None,
	keep: bool = False,
	reuse: bool = False,
	profile: bool = False,
	profile_top: int = 0,
	only: tuple[str, ...] = (),
	skip_concurrent: bool = False,
	leads: int = 50,
	mdf_requests: int = 20,
	echo=print,
) -> dict:
	started = time.monotonic()
	programme = existing_programme() if reuse else None
	if programme:
		echo(f"reusing {len(programme['partners']):,} synthetic partners of an earlier run")
	else:
		programme = data.make(partners, registrations, PASSWORD, skew=skew, echo=echo)
	try:
		capabilities.remove()  # a kept run's, made again at this run's sizes
		capabilities.make(programme, leads=leads, requests=mdf_requests, echo=echo)
		return measure(
			programme,
			sessions=sessions,
			seconds=seconds,
			rounds=rounds,
			workers=workers,
			threads=threads,
			port=port,
			profile=profile,
			profile_top=profile_top,
			only=only,
			skip_concurrent=skip_concurrent,
			echo=echo,
		)
	finally:
		if keep:
			echo("keeping the synthetic records (--keep); remove them with --remove")
		else:
			data.remove(echo=echo)
		echo(f"benchmark done in {time.monotonic() - started:.0f} s")


def measure(
	programme: dict,
	sessions: int,
	seconds: float,
	rounds: int,
	workers: int,
	threads: int,
	port: int | None,
	profile: bool,
	profile_top: int,
	only: tuple[str, ...],
	skip_concurrent: bool,
	echo,
) -> dict:
	frappe.db.commit()  # nosemgrep: bench command; the server reads committed data only
	acting = driven(programme, sessions)
	partner_names = [p["partner"] for p in acting]
	base = [(t, [t.call({})] * sessions) for t in baselines()]
	portal = resolve(selected(TARGETS, only), partner_names)
	site = frappe.local.site
	result = {
		"site": site,
		"frappe": frappe.__version__,
		"registrations_in_table": table_rows("tabDeal Registration"),
		"partners_in_table": table_rows("tabPartner"),
		"sessions": sessions,
		"workers": workers,
		"threads": threads,
		"cpus": os.cpu_count(),
		"driven_partners": {p["partner"]: p["registrations"] for p in acting},
	}
	result["load_before"] = [round(x, 2) for x in os.getloadavg()]
	echo(
		f"site {site}, Frappe {frappe.__version__}: {result['registrations_in_table']:,} registrations, "
		f"{result['partners_in_table']:,} partners in the tables; {os.cpu_count()} CPUs, load average "
		f"{' '.join(str(x) for x in result['load_before'])}"
	)
	sizes = sorted(set(result["driven_partners"].values()))
	echo(
		f"{sessions} sessions act for {len(result['driven_partners'])} partners with "
		f"{sizes[0]:,}..{sizes[-1]:,} registrations each"
	)
	sites_path = os.path.abspath(frappe.local.sites_path)
	with driver.Server(sites_path, site, workers=workers, threads=threads, port=port) as server:
		echo(f"gunicorn: {' '.join(server.command()[1:])} (in {sites_path})")
		clients = []
		for entry in acting:
			clients.append(Session(server.base_url, site, entry["admin"]).login(PASSWORD))
		echo(f"{len(clients)} sessions signed in")
		if profile:
			result["profile"] = profile_pass(clients[0], base, portal, profile_top, echo)
		result["single"] = single_pass(clients[0], base, portal, rounds, echo)
		if not skip_concurrent:
			result["concurrent"] = concurrent_pass(clients, base, portal, seconds, echo)
	result["load_after"] = [round(x, 2) for x in os.getloadavg()]
	echo(f"load average after the passes: {' '.join(str(x) for x in result['load_after'])}")
	return result


def first_call(calls):
	return next(c for c in calls if c is not None)


def profile_pass(client: Session, base, portal, top: int, echo) -> list[dict]:
	"""One request of each target with Frappe's recorder on: queries, SQL time, and a profile."""
	from prm_app.portal import metrics

	calls = [calls[0] for _t, calls in base] + [calls[0] for _t, calls in portal if calls[0]]
	for call in calls:  # warm the workers first
		client.fetch(call)
	echo("\nprofile (Frappe's recorder on: one request each; times include the recorder's overhead)")
	frappe.db.commit()  # nosemgrep: bench command
	recorder.start(profile=bool(top))
	try:
		# the dashboard once without its cached figures, then everything warm
		partner = frappe.db.get_value("Partner User", {"user": client.user}, "parent")
		metrics.invalidate(partner)
		cold = [c for c in calls if c.path in ("/partner", "prm_app.api.dashboard.get_dashboard")]
		for call in cold:
			client.fetch(call)
			metrics.invalidate(partner)
		for call in calls:
			client.fetch(call)
	finally:
		recorder.stop()
	recorded = recorder.requests()
	recorder.clear()
	labels = [f"{c.label} (cold)" for c in cold] + [c.label for c in calls]
	rows = []
	width = max(len(label) for label in labels)
	echo(f"{'':{width}}  {'queries':>7} {'SQL ms':>8} {'total ms':>9}")
	for label, request in zip(labels, recorded, strict=False):
		row = {
			"label": label,
			"path": request.get("path"),
			"queries": request.get("queries"),
			"sql_ms": request.get("time_queries"),
			"ms": request.get("duration"),
		}
		rows.append(row)
		echo(f"{label:{width}}  {row['queries']:7d} {row['sql_ms']:8.1f} {row['ms']:9.1f}")
		if top:
			for line in recorder.query_summary(request, 5):
				echo(f"    {line}")
			for line in recorder.profile_lines(request, top):
				echo(f"    {line}")
	return rows


def target_text(kind: str, value, concurrent: bool, stats: driver.Stats | None = None) -> str:
	if stats is not None and (stats.errors or not stats.count):
		return f"FAILED: {stats.errors} of {stats.errors + stats.count} requests not answered 200"
	if value is None:
		return ""
	if kind == PAGE:
		limit = PAGE_THROUGHPUT_FLOOR if concurrent else PAGE_LATENCY_LIMIT
		sign = ">=" if concurrent else "<="
	else:
		limit = METHOD_THROUGHPUT_FLOOR if concurrent else METHOD_LATENCY_LIMIT
		sign = ">=" if concurrent else "<="
	return f"{sign}{limit:.2f} {driver.verdict(value, limit, higher_is_better=concurrent)}"


def single_pass(client: Session, base, portal, rounds: int, echo) -> dict:
	calls = [calls[0] for _t, calls in base] + [first_call(calls) for _t, calls in portal]
	echo(f"\nsingle session: {rounds} rounds, the calls interleaved ...")
	stats = driver.single_session(client, calls, rounds)
	page_base, method_base = base[0][0].label, base[-1][0].label
	rows, out = [], {}
	for target, _calls in [*base, *portal]:
		s = stats[target.label]
		reference = stats[page_base if target.kind == PAGE else method_base]
		value = None if target in (b for b, _c in base) else driver.ratio(s.p50, reference.p50)
		rows.append((s, value, target_text(target.kind, value, False, s)))
		out[target.label] = {**s.as_dict(), "kind": target.kind, "ratio": value}
	echo(
		driver.latency_table(rows, f"latency, one session (ratio: p50 / p50 of {page_base} or {method_base})")
	)
	return out


def concurrent_pass(clients: list[Session], base, portal, seconds: float, echo) -> dict:
	"""Each target alone with every session on it, between two phases of its baseline (pages:
	Frappe's page; methods: get_logged_user): its ratio is to the mean of those two, so that the
	machine's drift over the run (other work on it) touches target and baseline alike."""
	echo(f"\n{len(clients)} sessions, {seconds:.0f} s per phase, each target between two baseline phases ...")
	for call in [c for _t, calls in [*base, *portal] for c in calls[:1] if c]:
		for client in clients:  # every worker thread has seen every page
			client.fetch(call)
	out = {}
	for kind, baseline in ((PAGE, base[0]), (METHOD, base[-1])):
		targets = [(t, calls) for t, calls in portal if t.kind == kind]
		if not targets:
			continue
		if kind == PAGE:
			targets = [*base[1:-1], *targets]  # Frappe's other page (v16: /me), for reference
		rows, phases = [], []
		previous = run_phase(clients, baseline[1], seconds, baseline[0].label)
		phases.append(previous)
		for target, calls in targets:
			measured = run_phase(clients, calls, seconds, target.label)
			after = run_phase(clients, baseline[1], seconds, baseline[0].label)
			phases.append(after)
			reference = (previous.throughput + after.throughput) / 2
			is_base = any(target is b for b, _c in base)
			value = None if is_base else driver.ratio(measured.throughput, reference)
			rows.append((measured, value, "" if is_base else target_text(kind, value, True, measured)))
			out[target.label] = {
				**measured.as_dict(),
				"kind": kind,
				"ratio": value,
				"baseline_throughput": round(reference, 2),
			}
			previous = after
		summary = driver.combine(f"{baseline[0].label} (all {len(phases)} phases)", phases)
		out[baseline[0].label] = {**summary.as_dict(), "kind": kind, "phases": [p.as_dict() for p in phases]}
		throughputs = ", ".join(f"{p.throughput:.1f}" for p in phases)
		echo(
			driver.throughput_table(
				[(summary, None, ""), *rows],
				f"{len(clients)} sessions (ratio: req/s / mean req/s of the {baseline[0].label} phases "
				f"before and after; those were {throughputs} req/s)",
			)
		)
	return out


def run_phase(clients: list[Session], calls: list, seconds: float, label: str) -> driver.Stats:
	pairs = [(s, c) for s, c in zip(clients, calls, strict=True) if c is not None]
	warmup = min(2.0, seconds / 4)  # every session in flight before the clock starts
	stats = driver.concurrent([s for s, _c in pairs], [c for _s, c in pairs], seconds, warmup=warmup)
	stats.label = label if len(pairs) == len(clients) else f"{label} ({len(pairs)} sessions)"
	return stats
