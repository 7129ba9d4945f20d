"""Benchmark of the matching engine: ``python -m prm_app.benchmarks.engine [--records N] [--queries Q]``.

Builds a ``ConflictIndex`` of N synthetic parties (``prm_app.benchmarks.generator``, deterministic
from ``--seed``, no network, no data files), runs the known-name and the noisy queries and reports
latency, recall, precision, keys per record and memory. Definitions (also printed):

* a *true pair* is (query, indexed record) with the same company identity in the generator;
* recall = true pairs returned by ``search`` at DEFAULT_THRESHOLD / all true pairs;
* precision = returned results that are true pairs / all returned results; queries for companies
  that are not indexed (hard negatives of a seed, 10% of each query set) only add false positives.

Known-name queries are a seed company's name lightly re-rendered (legal form, case, punctuation,
accents, "The"), with its web domain whenever a same-domain trade name was planted. Noisy queries
are themselves a typo / word-order / spacing / abbreviation / combined variant, carry no shared
domain, and so are up to two variations away from the planted variants they must find.
Never imports frappe.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections import Counter

from rapidfuzz import fuzz, process

from prm_app.benchmarks.generator import generate
from prm_app.engine.index import ConflictIndex
from prm_app.engine.match_keys import match_keys
from prm_app.engine.matching import DEFAULT_THRESHOLD, Party, score

TARGETS = {"noisy_recall": 0.95, "precision": 0.99, "p99_ms": 1.0}


def _rss_mb() -> float:
	try:
		with open("/proc/self/status") as f:
			for line in f:
				if line.startswith("VmRSS:"):
					return int(line.split()[1]) / 1024
	except OSError:
		pass
	return float("nan")


def _peak_mb() -> float:
	return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _pct(values: list[float], q: float) -> float:
	if not values:
		return 0.0
	s = sorted(values)
	return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


class _Tally:
	"""Counts of one query set: latencies, pairs found / expected, false positives, by kind."""

	def __init__(self) -> None:
		self.times: list[float] = []
		self.true_pairs = self.found = self.returned = self.false_pos = 0
		self.kind_total: Counter = Counter()
		self.kind_found: Counter = Counter()
		self.query_total: Counter = Counter()
		self.query_found: Counter = Counter()
		self.misses: list[tuple[str, str, str]] = []
		self.false: list[tuple[str, str]] = []

	@property
	def recall(self) -> float:
		return self.found / self.true_pairs if self.true_pairs else 1.0

	@property
	def precision(self) -> float:
		return (self.returned - self.false_pos) / self.returned if self.returned else 1.0


def _evaluate(index: ConflictIndex, records, truth: dict[int, list[tuple[int, str]]], queries) -> _Tally:
	tally = _Tally()
	for name, dom, country, iid, qkind in queries:
		t0 = time.perf_counter()
		query = Party(name, dom, country)
		hits = index.search(query)
		tally.times.append((time.perf_counter() - t0) * 1000)
		expected = truth.get(iid, []) if iid >= 0 else []
		got = {ref for ref, _ in hits}
		tally.returned += len(got)
		for rid, rkind in expected:
			tally.true_pairs += 1
			tally.kind_total[rkind] += 1
			tally.query_total[qkind] += 1
			if rid in got:
				tally.found += 1
				tally.kind_found[rkind] += 1
				tally.query_found[qkind] += 1
			else:
				tally.misses.append((name, records[rid][0], f"{qkind}/{rkind}"))
		wrong = got - {rid for rid, _ in expected}
		tally.false_pos += len(wrong)
		tally.false.extend((name, records[rid][0]) for rid in wrong)
	return tally


def run(
	n_records: int,
	n_queries: int,
	seed: int,
	brute_force_queries: int = 20,
	show_misses: int = 0,
	out=print,
) -> dict:
	"""Run the benchmark and return the result dict (also printed through ``out``)."""
	t0 = time.perf_counter()
	data = generate(n_records, n_queries, seed)
	gen_s = time.perf_counter() - t0
	rss0 = _rss_mb()

	t0 = time.perf_counter()
	index: ConflictIndex[int] = ConflictIndex()
	for rid, (name, dom, country, _iid, _kind) in enumerate(data.records):
		index.add(rid, Party(name, dom, country))
	build_s = time.perf_counter() - t0
	index_rss = _rss_mb() - rss0
	n_keys = index.key_count

	truth: dict[int, list[tuple[int, str]]] = {}
	for rid, (_n, _d, _c, iid, kind) in enumerate(data.records):
		truth.setdefault(iid, []).append((rid, kind))
	truth_noisy = {
		iid: [(rid, k) for rid, k in pairs if k != "domain"]  # no shared evidence without the domain
		for iid, pairs in truth.items()
	}

	known = _evaluate(index, data.records, truth, data.queries)
	noisy = _evaluate(index, data.records, truth_noisy, data.noisy)

	# brute-force baseline: rapidfuzz fuzz.ratio of the query's sorted words against all N records'
	keys = [index.get(rid)._sig.sorted_key for rid in range(len(data.records))]
	bf_q = data.queries[:brute_force_queries]
	bf_times: list[float] = []
	bf_tp = bf_found = bf_ret = bf_fp = 0
	for name, dom, country, iid, _k in bf_q:
		t0 = time.perf_counter()
		q = Party(name, dom, country)
		hits = process.extract(q._sig.sorted_key, keys, scorer=fuzz.ratio, score_cutoff=90, limit=20)
		bf_times.append((time.perf_counter() - t0) * 1000)
		got = {h[2] for h in hits}
		exp = {rid for rid, _ in truth.get(iid, [])} if iid >= 0 else set()
		bf_tp += len(exp)
		bf_found += len(got & exp)
		bf_ret += len(got)
		bf_fp += len(got - exp)

	both = known.times + noisy.times
	returned = known.returned + noisy.returned
	false_pos = known.false_pos + noisy.false_pos
	result = {
		"records": len(data.records),
		"queries": len(data.queries),
		"seed": seed,
		"threshold": DEFAULT_THRESHOLD,
		"gen_s": round(gen_s, 2),
		"build_s": round(build_s, 2),
		"keys": n_keys,
		"keys_per_record": round(n_keys / max(1, len(data.records)), 2),
		"peak_rss_mb": round(_peak_mb(), 1),
		"index_rss_mb": round(index_rss, 1),
		"p50_ms": round(_pct(both, 0.50), 4),
		"p99_ms": round(_pct(both, 0.99), 4),
		"max_ms": round(max(both), 4) if both else 0.0,
		"mean_ms": round(statistics.fmean(both), 4) if both else 0.0,
		"true_pairs": known.true_pairs,
		"found_pairs": known.found,
		"returned": known.returned,
		"false_positives": known.false_pos,
		"recall": round(known.recall, 5),
		"precision": round(known.precision, 5),
		"negative_queries": sum(1 for q in data.queries if q[3] < 0),
		"recall_by_kind": {
			k: round(known.kind_found[k] / known.kind_total[k], 4) for k in sorted(known.kind_total)
		},
		"noisy_queries": len(data.noisy),
		"noisy_negative_queries": sum(1 for q in data.noisy if q[3] < 0),
		"noisy_true_pairs": noisy.true_pairs,
		"noisy_found_pairs": noisy.found,
		"noisy_returned": noisy.returned,
		"noisy_false_positives": noisy.false_pos,
		"noisy_recall": round(noisy.recall, 5),
		"noisy_precision": round(noisy.precision, 5),
		"noisy_recall_by_kind": {
			k: round(noisy.kind_found[k] / noisy.kind_total[k], 4) for k in sorted(noisy.kind_total)
		},
		"noisy_recall_by_query_kind": {
			k: round(noisy.query_found[k] / noisy.query_total[k], 4) for k in sorted(noisy.query_total)
		},
		"all_precision": round((returned - false_pos) / returned, 5) if returned else 1.0,
		"brute_force_queries": len(bf_q),
		"brute_force_p50_ms": round(_pct(bf_times, 0.50), 2),
		"brute_force_recall": round(bf_found / bf_tp, 4) if bf_tp else 1.0,
		"brute_force_precision": round((bf_ret - bf_fp) / bf_ret, 4) if bf_ret else 1.0,
		"python": platform.python_version(),
		"cpus": os.cpu_count(),
	}
	r = result
	out(f"records            {r['records']:,} (generated in {gen_s:.1f} s)")
	out(f"build              {build_s:.1f} s  (Party normalisation + ConflictIndex.add)")
	out(f"keys               {n_keys:,} = {r['keys_per_record']} per record (match_keys)")
	out(f"memory             peak RSS {r['peak_rss_mb']:.0f} MB, index+parties {index_rss:.0f} MB")
	out(
		f"search latency     p50 {r['p50_ms']:.3f} ms  p99 {r['p99_ms']:.3f} ms  max {r['max_ms']:.3f} ms  "
		f"({len(both)} known-name and noisy queries, incl. Party construction)"
	)
	out(f"threshold          {DEFAULT_THRESHOLD}")
	out(
		f"known-name queries recall {known.recall:.4f} ({known.found}/{known.true_pairs}), precision "
		f"{known.precision:.4f} ({known.returned - known.false_pos}/{known.returned}; "
		f"{r['negative_queries']} queries for unindexed hard negatives)"
	)
	out(f"  recall by record kind  {json.dumps(r['recall_by_kind'])}")
	out(
		f"noisy queries      recall {noisy.recall:.4f} ({noisy.found}/{noisy.true_pairs}), precision "
		f"{noisy.precision:.4f} ({noisy.returned - noisy.false_pos}/{noisy.returned}; "
		f"{r['noisy_negative_queries']} queries for unindexed hard negatives)"
	)
	out(f"  recall by record kind  {json.dumps(r['noisy_recall_by_kind'])}")
	out(f"  recall by query kind   {json.dumps(r['noisy_recall_by_query_kind'])}")
	out(f"all queries        precision {r['all_precision']:.4f} ({returned - false_pos}/{returned})")
	out(
		f"brute force        rapidfuzz process.extract(fuzz.ratio >= 90) over {len(keys):,} names: "
		f"p50 {r['brute_force_p50_ms']:.1f} ms, recall {r['brute_force_recall']:.4f}, "
		f"precision {r['brute_force_precision']:.4f} ({len(bf_q)} known-name queries)"
	)
	checks = [
		("noisy recall", r["noisy_recall"], ">=", TARGETS["noisy_recall"]),
		("precision, all queries", r["all_precision"], ">=", TARGETS["precision"]),
		("p99 ms", r["p99_ms"], "<=", TARGETS["p99_ms"]),
	]
	out(
		"targets            "
		+ ", ".join(
			f"{label} {value} {op} {target}: "
			+ ("met" if (value >= target if op == ">=" else value <= target) else "NOT MET")
			for label, value, op, target in checks
		)
	)
	if show_misses:
		out(f"missed noisy pairs (first {show_misses}):")
		for q, rec, kinds in noisy.misses[:show_misses]:
			out(f"  {kinds:18} {q!r} / {rec!r}: {score(Party(q), Party(rec))}")
		out(f"false positives (first {show_misses}):")
		for q, rec in (known.false + noisy.false)[:show_misses]:
			out(f"  {q!r} / {rec!r}: {score(Party(q), Party(rec))}")
	return result


def main(argv: list[str] | None = None) -> dict:
	"""CLI entry point; returns the result dict."""
	ap = argparse.ArgumentParser(
		prog="python -m prm_app.benchmarks.engine", description=__doc__.splitlines()[0]
	)
	ap.add_argument("--records", type=int, default=1_000_000)
	ap.add_argument("--queries", type=int, default=1000)
	ap.add_argument("--seed", type=int, default=42)
	ap.add_argument("--brute-force-queries", type=int, default=20)
	ap.add_argument(
		"--show-misses", type=int, default=0, help="print this many missed pairs and false positives"
	)
	ap.add_argument(
		"--json", action="store_true", help="print the result as one JSON object on the last line"
	)
	args = ap.parse_args(argv)
	result = run(args.records, args.queries, args.seed, args.brute_force_queries, args.show_misses)
	if args.json:
		print(json.dumps(result, sort_keys=True))
	sys.stdout.flush()
	return result


if __name__ == "__main__":
	main()
