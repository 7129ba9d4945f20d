"""The test command's own paths (scripts/run_tests.py), against fake benches.

Each test runs the command as CI does, in a subprocess, with HOME, PATH and the unit tier's
virtualenv replaced by fakes: a bench is a temporary folder whose ``env/bin/python`` is a script
playing Frappe's commands (``fake.json`` says how each behaves, ``calls.log`` records the calls),
``service`` and ``redis-server`` are scripts that fail, and "MariaDB" and "Redis" are a listening
socket. No Frappe, MariaDB or Redis is needed.
"""

import importlib.util
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "run_tests.py"

FAKE_FRAPPE = r'''#!{python}
"""A bench's env/bin/python, playing the Frappe commands the test command runs."""
import json, os, shutil, sys
from pathlib import Path

BENCH = Path(__file__).parent.parent.parent
FAKE = json.loads((BENCH / "fake.json").read_text())
args = sys.argv[1:]


def log(step):
	with open(BENCH / "calls.log", "a") as f:
		f.write(json.dumps({{"step": step, "args": args, "ci": os.environ.get("CI")}}) + "\n")


def behave(step, default_out=""):
	log(step)
	spec = FAKE.get(step, {{}})
	out = spec.get("out", default_out)
	if out:
		print(out, file=sys.stderr if step == "run-tests" else sys.stdout)
	if spec.get("rc"):
		sys.exit(spec["rc"])


def option(name):
	return args[args.index(name) + 1] if name in args else None


installed = BENCH / "env" / "installed_at"
if args[0] == "-c" and "prm-probe: import" in args[1]:
	log("probe-import")
	print(installed.read_text() if installed.exists() else "")
elif args[0] == "-c" and "prm-probe: db" in args[1]:
	behave("probe-db")
elif args[:2] == ["-m", "pip"]:
	behave("pip")
	installed.write_text(os.path.realpath(args[-1]) + "/prm_app/__init__.py")
elif args[:2] == ["-m", "frappe.utils.bench_helper"]:
	rest, site = args[3:], None
	if rest[0] == "--site":
		site, rest = rest[1], rest[2:]
	command = rest[0]
	sites = Path.cwd()
	if command == "new-site":
		site = rest[1]
		(sites / site).mkdir()
		(sites / site / "site_config.json").write_text(json.dumps({{"db_name": "_fake"}}))
		source = option("--source-sql")
		if source and not Path(source).exists():
			print("no such file", source)
			sys.exit(1)
		behave("new-site-template" if "--install-app" in rest else "new-site")
	elif command == "drop-site":
		behave("drop-site")
		shutil.move(str(sites / rest[1]), option("--archived-sites-path"))
	elif command == "backup":
		behave("backup")
		Path(option("--backup-path-db")).write_bytes(b"fake dump")
	elif command == "set-config":
		behave("set-config")
		config = sites / site / "site_config.json"
		config.write_text(json.dumps({{**json.loads(config.read_text()), rest[1]: 1}}))
	elif command == "list-apps":
		behave("list-apps", json.dumps({{site: FAKE.get("apps", ["frappe", "erpnext"])}}, indent=1))
	elif command == "run-tests":
		behave("run-tests", "Ran 3 tests in 0.5s\n\nOK")
	else:
		behave(command)
else:
	print("fake python: unexpected arguments", args)
	sys.exit(99)
'''

FAKE_UNIT_PYTHON = r'''#!{python}
"""The unit tier's virtualenv python: pip does nothing, pytest writes the report FAKE_UNIT asks for."""
import os, sys

args = sys.argv[1:]
if args[:2] == ["-m", "pytest"]:
	report = next(a for a in args if a.startswith("--junitxml=")).split("=", 1)[1]
	kind = os.environ.get("FAKE_UNIT", "ok")
	if kind == "ok":
		open(report, "w").write('<testsuites><testsuite tests="5" failures="0" errors="0" skipped="1"/></testsuites>')
	elif kind == "fail":
		open(report, "w").write('<testsuites><testsuite tests="5" failures="1" errors="0" skipped="0"/></testsuites>')
		sys.exit(1)
	elif kind == "empty":
		open(report, "w").close()
		sys.exit(4)
	else:
		sys.exit(2)
'''

FAILING_TOOL = """#!/bin/sh
echo "$0 $*" >> "{log}"
exit 1
"""


def load_runner():
	spec = importlib.util.spec_from_file_location("run_tests", SCRIPT)
	module = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(module)
	return module


def executable(path: Path, text: str) -> Path:
	path.parent.mkdir(parents=True, exist_ok=True)
	path.write_text(text)
	path.chmod(0o755)
	return path


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


class FakeBench:
	def __init__(self, path: Path, port: int, frappe="15.74.1", erpnext="15.70.2"):
		self.path = path
		executable(path / "env" / "bin" / "python", FAKE_FRAPPE.format(python=sys.executable))
		for app, version in (("frappe", frappe), ("erpnext", erpnext)):
			init = path / "apps" / app / app / "__init__.py"
			init.parent.mkdir(parents=True)
			init.write_text(f'__version__ = "{version}"\n')
		(path / "sites").mkdir()
		(path / "sites" / "apps.txt").write_text("frappe\nerpnext\n")
		self.config = {
			"db_host": "127.0.0.1",
			"db_port": port,
			"redis_cache": f"redis://127.0.0.1:{port}",
			"redis_queue": f"redis://127.0.0.1:{port}",
			"root_password": "root",
		}
		self.write_config()
		self.fake({})

	def write_config(self):
		(self.path / "sites" / "common_site_config.json").write_text(json.dumps(self.config))

	def fake(self, behaviour: dict):
		(self.path / "fake.json").write_text(json.dumps(behaviour))

	def calls(self, step=None) -> list[dict]:
		log = self.path / "calls.log"
		calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
		return [c for c in calls if step is None or c["step"] == step]

	def sites(self) -> list[str]:
		return sorted(p.name for p in (self.path / "sites").iterdir() if p.is_dir() and p.name != ".prm_app")

	def templates(self) -> list[str]:
		folder = self.path / "sites" / ".prm_app"
		return sorted(p.name for p in folder.iterdir()) if folder.exists() else []

	def make_site(self, name: str, **config):
		(self.path / "sites" / name).mkdir()
		(self.path / "sites" / name / "site_config.json").write_text(
			json.dumps({"db_name": "_own", **config})
		)


@pytest.fixture
def service_port():
	"""A port that answers, standing in for MariaDB and Redis."""
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		s.listen(100)
		yield s.getsockname()[1]


@pytest.fixture
def machine(tmp_path, service_port):
	home = tmp_path / "home"
	home.mkdir()
	tools = tmp_path / "bin"
	tools_log = tmp_path / "tools.log"
	for tool in ("service", "redis-server"):
		executable(tools / tool, FAILING_TOOL.format(log=tools_log))
	venv = tmp_path / "unit-venv"
	executable(venv / "bin" / "python", FAKE_UNIT_PYTHON.format(python=sys.executable))

	class Machine:
		port = service_port

		def bench(self, name="frappe-bench", **versions) -> FakeBench:
			return FakeBench(home / name, service_port, **versions)

		def tools_called(self) -> str:
			return tools_log.read_text() if tools_log.exists() else ""

		def run(self, **env) -> subprocess.CompletedProcess:
			environ = {"HOME": str(home), "PATH": str(tools), "PRM_UNIT_VENV": str(venv), **env}
			done = subprocess.run(
				[sys.executable, str(SCRIPT)],
				env=environ,
				capture_output=True,
				text=True,
				timeout=120,
				stdin=subprocess.DEVNULL,
			)
			done.lines = done.stdout.strip().splitlines()
			return done

	return Machine()


def assert_clean_failure(done, *words):
	"""A failure: non-zero status, no traceback, and a closing line that says what failed."""
	assert done.returncode != 0, done.stdout
	assert 'run_tests.py", line' not in done.stdout + done.stderr, "a traceback of the command itself"
	assert "Traceback" not in done.stderr, done.stderr
	assert done.lines[-1].startswith("FAILED: "), done.stdout
	for word in words:
		assert word in done.lines[-1], done.lines[-1]


# -- no bench / bad configuration --------------------------------------------------------------


def test_without_a_bench_the_unit_tier_runs_and_the_integration_tier_is_skipped(machine):
	done = machine.run()
	assert done.returncode == 0, done.stdout
	assert "  unit tier: PASSED (4 passed, 0 failed, 1 skipped)" in done.lines
	assert any(
		line.startswith("  integration tier: SKIPPED - no bench found (set PRM_BENCH") for line in done.lines
	)
	assert done.lines[-1] == "tests: 4 passed, 0 failed, 1 skipped"


def test_prm_bench_that_is_not_a_bench_fails_at_once(machine, tmp_path):
	done = machine.run(PRM_BENCH=str(tmp_path / "nowhere"))
	assert_clean_failure(done, "PRM_BENCH=", "is not a bench")
	assert done.returncode == 2
	assert "unit tier" not in done.stdout


@pytest.mark.parametrize(
	"value, words",
	[
		("frappe.tests.test_api", "is not a module of prm_app"),
		("prm_app.tests.test_no_such_module", "no module prm_app.tests.test_no_such_module"),
	],
)
def test_a_bad_prm_test_module_fails_at_once(machine, value, words):
	done = machine.run(PRM_TEST_MODULE=value)
	assert_clean_failure(done, "PRM_TEST_MODULE", words)


@pytest.mark.parametrize(
	"kind, words",
	[("empty", "is empty or not XML"), ("none", "wrote no JUnit report")],
)
def test_a_missing_or_empty_unit_report_is_a_clear_failure(machine, kind, words):
	done = machine.run(FAKE_UNIT=kind)
	assert_clean_failure(done, "unit tier", words)


def test_failing_unit_tests_fail_the_command(machine):
	done = machine.run(FAKE_UNIT="fail")
	assert "  unit tier: FAILED (4 passed, 1 failed, 0 skipped)" in done.lines
	assert_clean_failure(done, "unit tier", "1 test(s) failed")


# -- a fresh site per run ----------------------------------------------------------------------


def test_fresh_site_run_makes_the_template_once_and_drops_every_site(machine):
	bench = machine.bench()
	done = machine.run()
	assert done.returncode == 0, done.stdout + done.stderr
	assert (
		"  integration tier, Frappe 15.74.1 / ERPNext 15.70.2 (~/frappe-bench): PASSED (3 passed, 0 failed, 0 skipped)"
		in done.lines
	)
	assert done.lines[-1] == "tests: 7 passed, 0 failed, 1 skipped"

	assert (bench.path / "apps" / "prm_app").resolve() == ROOT
	assert "prm_app" in (bench.path / "sites" / "apps.txt").read_text().split()
	assert len(bench.calls("pip")) == 1
	assert bench.templates() == ["erpnext-template-15.74.1-15.70.2.sql.gz"]
	assert bench.sites() == [], "the template site and the test site are dropped"
	assert not (bench.path / "archived").exists(), "drop-site archives into a temporary folder"

	steps = [c["step"] for c in bench.calls() if c["step"] not in ("probe-import", "probe-db")]
	assert steps == [
		"pip",
		"new-site-template",
		"backup",
		"drop-site",
		"new-site",
		"set-config",
		"install-app",
		"migrate",
		"run-tests",
		"drop-site",
	]
	(template_site,) = [c["args"][4] for c in bench.calls("new-site-template")]
	assert template_site.startswith("prm-template-")
	(new_site,) = bench.calls("new-site")
	site = new_site["args"][4]
	assert site.startswith("prm-test-") and site.endswith(".localhost")
	assert new_site["args"][new_site["args"].index("--db-root-password") + 1] == "root"
	assert new_site["args"][new_site["args"].index("--source-sql") + 1].endswith(
		"sites/.prm_app/erpnext-template-15.74.1-15.70.2.sql.gz"
	)
	(run_tests,) = bench.calls("run-tests")
	assert run_tests["ci"] == "1", "without CI, Frappe 15's run-tests exits 0 on failures"
	assert run_tests["args"][3:] == ["--site", site, "run-tests", "--app", "prm_app"]
	assert "--junit-xml-output" not in run_tests["args"]
	assert "--db-root-password *** --admin-password ***" in done.stdout, "passwords are not shown"

	again = machine.run()
	assert again.returncode == 0, again.stdout
	assert len(bench.calls("new-site-template")) == 1, "the template is made once"
	assert len(bench.calls("pip")) == 1, "prm_app stays installed while pyproject.toml is unchanged"
	assert bench.sites() == []


def test_both_benches_run_and_a_red_one_fails_the_command(machine):
	machine.bench()
	bench16 = machine.bench("frappe-bench-16", frappe="16.10.7", erpnext="16.7.3")
	# Frappe 16 prints one unittest summary per test category.
	bench16.fake(
		{
			"run-tests": {
				"out": "Running 2 unit tests for prm_app\n..\nRan 2 tests in 0.1s\n\nOK\n"
				"Running 4 integration tests for prm_app\nRan 4 tests in 1.0s\n\n"
				"FAILED (failures=1, errors=1, skipped=1)",
				"rc": 1,
			}
		}
	)
	done = machine.run()
	assert (
		"  integration tier, Frappe 15.74.1 / ERPNext 15.70.2 (~/frappe-bench): PASSED (3 passed, 0 failed, 0 skipped)"
		in done.lines
	)
	assert (
		"  integration tier, Frappe 16.10.7 / ERPNext 16.7.3 (~/frappe-bench-16): FAILED (3 passed, 2 failed, 1 skipped)"
		in done.lines
	)
	assert "tests: 10 passed, 2 failed, 2 skipped" in done.lines
	assert_clean_failure(done, "Frappe 16.10.7", "2 test(s) failed")
	assert bench16.sites() == []


def test_explicit_bench_variables_replace_the_conventional_places(machine, tmp_path):
	machine.bench()
	other = FakeBench(tmp_path / "elsewhere", machine.port, frappe="16.10.7", erpnext="16.7.3")
	done = machine.run(PRM_BENCH_16=str(other.path))
	assert done.returncode == 0, done.stdout
	assert [line for line in done.lines if line.startswith("  integration tier")] == [
		f"  integration tier, Frappe 16.10.7 / ERPNext 16.7.3 ({other.path}): PASSED (3 passed, 0 failed, 0 skipped)"
	]


def test_failures_count_even_when_run_tests_exits_zero(machine):
	bench = machine.bench()
	bench.fake({"run-tests": {"out": "Ran 3 tests in 0.5s\n\nFAILED (errors=1)"}})
	done = machine.run()
	assert "FAILED (2 passed, 1 failed, 0 skipped)" in done.stdout
	assert_clean_failure(done, "1 test(s) failed")


@pytest.mark.parametrize(
	"out, words",
	[
		(
			"Traceback (most recent call last):\nImportError: cannot import name 'x'",
			"printed no test summary",
		),
		("Ran 0 tests in 0.0s\n\nNO TESTS RAN", "no tests ran"),
	],
)
def test_a_run_without_tests_fails(machine, out, words):
	bench = machine.bench()
	bench.fake({"run-tests": {"out": out, "rc": 1}})
	done = machine.run()
	assert_clean_failure(done, "integration tier", words)
	assert bench.sites() == []


def test_module_list_runs_each_module(machine):
	bench = machine.bench()
	done = machine.run(PRM_TEST_MODULE="prm_app.tests.test_install, prm_app.tests.test_portal")
	assert done.returncode == 0, done.stdout
	modules = [c["args"][-1] for c in bench.calls("run-tests")]
	assert modules == ["prm_app.tests.test_install", "prm_app.tests.test_portal"]
	assert "PASSED (6 passed, 0 failed, 0 skipped)" in done.stdout


def test_keep_site_keeps_the_test_site(machine):
	bench = machine.bench()
	done = machine.run(PRM_KEEP_SITE="1")
	assert done.returncode == 0, done.stdout
	(site,) = bench.sites()
	assert site.startswith("prm-test-")
	assert json.loads((bench.path / "sites" / site / "site_config.json").read_text())["allow_tests"] == 1
	assert f"kept site {site}" in done.stdout
	assert len(bench.calls("drop-site")) == 1, "only the template site is dropped"


@pytest.mark.parametrize("step", ["new-site", "install-app", "migrate"])
def test_a_failing_site_step_fails_clearly_and_drops_the_site(machine, step):
	bench = machine.bench()
	bench.fake({step: {"out": f"{step} went wrong", "rc": 1}})
	done = machine.run()
	assert_clean_failure(done, step, "failed")
	assert f"{step} went wrong" in done.stdout
	assert bench.sites() == []
	assert bench.calls("run-tests") == []


def test_a_failing_drop_is_reported_and_the_folder_removed(machine):
	bench = machine.bench()
	bench.fake({"drop-site": {"rc": 1}})
	done = machine.run()
	assert_clean_failure(done, "drop-site", "_fake")
	assert bench.sites() == []


def test_a_failing_template_fails_clearly(machine):
	bench = machine.bench()
	bench.fake({"new-site-template": {"rc": 1}})
	done = machine.run()
	assert_clean_failure(done, "for the template", "failed")
	assert bench.templates() == []
	assert bench.sites() == []


# -- the bench's environment -------------------------------------------------------------------


def test_unknown_root_password(machine):
	bench = machine.bench()
	del bench.config["root_password"]
	bench.write_config()
	done = machine.run()
	assert_clean_failure(done, "root password is unknown", "PRM_DB_ROOT_PASSWORD")


def test_root_password_from_the_environment_wins(machine):
	bench = machine.bench()
	done = machine.run(PRM_DB_ROOT_PASSWORD="s3cret")
	assert done.returncode == 0, done.stdout
	(new_site,) = bench.calls("new-site")
	assert new_site["args"][new_site["args"].index("--db-root-password") + 1] == "s3cret"
	assert "s3cret" not in done.stdout


def test_refused_root_password(machine):
	bench = machine.bench()
	bench.fake({"probe-db": {"rc": 3}})
	done = machine.run()
	assert_clean_failure(done, "refused", "PRM_DB_ROOT_PASSWORD")
	assert bench.calls("new-site-template") == []


def test_mariadb_that_does_not_answer_and_cannot_be_started(machine):
	bench = machine.bench()
	bench.config["db_port"] = free_port()
	bench.write_config()
	done = machine.run()
	assert_clean_failure(done, "MariaDB does not answer", "could not be started")
	assert "service mariadb start" in machine.tools_called()


def test_redis_that_does_not_answer_and_cannot_be_started(machine):
	bench = machine.bench()
	port = free_port()
	bench.config["redis_queue"] = f"redis://127.0.0.1:{port}"
	bench.write_config()
	done = machine.run()
	assert_clean_failure(done, "Redis (redis_queue)", f"port {port}")
	assert f"--port {port}" in machine.tools_called()


def test_redis_server_not_installed(machine):
	bench = machine.bench()
	port = free_port()
	bench.config["redis_cache"] = f"redis://127.0.0.1:{port}"
	bench.write_config()
	done = machine.run(PATH="/nonexistent")
	assert_clean_failure(done, "redis-server is not on PATH", "install Redis")


def test_pip_failure_is_a_clear_line(machine):
	bench = machine.bench()
	bench.fake({"pip": {"rc": 1}})
	done = machine.run()
	assert_clean_failure(done, "could not install prm_app", "PyPI")


def test_an_app_folder_of_its_own_is_left_alone(machine):
	bench = machine.bench()
	(bench.path / "apps" / "prm_app").mkdir()
	done = machine.run()
	assert_clean_failure(done, "apps/prm_app is a directory of its own", "move it away")
	assert (bench.path / "apps" / "prm_app").is_dir() and not (bench.path / "apps" / "prm_app").is_symlink()


def test_a_bench_without_erpnext(machine):
	bench = machine.bench()
	(bench.path / "apps" / "erpnext" / "erpnext" / "__init__.py").unlink()
	done = machine.run()
	assert (
		"  integration tier, Frappe 15.74.1 / ERPNext (none) (~/frappe-bench): FAILED (no tests ran)"
		in done.lines
	)
	assert_clean_failure(done, "has no apps/erpnext")


def test_a_bench_without_common_site_config(machine):
	bench = machine.bench()
	(bench.path / "sites" / "common_site_config.json").unlink()
	done = machine.run()
	assert_clean_failure(done, "common_site_config.json is missing")


# -- PRM_SITE: a developer's own site ----------------------------------------------------------


def test_prm_site_that_does_not_exist(machine):
	machine.bench()
	done = machine.run(PRM_SITE="nosuch.localhost")
	assert_clean_failure(done, "PRM_SITE=nosuch.localhost", "no such site")


def test_prm_site_without_allow_tests_is_refused(machine):
	bench = machine.bench()
	bench.make_site("dev.localhost")
	done = machine.run(PRM_SITE="dev.localhost")
	assert_clean_failure(done, "does not allow tests", "set-config allow_tests")
	assert bench.calls("run-tests") == []


def test_prm_site_is_reused_and_kept(machine):
	bench = machine.bench()
	bench.make_site("dev.localhost", allow_tests=1)
	done = machine.run(PRM_SITE="dev.localhost")
	assert done.returncode == 0, done.stdout
	assert bench.sites() == ["dev.localhost"]
	assert [c["step"] for c in bench.calls() if c["step"] in ("install-app", "migrate", "run-tests")] == [
		"install-app",
		"migrate",
		"run-tests",
	]
	assert bench.calls("new-site") == bench.calls("drop-site") == []
	bench.fake({"apps": ["frappe", "erpnext", "prm_app"]})
	assert machine.run(PRM_SITE="dev.localhost").returncode == 0
	assert len(bench.calls("install-app")) == 1, "installed apps are not installed again"


# -- reading unittest's summaries --------------------------------------------------------------


@pytest.mark.parametrize(
	"text, counts",
	[
		("Ran 12 tests in 3.400s\n\nOK", (12, 0, 0)),
		("Ran 1 test in 0.001s\n\nOK (skipped=1)", (0, 0, 1)),
		("Ran 10 tests in 1s\n\nFAILED (failures=1, errors=2, skipped=3)", (4, 3, 3)),
		("Ran 3 tests in 1s\n\nOK (expected failures=1)", (3, 0, 0)),
		("Ran 3 tests in 1s\n\nFAILED (unexpected successes=1)", (2, 1, 0)),
		("\x1b[32mRan 2 tests in 1s\x1b[0m\n\n\x1b[31mOK\x1b[0m", (2, 0, 0)),
		("Ran 2 tests in 1s\n\nOK\nRan 4 tests in 2s\n\nFAILED (errors=1)", (5, 1, 0)),
		("Ran 0 tests in 0.000s\n\nNO TESTS RAN", (0, 0, 0)),
		("a test printed OK", (0, 0, 0)),
	],
)
def test_unittest_summaries(text, counts):
	summaries = load_runner().UnittestSummaries()
	for line in text.splitlines(keepends=True):
		summaries.feed(line)
	assert (summaries.passed, summaries.failed, summaries.skipped) == counts
