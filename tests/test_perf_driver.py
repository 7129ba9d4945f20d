"""The load driver of ``prm-benchmark-portal`` without a bench: statistics, the spread of synthetic
records, and sessions driving a local HTTP server (standard library) for a bounded time."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st

requests = pytest.importorskip("requests")  # the benchmark's HTTP client (Frappe brings it)

from prm_app.perf import driver
from prm_app.perf.driver import METHOD, PAGE, Call, Session


def test_percentile_is_nearest_rank():
	values = [float(v) for v in range(1, 101)]  # 1..100
	assert driver.percentile(values, 0.50) == 50
	assert driver.percentile(values, 0.95) == 95
	assert driver.percentile(values, 0.99) == 99
	assert driver.percentile(values, 1.0) == 100
	assert driver.percentile([7.0], 0.99) == 7
	assert driver.percentile([], 0.5) == 0.0
	assert driver.percentile([3.0, 1.0, 2.0], 0.5) == 2  # unsorted input


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=200))
def test_percentiles_are_ordered_and_taken_from_the_values(values):
	p50, p95, p99 = (driver.percentile(values, q) for q in (0.5, 0.95, 0.99))
	assert p50 <= p95 <= p99 <= max(values)
	assert {p50, p95, p99} <= set(values)


def test_summarize_counts_only_200_as_served():
	stats = driver.summarize("x", [10.0, 20.0, 30.0], {200: 3, 500: 2, 0: 1}, seconds=2.0)
	assert stats.count == 3
	assert stats.errors == 3
	assert stats.throughput == 1.5
	assert stats.p50 == 20
	assert stats.mean == 20
	assert stats.as_dict()["statuses"] == {"200": 3, "500": 2, "0": 1}
	assert "latencies" not in stats.as_dict()


def test_combine_phases():
	a = driver.summarize("a", [1.0, 2.0], {200: 2}, 1.0)
	b = driver.summarize("a", [3.0, 4.0], {200: 2, 404: 1}, 3.0)
	both = driver.combine("all", [a, b])
	assert (both.count, both.errors, both.seconds, both.throughput) == (4, 1, 4.0, 1.0)
	assert both.p99 == 4


def test_ratio_and_verdict():
	assert driver.ratio(11, 10) == pytest.approx(1.1)
	assert driver.ratio(1, 0) is None
	assert driver.verdict(1.05, 1.10) == "ok"
	assert driver.verdict(1.2, 1.10) == "MISSED"
	assert driver.verdict(0.96, 0.95, higher_is_better=True) == "ok"
	assert driver.verdict(0.9, 0.95, higher_is_better=True) == "MISSED"
	assert driver.verdict(None, 1.1) == ""


@given(
	st.integers(min_value=0, max_value=100_000),
	st.integers(min_value=1, max_value=500),
	st.sampled_from([0.0, 0.5, 1.0, 1.5]),
)
def test_spread_adds_up_and_puts_the_largest_first(total, parts, skew):
	counts = driver.spread(total, parts, skew)
	assert len(counts) == parts
	assert sum(counts) == total
	assert min(counts) >= 0
	if skew == 0:
		assert max(counts) - min(counts) <= 1
	else:
		assert counts[0] == max(counts)


def test_spread_of_nothing():
	assert driver.spread(10, 0) == []


def test_calls_and_tables():
	page = Call("/partner/deals", PAGE, "/partner/deals", (("q", "acme"),))
	method = Call("get", METHOD, "prm_app.api.deals.get_registrations")
	assert page.url_path == "/partner/deals"
	assert method.url_path == "/api/method/prm_app.api.deals.get_registrations"
	stats = driver.summarize("/partner/deals", [5.0], {200: 1}, 1.0)
	table = driver.latency_table([(stats, 1.02, "<=1.10 ok")], "title")
	assert "title" in table and "/partner/deals" in table and "1.02x" in table and "ok" in table
	table = driver.throughput_table([(stats, None, "")], "t")
	assert "1.00" in table and "-" in table


def test_server_command_is_gunicorn_preloaded_with_workers_and_threads():
	server = driver.Server("/tmp", "site.localhost", workers=3, threads=5, port=8123)
	command = server.command()
	assert command[1:3] == ["-m", "gunicorn"]
	assert "frappe.app:application" in command and "--preload" in command
	assert command[command.index("-w") + 1] == "3"
	assert command[command.index("--threads") + 1] == "5"
	assert command[command.index("-b") + 1] == "127.0.0.1:8123"


class FakeSite(BaseHTTPRequestHandler):
	"""Answers like a tiny Frappe: a login that sets a cookie, pages that need it, one failing path."""

	def log_message(self, *args):
		pass

	def reply(self, status, body=b"ok", headers=()):
		self.send_response(status)
		for name, value in headers:
			self.send_header(name, value)
		self.send_header("Content-Length", str(len(body)))
		self.end_headers()
		self.wfile.write(body)

	def do_POST(self):
		length = int(self.headers.get("Content-Length") or 0)
		body = self.rfile.read(length).decode()
		if self.path == "/api/method/login" and "pwd=secret" in body and self.headers["Host"] == "site.test":
			self.reply(200, b'{"message": "Logged In"}', [("Set-Cookie", "sid=abc; Path=/")])
		else:
			self.reply(401, b"no")

	def do_GET(self):
		if "sid=abc" not in (self.headers.get("Cookie") or ""):
			self.reply(403, b"forbidden")
		elif self.path.startswith("/broken"):
			self.reply(500, b"broken")
		elif self.path.startswith("/slow"):
			time.sleep(0.4)
			self.reply(200, b"slow")
		else:
			time.sleep(0.002)
			self.reply(200, b"<html>page</html>")


@pytest.fixture
def site():
	server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSite)
	thread = threading.Thread(target=server.serve_forever, daemon=True)
	thread.start()
	yield f"http://127.0.0.1:{server.server_port}"
	server.shutdown()
	server.server_close()


def test_sessions_sign_in_and_are_refused_otherwise(site):
	assert Session(site, "site.test", "pat@example.com").login("secret")
	with pytest.raises(RuntimeError, match="could not sign in"):
		Session(site, "site.test", "pat@example.com").login("wrong")
	anonymous = Session(site, "site.test", "nobody")
	assert anonymous.fetch(Call("/partner", PAGE, "/partner"))[0] == 403


def test_single_session_pass_interleaves_and_counts_errors(site):
	session = Session(site, "site.test", "pat@example.com").login("secret")
	calls = [Call("ok", PAGE, "/partner"), Call("broken", PAGE, "/broken"), Call("method", METHOD, "x.y")]
	stats = driver.single_session(session, calls, rounds=5, warmup=1)
	assert stats["ok"].count == 5 and stats["ok"].errors == 0 and stats["ok"].p50 > 0
	assert stats["broken"].count == 0 and stats["broken"].errors == 5
	assert stats["method"].count == 5


def test_concurrent_pass_is_bounded_in_time_and_counts_every_session(site):
	sessions = [Session(site, "site.test", f"u{i}@example.com").login("secret") for i in range(4)]
	calls = [Call("ok", PAGE, "/partner", (("page", str(i)),)) for i in range(4)]
	started = time.monotonic()
	stats = driver.concurrent(sessions, calls, seconds=0.6, warmup=0.2)
	elapsed = time.monotonic() - started
	assert 0.8 <= elapsed < 5
	assert stats.count > 4 and stats.errors == 0
	assert 0.6 <= stats.seconds < elapsed
	assert stats.throughput == pytest.approx(stats.count / stats.seconds)
	broken = driver.concurrent(sessions[:2], [Call("b", PAGE, "/broken")] * 2, seconds=0.3, warmup=0)
	assert broken.count == 0 and broken.errors > 0 and broken.throughput == 0


def test_a_page_slower_than_the_phase_is_still_measured(site):
	"""Requests started in the phase count, answered after its end or not: a slow page under load
	never shows as zero requests a second."""
	sessions = [Session(site, "site.test", f"s{i}@example.com").login("secret") for i in range(2)]
	stats = driver.concurrent(sessions, [Call("slow", PAGE, "/slow")] * 2, seconds=0.1, warmup=0)
	assert stats.count == 2 and stats.errors == 0
	assert stats.seconds >= 0.35
	assert stats.p50 >= 400
