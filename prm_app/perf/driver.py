"""The load driver of ``prm-benchmark-portal``: a site served by gunicorn, signed-in HTTP sessions,
timed requests and their statistics.

Standard library and ``requests`` only, and no Frappe import: the unit tier tests it without a
bench, and the numbers it prints are measured over loopback HTTP as a browser would see them.
"""

import contextlib
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

PAGE = "page"
METHOD = "method"


@dataclass(frozen=True)
class Call:
	"""One request: a page (GET path with a query string) or a whitelisted method (GET /api/method)."""

	label: str
	kind: str
	path: str
	params: tuple = ()  # ((name, value), ...)

	@property
	def url_path(self) -> str:
		return self.path if self.kind == PAGE else f"/api/method/{self.path}"


@dataclass
class Stats:
	label: str
	count: int = 0
	errors: int = 0
	p50: float = 0.0
	p95: float = 0.0
	p99: float = 0.0
	mean: float = 0.0
	seconds: float = 0.0
	throughput: float = 0.0  # successful requests a second
	statuses: dict = field(default_factory=dict)
	latencies: list = field(default_factory=list, repr=False)

	def as_dict(self) -> dict:
		return {
			"label": self.label,
			"count": self.count,
			"errors": self.errors,
			"p50_ms": round(self.p50, 1),
			"p95_ms": round(self.p95, 1),
			"p99_ms": round(self.p99, 1),
			"mean_ms": round(self.mean, 1),
			"seconds": round(self.seconds, 1),
			"throughput": round(self.throughput, 2),
			"statuses": {str(k): v for k, v in self.statuses.items()},
		}


def percentile(values: list[float], q: float) -> float:
	"""Nearest-rank percentile (``q`` in 0..1) of ``values``; 0.0 for no values."""
	if not values:
		return 0.0
	ordered = sorted(values)
	rank = max(1, math.ceil(q * len(ordered)))
	return ordered[min(rank, len(ordered)) - 1]


def summarize(label: str, latencies_ms: list[float], statuses: dict, seconds: float) -> Stats:
	"""Statistics of the successful requests; every other answer counts as an error."""
	ok = sum(n for status, n in statuses.items() if status == 200)
	errors = sum(n for status, n in statuses.items() if status != 200)
	return Stats(
		label=label,
		count=ok,
		errors=errors,
		p50=percentile(latencies_ms, 0.50),
		p95=percentile(latencies_ms, 0.95),
		p99=percentile(latencies_ms, 0.99),
		mean=sum(latencies_ms) / len(latencies_ms) if latencies_ms else 0.0,
		seconds=seconds,
		throughput=ok / seconds if seconds > 0 else 0.0,
		statuses=dict(statuses),
		latencies=list(latencies_ms),
	)


def combine(label: str, parts: list[Stats]) -> Stats:
	"""One set of statistics over several phases of the same call."""
	statuses: dict = {}
	for part in parts:
		for status, n in part.statuses.items():
			statuses[status] = statuses.get(status, 0) + n
	return summarize(
		label, [ms for part in parts for ms in part.latencies], statuses, sum(p.seconds for p in parts)
	)


def spread(total: int, parts: int, skew: float = 0.0) -> list[int]:
	"""``total`` split over ``parts``: evenly, or Zipf-like (part i gets a share of 1/(i+1)**skew),
	the largest first; the shares add up to ``total`` exactly."""
	if parts <= 0:
		return []
	weights = [1 / (i + 1) ** skew for i in range(parts)]
	scale = total / sum(weights)
	counts = [int(w * scale) for w in weights]
	for i in range(total - sum(counts)):
		counts[i % parts] += 1
	return counts


def ratio(value: float, baseline: float) -> float | None:
	return value / baseline if baseline else None


# -- the served site -------------------------------------------------------------------------------


def free_port() -> int:
	with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


class Server:
	"""The site served the way production serves it: gunicorn workers from the bench's env running
	``frappe.app:application`` (preloaded), started in the bench's ``sites`` directory.

	Frappe picks the site from the Host header, so the requests name it."""

	def __init__(
		self, sites_path: str, site: str, workers: int = 2, threads: int = 4, port: int | None = None
	):
		self.sites_path = sites_path
		self.site = site
		self.workers = workers
		self.threads = threads
		self.port = port or free_port()
		self.base_url = f"http://127.0.0.1:{self.port}"
		self.process: subprocess.Popen | None = None
		self.log = tempfile.NamedTemporaryFile(prefix="prm-benchmark-gunicorn-", suffix=".log", delete=False)

	def command(self) -> list[str]:
		# as bench's supervisor configuration runs it, with threads as the issue measured
		return [
			sys.executable,
			"-m",
			"gunicorn",
			"-b",
			f"127.0.0.1:{self.port}",
			"-w",
			str(self.workers),
			"--threads",
			str(self.threads),
			"-t",
			"120",
			"--graceful-timeout",
			"30",
			"frappe.app:application",
			"--preload",
		]

	def start(self, timeout: float = 120) -> "Server":
		# the environment of this process: the bench's env, and PYTHONPATH if a checkout is on it
		self.process = subprocess.Popen(
			self.command(),
			cwd=self.sites_path,
			stdout=self.log,
			stderr=subprocess.STDOUT,
			start_new_session=True,
		)
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			if self.process.poll() is not None:
				raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
			with contextlib.suppress(requests.RequestException):
				answer = requests.get(
					f"{self.base_url}/api/method/ping", headers={"Host": self.site}, timeout=5
				)
				if answer.status_code == 200:
					return self
			time.sleep(0.3)
		self.stop()
		raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

	def stop(self):
		if self.process and self.process.poll() is None:
			with contextlib.suppress(ProcessLookupError):
				os.killpg(self.process.pid, signal.SIGTERM)
			try:
				self.process.wait(timeout=40)
			except subprocess.TimeoutExpired:
				with contextlib.suppress(ProcessLookupError):
					os.killpg(self.process.pid, signal.SIGKILL)
				self.process.wait(timeout=10)
		self.process = None

	def log_tail(self, lines: int = 40) -> str:
		self.log.flush()
		text = Path(self.log.name).read_text(errors="replace")
		return "\n".join(text.splitlines()[-lines:])

	def __enter__(self):
		return self.start()

	def __exit__(self, *exc):
		self.stop()
		with contextlib.suppress(OSError):
			os.unlink(self.log.name)


# -- sessions --------------------------------------------------------------------------------------


class Session:
	"""A browser-like session signed in with Frappe's own login (``/api/method/login``)."""

	def __init__(self, base_url: str, site: str, user: str):
		self.base_url = base_url
		self.user = user
		self.http = requests.Session()
		self.http.headers["Host"] = site

	def login(self, password: str):
		answer = self.http.post(
			f"{self.base_url}/api/method/login", data={"usr": self.user, "pwd": password}, timeout=60
		)
		if answer.status_code != 200:
			raise RuntimeError(f"{self.user} could not sign in: {answer.status_code} {answer.text[:300]}")
		return self

	def fetch(self, call: Call) -> tuple[int, float]:
		"""(HTTP status, milliseconds) of one request, redirects not followed."""
		headers = {"Accept": "application/json"} if call.kind == METHOD else {}
		started = time.perf_counter()
		try:
			answer = self.http.get(
				self.base_url + call.url_path,
				params=list(call.params),
				headers=headers,
				allow_redirects=False,
				timeout=120,
			)
			answer.content  # the whole body, as a browser waits for it
			status = answer.status_code
		except requests.RequestException:
			status = 0
		return status, (time.perf_counter() - started) * 1000


# -- measuring ---------------------------------------------------------------------------------------


def single_session(session: Session, calls: list[Call], rounds: int, warmup: int = 2) -> dict[str, Stats]:
	"""Latency of each call for one session, the calls interleaved round by round so that a slower
	moment of the machine touches every call alike."""
	for _round in range(warmup):
		for call in calls:
			session.fetch(call)
	latencies = {call.label: [] for call in calls}
	statuses = {call.label: {} for call in calls}
	spent = {call.label: 0.0 for call in calls}
	for _round in range(rounds):
		for call in calls:
			status, ms = session.fetch(call)
			statuses[call.label][status] = statuses[call.label].get(status, 0) + 1
			spent[call.label] += ms / 1000
			if status == 200:
				latencies[call.label].append(ms)
	return {
		call.label: summarize(call.label, latencies[call.label], statuses[call.label], spent[call.label])
		for call in calls
	}


def concurrent(sessions: list[Session], calls: list[Call], seconds: float, warmup: float = 2.0) -> Stats:
	"""Every session requests its own ``calls[i]`` (one call, per session's own records) as fast as it
	is answered: requests started in the ``seconds`` after ``warmup`` are measured (and each session's
	first one after ``warmup`` in any case), and throughput is those requests over the time from the
	start until the last of them was answered."""
	assert len(sessions) == len(calls)
	lock = threading.Lock()
	latencies: list[float] = []
	statuses: dict[int, int] = {}
	finished: list[float] = []
	start = time.monotonic() + warmup
	stop = start + seconds
	barrier = threading.Barrier(len(sessions))

	def run(session: Session, call: Call):
		barrier.wait()
		mine, codes, last = [], {}, start
		while True:
			began = time.monotonic()
			if began >= stop and codes:  # each session is measured at least once, however slow
				break
			status, ms = session.fetch(call)
			if began >= start:
				codes[status] = codes.get(status, 0) + 1
				last = max(last, time.monotonic())
				if status == 200:
					mine.append(ms)
		with lock:
			latencies.extend(mine)
			finished.append(last)
			for status, n in codes.items():
				statuses[status] = statuses.get(status, 0) + n

	threads = [
		threading.Thread(target=run, args=pair, daemon=True) for pair in zip(sessions, calls, strict=True)
	]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()
	elapsed = max([seconds, *(t - start for t in finished)])
	return summarize(calls[0].label, latencies, statuses, elapsed)


# -- printing ----------------------------------------------------------------------------------------


def fmt_ratio(value: float | None) -> str:
	return f"{value:.2f}x" if value is not None else "-"


def verdict(value: float | None, limit: float, higher_is_better: bool = False) -> str:
	if value is None:
		return ""
	good = value >= limit if higher_is_better else value <= limit
	return "ok" if good else "MISSED"


def latency_table(rows: list[tuple[Stats, float | None, str]], title: str) -> str:
	"""rows: (stats, ratio to its baseline, target text)."""
	width = max([len(s.label) for s, _r, _t in rows] + [24])
	lines = [
		title,
		f"{'':{width}}  {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'n':>5} {'err':>4}  {'ratio':>7}  target",
	]
	for stats, value, target in rows:
		lines.append(
			f"{stats.label:{width}}  {stats.p50:8.1f} {stats.p95:8.1f} {stats.p99:8.1f} {stats.count:5d} "
			f"{stats.errors:4d}  {fmt_ratio(value):>7}  {target}"
		)
	return "\n".join(lines)


def throughput_table(rows: list[tuple[Stats, float | None, str]], title: str) -> str:
	width = max([len(s.label) for s, _r, _t in rows] + [24])
	lines = [
		title,
		f"{'':{width}}  {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'n':>6} {'err':>4}  {'ratio':>7}  target",
	]
	for stats, value, target in rows:
		lines.append(
			f"{stats.label:{width}}  {stats.throughput:7.2f} {stats.p50:8.1f} {stats.p95:8.1f} {stats.p99:8.1f} "
			f"{stats.count:6d} {stats.errors:4d}  {fmt_ratio(value):>7}  {target}"
		)
	return "\n".join(lines)
