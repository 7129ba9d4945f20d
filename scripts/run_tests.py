#!/usr/bin/env python3
"""The project's one test command.

    python3 scripts/run_tests.py                 # unit tier; integration tier skipped
    PRM_BENCH=/path/to/frappe-bench PRM_SITE=test.site python3 scripts/run_tests.py

Unit tier: pytest over ``tests/`` in a virtualenv of its own (``.venv-unit``), made on first use.
Integration tier: when PRM_BENCH names a Frappe 15 + ERPNext 15 bench, this checkout is linked
into it as ``apps/prm_app``, installed on PRM_SITE if needed, migrated, and
``run-tests --app prm_app`` runs there. The services the bench needs (MariaDB, Redis) are
started when they do not answer. The closing lines say which tiers ran and which were skipped.

Only the standard library is used here, so this runs on a fresh machine.
"""

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP = "prm_app"


def say(msg: str) -> None:
	print(f"[run_tests] {msg}", flush=True)


def run(cmd, quiet: bool = False, **kw) -> int:
	"""Run a command; with ``quiet``, its output is shown only when it fails (migrate's progress bars)."""
	say("$ " + " ".join(str(c) for c in cmd))
	if not quiet:
		return subprocess.call([str(c) for c in cmd], **kw)
	done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
	if done.returncode != 0:
		print(done.stdout[-20000:], done.stderr[-20000:], sep="\n")
	return done.returncode


def junit_counts(path: Path) -> tuple[int, int, int]:
	"""(passed, failed, skipped) from a JUnit XML report; failures and errors both count as failed."""
	if not path.exists():
		return (0, 0, 0)
	root = ET.parse(path).getroot()
	suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
	tests = failed = skipped = 0
	for suite in suites:
		tests += int(suite.get("tests", 0))
		failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
		skipped += int(suite.get("skipped", 0))
	return (tests - failed - skipped, failed, skipped)


# -- unit tier ---------------------------------------------------------------------------------


def unit_venv() -> Path:
	venv = Path(os.environ.get("PRM_UNIT_VENV", REPO / ".venv-unit"))
	python = venv / "bin" / "python"
	if not python.exists():
		if run([sys.executable, "-m", "venv", venv]) != 0:
			raise SystemExit("could not create the unit-tier virtualenv")
	stamp = venv / ".prm_app-installed"
	digest = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()
	if not stamp.exists() or stamp.read_text() != digest:
		rc = run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", f"{REPO}[test]"])
		if rc != 0:
			raise SystemExit("could not install the unit-tier dependencies")
		stamp.write_text(digest)
	return python


def unit_tier(report: Path) -> tuple[int, tuple[int, int, int]]:
	python = unit_venv()
	rc = run(
		[python, "-m", "pytest", REPO / "tests", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"],
		cwd=REPO,
	)
	return rc, junit_counts(report)


# -- integration tier --------------------------------------------------------------------------


def answers(host: str, port: int) -> bool:
	try:
		with socket.create_connection((host, port), timeout=1):
			return True
	except OSError:
		return False


def wait_for(host: str, port: int, seconds: int = 60) -> bool:
	deadline = time.time() + seconds
	while time.time() < deadline:
		if answers(host, port):
			return True
		time.sleep(1)
	return False


def start_services(bench: Path, site: str) -> None:
	"""Start MariaDB and the bench's Redis servers when they do not answer."""
	common = json.loads((bench / "sites" / "common_site_config.json").read_text())
	site_config = json.loads((bench / "sites" / site / "site_config.json").read_text())
	db_host = site_config.get("db_host") or common.get("db_host") or "127.0.0.1"
	db_port = int(site_config.get("db_port") or common.get("db_port") or 3306)
	if db_host in ("127.0.0.1", "localhost") and not answers("127.0.0.1", db_port):
		say("MariaDB does not answer; starting it")
		if shutil.which("service"):
			run(["service", "mariadb", "start"], stdout=subprocess.DEVNULL)
		if not answers("127.0.0.1", db_port) and shutil.which("mysqld_safe"):
			subprocess.Popen(["mysqld_safe"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
		if not wait_for("127.0.0.1", db_port):
			raise SystemExit("MariaDB could not be started")
	for key in ("redis_cache", "redis_queue", "redis_socketio"):
		url = common.get(key)
		if not url:
			continue
		port = int(url.rsplit(":", 1)[-1].split("/")[0])
		if answers("127.0.0.1", port):
			continue
		say(f"{key} (port {port}) does not answer; starting redis-server")
		run(["redis-server", "--port", port, "--daemonize", "yes", "--save", "", "--appendonly", "no"])
		if not wait_for("127.0.0.1", port, 20):
			raise SystemExit(f"redis on port {port} could not be started")


def link_app(bench: Path) -> None:
	"""Make the bench's apps/prm_app this checkout, importable from the bench's env."""
	target = bench / "apps" / APP
	if target.is_symlink() or not target.exists():
		if not target.exists() or target.resolve() != REPO:
			if target.is_symlink():
				target.unlink()
			target.symlink_to(REPO, target_is_directory=True)
			say(f"linked {target} -> {REPO}")
	elif target.resolve() != REPO:
		raise SystemExit(f"{target} is a directory of its own, not this checkout; move it away first")
	apps_txt = bench / "sites" / "apps.txt"
	apps = apps_txt.read_text().split()
	if APP not in apps:
		apps_txt.write_text("\n".join([*apps, APP]) + "\n")
	python = bench / "env" / "bin" / "python"
	probe = f"import {APP}, os; print(os.path.realpath({APP}.__file__))"
	found = subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd=bench / "sites")
	if found.returncode != 0 or not found.stdout.strip().startswith(str(bench / "apps")):
		if not found.stdout.strip().startswith(str(REPO)):
			if run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", target]) != 0:
				raise SystemExit("could not install prm_app into the bench's env")


def frappe_cmd(bench: Path, site: str, *args) -> list:
	return [
		bench / "env" / "bin" / "python",
		"-m",
		"frappe.utils.bench_helper",
		"frappe",
		"--site",
		site,
		*args,
	]


def integration_tier(bench: Path, site: str, report_dir: Path) -> tuple[int, tuple[int, int, int]]:
	sites = bench / "sites"
	if not (bench / "env" / "bin" / "python").exists() or not (sites / site / "site_config.json").exists():
		raise SystemExit(f"PRM_BENCH={bench} PRM_SITE={site}: no bench env or no such site")
	start_services(bench, site)
	link_app(bench)
	installed = subprocess.run(
		[str(c) for c in frappe_cmd(bench, site, "list-apps", "--format", "json")],
		capture_output=True,
		text=True,
		cwd=sites,
	)
	if APP not in installed.stdout:
		if run(frappe_cmd(bench, site, "install-app", APP), quiet=True, cwd=sites) != 0:
			return 1, (0, 1, 0)
	if run(frappe_cmd(bench, site, "migrate"), quiet=True, cwd=sites) != 0:
		return 1, (0, 1, 0)
	report = report_dir / "integration.xml"
	args = ["run-tests", "--app", APP, "--junit-xml-output", report]
	if os.environ.get("PRM_TEST_MODULE"):
		args = ["run-tests", "--module", os.environ["PRM_TEST_MODULE"], "--junit-xml-output", report]
	rc = run(frappe_cmd(bench, site, *args), cwd=sites)
	return rc, junit_counts(report)


def main() -> int:
	report_dir = Path(tempfile.mkdtemp(prefix="prm-tests-"))
	results = {}

	say("unit tier: pytest over tests/")
	rc, counts = unit_tier(report_dir / "unit.xml")
	results["unit"] = ("ran", rc, counts)

	bench = os.environ.get("PRM_BENCH")
	if bench:
		site = os.environ.get("PRM_SITE") or "test_site"
		say(f"integration tier: run-tests --app {APP} on site {site} of bench {bench}")
		rc, counts = integration_tier(Path(bench).resolve(), site, report_dir)
		results["integration"] = ("ran", rc, counts)
	else:
		results["integration"] = ("skipped", 0, (0, 0, 0))

	print()
	say("summary")
	total = [0, 0, 0]
	failed_tier = False
	for tier, (state, rc, (passed, failed, skipped)) in results.items():
		if state == "skipped":
			print(f"  {tier} tier: SKIPPED - no bench given (set PRM_BENCH and PRM_SITE to run it)")
			continue
		ok = rc == 0 and failed == 0 and passed > 0
		failed_tier = failed_tier or not ok
		print(
			f"  {tier} tier: {'PASSED' if ok else 'FAILED'} ({passed} passed, {failed} failed, {skipped} skipped)"
		)
		for i, n in enumerate((passed, failed, skipped)):
			total[i] += n
	print(f"tests: {total[0]} passed, {total[1]} failed, {total[2]} skipped")
	return 1 if failed_tier else 0


if __name__ == "__main__":
	sys.exit(main())
