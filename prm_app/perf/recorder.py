"""Where a request's time goes: Frappe's own recorder (``frappe.recorder``) switched on for the
benchmark's profile pass, so each request served by the gunicorn workers reports its SQL queries
(count and time) and, optionally, a cProfile of the whole request.

The recorder is switched on for this site only, for the pass only; what it recorded is deleted
afterwards. Its figures include the recorder's own overhead (and cProfile's, when asked): they
say where the time goes, not how long a request takes (the timed passes do that).
"""

import frappe
from frappe import recorder


def start(profile: bool = False):
	recorder.delete()
	recorder.start(
		record_jobs=False,
		record_requests=True,
		record_sql=True,
		profile=profile,
		capture_stack=False,
		explain=False,
		request_filter="/",
	)


def stop():
	flag = recorder.RECORDER_INTERCEPT_FLAG
	client_cache = getattr(frappe, "client_cache", None)  # Frappe 16 reads the flag from it
	if client_cache is not None:
		client_cache.set_value(flag, False)
	else:
		frappe.cache.delete_value(flag)
	recorder.RecorderConfig.delete()


def requests() -> list[dict]:
	"""What was recorded, oldest first: path, query string, queries, SQL time, duration, profile."""
	hash_name = recorder.RECORDER_REQUEST_HASH
	found = list((frappe.cache.hgetall(hash_name) or {}).values())
	return sorted(found, key=lambda r: r.get("time"))


def clear():
	recorder.delete()


def query_summary(request: dict, top: int = 0) -> list[str]:
	"""The slowest queries of a recorded request, one line each."""
	calls = sorted(request.get("calls") or [], key=lambda c: -c.get("duration", 0))
	return [f"{c['duration']:8.2f} ms  {' '.join(str(c['query']).split())[:160]}" for c in calls[:top]]


def profile_lines(request: dict, top: int) -> list[str]:
	"""The first ``top`` functions of the request's cProfile, by cumulative time."""
	lines = (request.get("profile") or "").splitlines()
	start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), None)
	if start is None:
		return []
	return lines[start : start + 1 + top]
