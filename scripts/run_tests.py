#!/usr/bin/env python3
"""The project's one test command: ``python3 scripts/run_tests.py``.

Unit tier: pytest over ``tests/`` in a virtualenv of its own (``.venv-unit``), made on first use.

Integration tier: ``run-tests --app prm_app`` on every bench found (``PRM_BENCH`` / ``PRM_BENCH_16``,
else ``~/frappe-bench`` and ``~/frappe-bench-16``), each time on a fresh site made from a template
backup of an ERPNext site and dropped afterwards. The README's "Tests" section lists what this
changes in a bench and the environment variables.

Only the standard library is used here, so this runs on a fresh machine. A failure ends with one
line saying what failed and what to do, and the exit status is non-zero when a tier that ran failed.
"""

import hashlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
APP = "prm_app"
# One variable per bench slot; the versions shown come from the bench itself, not from the slot.
BENCH_VARS = (("PRM_BENCH", "frappe-bench"), ("PRM_BENCH_16", "frappe-bench-16"))
SECRET_OPTIONS = {"--db-root-password", "--admin-password"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class Failure(Exception):
	"""A step that cannot go on. The message says, in one line, what failed and what to do."""


def say(msg: str) -> None:
	print(f"[run_tests] {msg}", flush=True)


def shown(path: Path) -> str:
	"""A path as the user knows it: ``~/frappe-bench`` rather than ``/home/me/frappe-bench``."""
	home = Path.home()
	try:
		return str(Path("~") / Path(path).relative_to(home))
	except ValueError:
		return str(path)


def echo(cmd) -> None:
	"""Show a command before it runs, passwords masked."""
	words, secret = [], False
	for word in map(str, cmd):
		words.append("***" if secret else shlex.quote(word))
		secret = word in SECRET_OPTIONS
	say("$ " + " ".join(words))


def run(cmd, *, quiet: bool = False, cwd=None, env=None) -> int:
	"""Run a command with its input closed (nothing may wait on a prompt). With ``quiet``, its output
	is shown only when it fails (migrate's progress bars, new-site's chatter)."""
	echo(cmd)
	args = [str(c) for c in cmd]
	try:
		if not quiet:
			return subprocess.call(args, cwd=cwd, env=env, stdin=subprocess.DEVNULL)
		done = subprocess.run(
			args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace"
		)
	except OSError as e:
		raise Failure(f"could not run {args[0]} ({e.strerror}): check that it exists and can be executed")
	if done.returncode != 0:
		print(done.stdout[-20000:], done.stderr[-20000:], sep="\n", flush=True)
	return done.returncode


def capture(cmd, *, cwd=None, env=None) -> subprocess.CompletedProcess:
	args = [str(c) for c in cmd]
	try:
		return subprocess.run(
			args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace"
		)
	except OSError as e:
		raise Failure(f"could not run {args[0]} ({e.strerror}): check that it exists and can be executed")


def last_line(text: str) -> str:
	lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
	return lines[-1] if lines else "no output"


# -- outcomes ----------------------------------------------------------------------------------


@dataclass
class Outcome:
	label: str
	passed: int = 0
	failed: int = 0
	skipped: int = 0
	problem: str = ""  # why the tier failed beyond its counts, or why it could not run
	tier_skipped: bool = False

	@property
	def ok(self) -> bool:
		return not self.problem and self.failed == 0 and self.passed > 0

	def counts(self) -> str:
		return f"{self.passed} passed, {self.failed} failed, {self.skipped} skipped"

	def line(self) -> str:
		if self.tier_skipped:
			return f"{self.label}: SKIPPED - {self.problem}"
		if self.problem and not (self.passed or self.failed or self.skipped):
			return f"{self.label}: FAILED (no tests ran)"
		return f"{self.label}: {'PASSED' if self.ok else 'FAILED'} ({self.counts()})"

	def reason(self) -> str:
		"""What to tell the user about a failed tier, in one line."""
		if self.problem:
			return self.problem
		if self.failed:
			return f"{self.failed} test(s) failed: their tracebacks are above"
		return "no tests ran: check the test discovery output above"


# -- unit tier ---------------------------------------------------------------------------------


def junit_counts(path: Path, producer: str) -> tuple[int, int, int]:
	"""(passed, failed, skipped) from a JUnit XML report; failures and errors both count as failed."""
	if not path.exists():
		raise Failure(f"{producer} wrote no JUnit report ({path}): its output above says why")
	try:
		root = ET.parse(path).getroot()
	except ET.ParseError as e:
		raise Failure(
			f"{producer}'s JUnit report {path} is empty or not XML ({e}): its output above says why"
		)
	suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
	tests = failed = skipped = 0
	for suite in suites:
		tests += int(suite.get("tests", 0))
		failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
		skipped += int(suite.get("skipped", 0))
	return (tests - failed - skipped, failed, skipped)


def unit_venv() -> Path:
	venv = Path(os.environ.get("PRM_UNIT_VENV") or REPO / ".venv-unit")
	python = venv / "bin" / "python"
	if not python.exists():
		if run([sys.executable, "-m", "venv", venv]) != 0:
			raise Failure(
				f"could not make the unit tier's virtualenv {venv}: install Python's venv module"
				" (Debian: apt-get install python3-venv)"
			)
	stamp = venv / ".prm_app-installed"
	digest = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()
	if not stamp.exists() or stamp.read_text() != digest:
		pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", f"{REPO}[test]"]
		if run(pip) != 0:
			raise Failure(
				f"could not install the unit tier's packages into {venv} (pip's output is above):"
				" check access to PyPI"
			)
		stamp.write_text(digest)
	return python


def unit_tier(workdir: Path) -> Outcome:
	outcome = Outcome("unit tier")
	say("unit tier: pytest over tests/")
	report = workdir / "unit.xml"
	try:
		python = unit_venv()
		pytest = [python, "-m", "pytest", REPO / "tests", "-q", "-p", "no:cacheprovider"]
		rc = run([*pytest, f"--junitxml={report}"], cwd=REPO)
		outcome.passed, outcome.failed, outcome.skipped = junit_counts(report, "pytest")
	except Failure as e:
		outcome.problem = str(e)
		return outcome
	if rc != 0 and not outcome.failed:
		outcome.problem = f"pytest exited with status {rc}: its output above says why"
	return outcome


# -- benches -----------------------------------------------------------------------------------


@dataclass
class Bench:
	path: Path

	@property
	def python(self) -> Path:
		return self.path / "env" / "bin" / "python"

	@property
	def sites(self) -> Path:
		return self.path / "sites"

	def version(self, app: str) -> str | None:
		init = self.path / "apps" / app / app / "__init__.py"
		if not init.exists():
			return None
		found = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", init.read_text(errors="replace"), re.M)
		return found.group(1) if found else "unknown"

	def label(self) -> str:
		return f"Frappe {self.version('frappe')} / ERPNext {self.version('erpnext') or '(none)'} ({shown(self.path)})"

	def config(self) -> dict:
		path = self.sites / "common_site_config.json"
		if not path.exists():
			raise Failure(f"{shown(path)} is missing: the bench is not set up (bench init writes it)")
		try:
			return json.loads(path.read_text())
		except json.JSONDecodeError as e:
			raise Failure(f"{shown(path)} is not valid JSON ({e}): fix it")

	def frappe(self, *args, site: str | None = None) -> list:
		"""A Frappe command as ``bench`` runs it (no bench CLI needed), from the bench's sites folder."""
		where = ["--site", site] if site else []
		return [self.python, "-m", "frappe.utils.bench_helper", "frappe", *where, *args]


def looks_like_bench(path: Path) -> bool:
	return (path / "env" / "bin" / "python").exists() and (path / "apps" / "frappe").is_dir()


def find_benches() -> list[Bench]:
	"""PRM_BENCH and PRM_BENCH_16 when either is set (each must be a bench); else the conventional
	~/frappe-bench and ~/frappe-bench-16, those that look like benches."""
	explicit = [(var, os.environ[var]) for var, _ in BENCH_VARS if os.environ.get(var)]
	paths = []
	if explicit:
		for var, value in explicit:
			path = Path(value).expanduser().absolute()
			if not looks_like_bench(path):
				raise Failure(
					f"{var}={value} is not a bench (it needs env/bin/python and apps/frappe):"
					f" point {var} at a Frappe bench, or unset it"
				)
			paths.append(path)
	else:
		paths = [Path.home() / name for _, name in BENCH_VARS if looks_like_bench(Path.home() / name)]
	benches, seen = [], set()
	for path in paths:
		if path.resolve() not in seen:
			seen.add(path.resolve())
			benches.append(Bench(path))
	return benches


def test_modules() -> list[str]:
	"""PRM_TEST_MODULE: one module of the app, or several separated by commas."""
	value = os.environ.get("PRM_TEST_MODULE", "")
	modules = [m.strip() for m in value.split(",") if m.strip()]
	for module in modules:
		parts = module.split(".")
		if parts[0] != APP or not all(p.isidentifier() for p in parts):
			raise Failure(
				f"PRM_TEST_MODULE={value}: {module!r} is not a module of {APP}:"
				f" name modules like {APP}.tests.test_install, separated by commas"
			)
		path = REPO.joinpath(*parts)
		if not path.with_suffix(".py").exists() and not (path / "__init__.py").exists():
			raise Failure(
				f"PRM_TEST_MODULE={value}: no module {module} in this checkout"
				f" (no {'/'.join(parts)}.py): check its name"
			)
	return modules


# -- services ----------------------------------------------------------------------------------


def answers(host: str, port: int) -> bool:
	try:
		with socket.create_connection((host, port), timeout=1):
			return True
	except OSError:
		return False


def wait_for(host: str, port: int, seconds: int) -> bool:
	deadline = time.time() + seconds
	while time.time() < deadline:
		if answers(host, port):
			return True
		time.sleep(1)
	return answers(host, port)


def db_address(config: dict) -> tuple[str, int]:
	return str(config.get("db_host") or "127.0.0.1"), int(config.get("db_port") or 3306)


def start_mariadb(config: dict) -> None:
	host, port = db_address(config)
	if answers(host, port):
		return
	if host not in LOCAL_HOSTS:
		raise Failure(
			f"MariaDB does not answer on {host}:{port} (db_host/db_port of common_site_config.json):"
			" start it there, or fix those settings"
		)
	say(f"MariaDB does not answer on port {port}; starting it")
	tried = []
	if shutil.which("service"):
		tried.append("service mariadb start")
		if run(["service", "mariadb", "start"], quiet=True) == 0 and wait_for(host, port, 60):
			return
	if not answers(host, port) and shutil.which("mysqld_safe"):
		tried.append("mysqld_safe")
		echo(["mysqld_safe"])
		subprocess.Popen(
			["mysqld_safe"],
			stdin=subprocess.DEVNULL,
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			start_new_session=True,
		)
		if wait_for(host, port, 60):
			return
	how = " and ".join(tried) if tried else "neither service nor mysqld_safe is on PATH"
	raise Failure(
		f"MariaDB does not answer on {host}:{port} and could not be started ({how}):"
		" start MariaDB, or set db_host/db_port in common_site_config.json"
	)


def start_redis(config: dict) -> None:
	for key in ("redis_cache", "redis_queue", "redis_socketio"):
		url = config.get(key)
		if not url:
			continue
		try:
			parts = urlsplit(url)
			host, port = parts.hostname or "127.0.0.1", parts.port or 6379
		except ValueError:
			raise Failure(f"{key}={url!r} in common_site_config.json is not a redis:// URL: fix it")
		if answers(host, port):
			continue
		if host not in LOCAL_HOSTS:
			raise Failure(f"Redis ({key}) does not answer on {host}:{port}: start it there, or fix {key}")
		if not shutil.which("redis-server"):
			raise Failure(
				f"Redis ({key}) does not answer on port {port} and redis-server is not on PATH:"
				f" install Redis (Debian: apt-get install redis-server), or start it on port {port}"
			)
		say(f"{key} does not answer on port {port}; starting redis-server")
		redis = ["redis-server", "--port", port, "--bind", "127.0.0.1", "--daemonize", "yes"]
		rc = run([*redis, "--save", "", "--appendonly", "no", "--dir", tempfile.gettempdir()], quiet=True)
		if rc != 0 or not wait_for(host, port, 20):
			raise Failure(
				f"Redis ({key}) does not answer on port {port} and redis-server could not start it"
				f" (its output is above): start Redis on port {port}"
			)


# -- the app in the bench ----------------------------------------------------------------------

PROBE_IMPORT = """# prm-probe: import
import importlib.util, os
spec = importlib.util.find_spec("prm_app")
print(os.path.realpath(spec.origin) if spec and spec.origin else "")
"""


def link_app(bench: Bench) -> None:
	"""Make the bench's apps/prm_app this checkout, listed in sites/apps.txt and importable from the
	bench's env."""
	target = bench.path / "apps" / APP
	if target.is_symlink():
		if target.resolve() != REPO:
			before = os.readlink(target)
			target.unlink()
			target.symlink_to(REPO, target_is_directory=True)
			say(f"linked {shown(target)} -> {REPO} (it pointed at {before})")
	elif target.exists():
		if target.resolve() != REPO:
			raise Failure(
				f"{shown(target)} is a directory of its own, not a link to this checkout:"
				" move it away (this command links apps/prm_app to the checkout it runs from)"
			)
	else:
		target.symlink_to(REPO, target_is_directory=True)
		say(f"linked {shown(target)} -> {REPO}")
	apps_txt = bench.sites / "apps.txt"
	if not apps_txt.exists():
		raise Failure(f"{shown(apps_txt)} is missing: the bench is not set up (bench init writes it)")
	apps = apps_txt.read_text().split()
	if APP not in apps:
		apps_txt.write_text("\n".join([*apps, APP]) + "\n")
		say(f"added {APP} to {shown(apps_txt)}")
	link_assets(bench, target)
	install_app_package(bench, target)


def link_assets(bench: Bench, target: Path) -> None:
	"""``sites/assets/prm_app`` -> the app's public folder, as ``bench build`` makes it: the portal's
	stylesheet is served from there (the accessibility check renders pages with it)."""
	assets = bench.sites / "assets"
	link = assets / APP
	if not assets.is_dir() or link.exists() or link.is_symlink():
		return
	link.symlink_to(target / APP / "public", target_is_directory=True)
	say(f"linked {shown(link)} -> {shown(target / APP / 'public')}")


def prm_app_location(bench: Bench) -> str:
	found = capture([bench.python, "-c", PROBE_IMPORT], cwd=bench.sites)
	if found.returncode != 0:
		raise Failure(
			f"the bench's Python ({shown(bench.python)}) does not run ({last_line(found.stderr)}):"
			" repair the bench's env"
		)
	return found.stdout.strip()


def install_app_package(bench: Bench, target: Path) -> None:
	"""Editable-install prm_app into the bench's env when ``import prm_app`` there does not resolve to
	this checkout, or when pyproject.toml changed since (its dependencies may have)."""
	stamp = bench.path / "env" / ".prm_app-pyproject.sha256"
	digest = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()
	here = prm_app_location(bench)
	in_checkout = bool(here) and Path(here).is_relative_to(REPO)
	if in_checkout and stamp.exists() and stamp.read_text() == digest:
		return
	why = "pyproject.toml changed" if in_checkout else f"import {APP} resolves to {here or 'nothing'} there"
	say(f"installing {APP} into the bench's env, editable, with its dependencies from PyPI ({why})")
	pip = [bench.python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", target]
	if run(pip, quiet=True, cwd=bench.path) != 0:
		raise Failure(
			f"could not install {APP} into the env of {shown(bench.path)} (pip install -e failed, output above):"
			" check access to PyPI"
		)
	here = prm_app_location(bench)
	if not here or not Path(here).is_relative_to(REPO):
		raise Failure(
			f"after pip install -e, import {APP} in the bench's env still resolves to {here or 'nothing'}:"
			f" remove that copy ({shown(bench.python)} -m pip uninstall {APP}) and run again"
		)
	stamp.write_text(digest)


# -- sites -------------------------------------------------------------------------------------

PROBE_DB = """# prm-probe: db
import os, sys
host, port = os.environ["PRM_PROBE_HOST"], int(os.environ["PRM_PROBE_PORT"])
user, password = os.environ["PRM_PROBE_USER"], os.environ["PRM_PROBE_PASSWORD"]
try:
	import pymysql as driver
	connect = dict(host=host, port=port, user=user, password=password, connect_timeout=10)
except ImportError:
	try:
		import MySQLdb as driver
		connect = dict(host=host, port=port, user=user, passwd=password, connect_timeout=10)
	except ImportError:
		sys.exit(5)
try:
	driver.connect(**connect).close()
except driver.OperationalError as e:
	print(e, file=sys.stderr)
	sys.exit(3 if e.args and e.args[0] in (1045, 1698) else 4)
"""


@dataclass
class Root:
	"""MariaDB's root login, which new-site and drop-site need."""

	user: str
	password: str

	def options(self) -> list[str]:
		return ["--db-root-username", self.user, "--db-root-password", self.password]


def db_root(bench: Bench, config: dict) -> Root:
	source = "PRM_DB_ROOT_PASSWORD"
	password = os.environ.get("PRM_DB_ROOT_PASSWORD")
	if not password:
		source = "root_password in common_site_config.json"
		password = config.get("root_password") or config.get("mariadb_root_password")
	if not password:
		raise Failure(
			"MariaDB's root password is unknown, and making a test site needs it: set PRM_DB_ROOT_PASSWORD,"
			f' or add "root_password" to {shown(bench.sites / "common_site_config.json")}'
		)
	root = Root(str(config.get("root_login") or "root"), str(password))
	host, port = db_address(config)
	env = {
		**os.environ,
		"PRM_PROBE_HOST": host,
		"PRM_PROBE_PORT": str(port),
		"PRM_PROBE_USER": root.user,
		"PRM_PROBE_PASSWORD": root.password,
	}
	probe = capture([bench.python, "-c", PROBE_DB], cwd=bench.sites, env=env)
	if probe.returncode == 3:
		raise Failure(
			f"MariaDB refused {root.user}'s password (from {source}):"
			" set PRM_DB_ROOT_PASSWORD to MariaDB's root password"
		)
	if probe.returncode == 4:
		raise Failure(
			f"could not log in to MariaDB on {host}:{port} as {root.user} ({last_line(probe.stderr)}):"
			" check that MariaDB accepts TCP connections there"
		)
	if probe.returncode == 5:
		say("no MySQL driver in the bench's env to check the root password with; new-site will")
	elif probe.returncode != 0:
		raise Failure(
			f"checking MariaDB's root login with the bench's Python failed ({last_line(probe.stderr)}):"
			" repair the bench's env"
		)
	return root


def admin_password(config: dict) -> str:
	return str(config.get("admin_password") or secrets.token_hex(8))


def drop_site(bench: Bench, site: str, root: Root) -> str:
	"""Drop a site this command made, without a backup. Its folder is archived into a temporary
	directory removed here, so nothing is left in the bench's archived/sites. Returns what went
	wrong, or an empty string."""
	folder = bench.sites / site
	if not folder.exists():
		return ""
	try:
		db_name = json.loads((folder / "site_config.json").read_text()).get("db_name")
	except (OSError, json.JSONDecodeError):
		db_name = None
	with tempfile.TemporaryDirectory(prefix="prm-archive-") as archive:
		drop = bench.frappe(
			"drop-site", site, "--force", "--no-backup", *root.options(), "--archived-sites-path", archive
		)
		rc = run(drop, quiet=True, cwd=bench.sites)
	if rc == 0 and not folder.exists():
		say(f"dropped site {site}")
		return ""
	if folder.exists():
		shutil.rmtree(folder)
	leftover = (
		f"its database {db_name} and user may remain in MariaDB" if db_name else "its database may remain"
	)
	return (
		f"drop-site {site} failed (output above); removed the site's folder, but {leftover}:"
		" drop them as MariaDB's root if they do"
	)


def frappe_step(bench: Bench, what: str, *args, site: str | None = None) -> None:
	if run(bench.frappe(*args, site=site), quiet=True, cwd=bench.sites) != 0:
		raise Failure(f"{what} failed (its output is above): fix what it says, then run the command again")


def template_backup(bench: Bench, root: Root, admin: str) -> Path:
	"""The template the test sites are made from: a backup of a fresh site with ERPNext installed,
	made once per Frappe/ERPNext version pair and kept in the bench."""
	frappe_version, erpnext_version = bench.version("frappe"), bench.version("erpnext")
	path = bench.sites / ".prm_app" / f"erpnext-template-{frappe_version}-{erpnext_version}.sql.gz"
	if path.exists() and path.stat().st_size > 0:
		say(f"test sites are made from {shown(path)}")
		return path
	site = f"prm-template-{secrets.token_hex(4)}.localhost"
	say(
		f"no template backup for Frappe {frappe_version} / ERPNext {erpnext_version} in this bench yet:"
		f" making one once from a new site {site} with ERPNext installed (a few minutes),"
		f" kept as {shown(path)}; the site is dropped afterwards"
	)
	path.parent.mkdir(exist_ok=True)
	partial = path.with_name(f".partial-{secrets.token_hex(4)}.sql.gz")
	made = False
	try:
		new_site = ["new-site", site, "--install-app", "erpnext", *root.options(), "--admin-password", admin]
		frappe_step(bench, f"new-site {site} (for the template)", *new_site)
		frappe_step(bench, f"backup of {site}", "backup", "--backup-path-db", partial, site=site)
		if not partial.exists() or partial.stat().st_size == 0:
			raise Failure(f"backup of {site} wrote no database dump to {partial}: its output above says why")
		partial.replace(path)
		made = True
	finally:
		problem = drop_site(bench, site, root)
		partial.unlink(missing_ok=True)
		if problem and not made:
			say(f"also: {problem}")
	if problem:
		raise Failure(problem)
	say(f"template kept as {shown(path)}")
	return path


def make_site(bench: Bench, site: str, template: Path, root: Root, admin: str) -> None:
	say(f"making test site {site} from the template")
	new_site = ["new-site", site, "--source-sql", template, *root.options(), "--admin-password", admin]
	frappe_step(bench, f"new-site {site}", *new_site)
	frappe_step(
		bench, f"set-config allow_tests on {site}", "set-config", "allow_tests", "1", "--parse", site=site
	)
	frappe_step(bench, f"install-app {APP} on {site}", "install-app", APP, site=site)
	frappe_step(bench, f"migrate of {site}", "migrate", site=site)


def site_config(bench: Bench, site: str) -> dict:
	path = bench.sites / site / "site_config.json"
	if not path.exists():
		raise Failure(
			f"PRM_SITE={site}: no such site in {shown(bench.sites)}: name an existing site,"
			" or unset PRM_SITE to test on a fresh site"
		)
	try:
		return json.loads(path.read_text())
	except json.JSONDecodeError as e:
		raise Failure(f"{shown(path)} is not valid JSON ({e}): fix it")


def installed_apps(output: str, site: str) -> list[str]:
	"""The apps in ``list-apps --format json``'s closing JSON object, ``{"site": ["frappe", ...]}``."""
	lines = output.strip().splitlines()
	for start in reversed(range(len(lines))):
		if lines[start].startswith("{"):
			try:
				return list(json.loads("\n".join(lines[start:])).get(site) or [])
			except json.JSONDecodeError:
				continue
	raise Failure(f"list-apps on site {site} printed no list of apps ({last_line(output)}): check the site")


def prepare_existing_site(bench: Bench, site: str, config: dict) -> None:
	"""PRM_SITE: a developer's own site, reused as it is. Tests write to its database, so it must
	allow tests (CI=1, which run-tests needs to report failures, would skip Frappe's own check)."""
	if not (config.get("allow_tests") or site_config(bench, site).get("allow_tests")):
		raise Failure(
			f"site {site} does not allow tests (allow_tests is not set) and tests write to its database:"
			f" if that is fine, run: bench --site {site} set-config allow_tests true;"
			" or unset PRM_SITE to test on a fresh site"
		)
	listed = capture(bench.frappe("list-apps", "--format", "json", site=site), cwd=bench.sites)
	if listed.returncode != 0:
		print(listed.stdout[-5000:], listed.stderr[-5000:], sep="\n")
		raise Failure(f"list-apps on site {site} failed (its output is above): fix what it says")
	if APP not in installed_apps(listed.stdout, site):
		frappe_step(bench, f"install-app {APP} on {site}", "install-app", APP, site=site)
	frappe_step(bench, f"migrate of {site}", "migrate", site=site)


# -- run-tests ---------------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
RAN = re.compile(r"^Ran (\d+) tests? in ")
STATUS = re.compile(r"^(OK|FAILED|NO TESTS RAN)(?: \((.*)\))?$")


class UnittestSummaries:
	"""Counts read from unittest's closing lines ("Ran 12 tests in 3.4s", then "OK (skipped=1)" or
	"FAILED (failures=1, errors=2)"), added up over every summary printed: Frappe 16 prints one per
	test category. Frappe 15's JUnit output needs the dev-only xmlrunner package, and Frappe 16's
	``--junit-xml-output`` opens the file but writes nothing, so the text is what both give."""

	def __init__(self):
		self.summaries = self.passed = self.failed = self.skipped = 0
		self.ran: int | None = None

	def feed(self, line: str) -> None:
		line = ANSI.sub("", line).strip()
		ran = RAN.match(line)
		if ran:
			self.ran = int(ran.group(1))
			return
		if self.ran is None or not line:
			return
		status = STATUS.match(line)
		if status:
			infos = {}
			for item in (status.group(2) or "").split(","):
				name, _, number = item.strip().partition("=")
				if number.isdigit():
					infos[name] = int(number)
			failed = infos.get("failures", 0) + infos.get("errors", 0) + infos.get("unexpected successes", 0)
			skipped = infos.get("skipped", 0)
			self.summaries += 1
			self.failed += failed
			self.skipped += skipped
			self.passed += max(self.ran - failed - skipped, 0)
		self.ran = None


def stream(cmd, *, cwd, env) -> tuple[int, UnittestSummaries]:
	"""Run a command, its output shown as it comes and read for unittest's summaries."""
	echo(cmd)
	summaries = UnittestSummaries()
	try:
		with subprocess.Popen(
			[str(c) for c in cmd],
			cwd=cwd,
			env=env,
			stdin=subprocess.DEVNULL,
			stdout=subprocess.PIPE,
			stderr=subprocess.STDOUT,
			text=True,
			errors="replace",
			bufsize=1,
		) as proc:
			for line in proc.stdout:
				sys.stdout.write(line)
				summaries.feed(line)
			rc = proc.wait()
	except OSError as e:
		raise Failure(f"could not run {cmd[0]} ({e.strerror}): check that it exists and can be executed")
	sys.stdout.flush()
	return rc, summaries


def run_tests(bench: Bench, site: str, modules: list[str], outcome: Outcome) -> None:
	# Without CI, Frappe 15's run-tests exits 0 even when tests fail; unbuffered, the test output and
	# unittest's summary arrive in order.
	env = {**os.environ, "CI": "1", "PYTHONUNBUFFERED": "1"}
	unsummed, unexplained = [], []
	for module in modules or [None]:
		args = ["run-tests", "--app", APP, *(["--module", module] if module else [])]
		rc, summary = stream(bench.frappe(*args, site=site), cwd=bench.sites, env=env)
		outcome.passed += summary.passed
		outcome.failed += summary.failed
		outcome.skipped += summary.skipped
		what = f"run-tests --module {module}" if module else "run-tests"
		if not summary.summaries:
			unsummed.append(
				f"{what} printed no test summary (exit status {rc}): it stopped before the tests ran;"
				" its output above says why"
			)
		elif rc != 0 and not summary.failed:
			unexplained.append(f"{what} exited with status {rc} after its summary: its output above says why")
	if unsummed:
		outcome.problem = "; ".join(unsummed)
	elif outcome.passed == 0 and not outcome.failed:
		outcome.problem = "no tests ran: check PRM_TEST_MODULE and the test discovery output above"
	elif unexplained:
		outcome.problem = "; ".join(unexplained)


# -- integration tier --------------------------------------------------------------------------


def integration_tier(bench: Bench, modules: list[str]) -> Outcome:
	outcome = Outcome(f"integration tier, {bench.label()}")
	say(f"{outcome.label}: run-tests --app {APP}")
	try:
		on_bench(bench, modules, outcome)
	except Failure as e:
		outcome.problem = "; ".join(filter(None, [str(e), outcome.problem]))
	return outcome


def on_bench(bench: Bench, modules: list[str], outcome: Outcome) -> None:
	if bench.version("erpnext") is None:
		raise Failure(
			f"{shown(bench.path)} has no apps/erpnext, which {APP} needs: get ERPNext into the bench"
		)
	config = bench.config()
	existing = os.environ.get("PRM_SITE")
	if existing:
		config = {**config, **site_config(bench, existing)}
	start_mariadb(config)
	start_redis(config)
	link_app(bench)
	if existing:
		prepare_existing_site(bench, existing, config)
		run_tests(bench, existing, modules, outcome)
		return
	root = db_root(bench, config)
	admin = admin_password(config)
	template = template_backup(bench, root, admin)
	site = f"prm-test-{secrets.token_hex(4)}.localhost"
	keep = os.environ.get("PRM_KEEP_SITE") == "1"
	try:
		make_site(bench, site, template, root, admin)
		run_tests(bench, site, modules, outcome)
	finally:
		if keep and (bench.sites / site).exists():
			say(f"PRM_KEEP_SITE=1: kept site {site} (Administrator's password: {admin}); drop it with:")
			drop = f"../env/bin/python -m frappe.utils.bench_helper frappe drop-site {site} --no-backup"
			say(f"  cd {bench.sites} && {drop}")
		else:
			problem = drop_site(bench, site, root)
			if problem:
				outcome.problem = "; ".join(filter(None, [outcome.problem, problem]))


# -- the command -------------------------------------------------------------------------------


def interrupted(signum, frame):
	raise KeyboardInterrupt


def summarize(outcomes: list[Outcome]) -> int:
	print()
	say("summary")
	for outcome in outcomes:
		print(f"  {outcome.line()}")
	ran = [o for o in outcomes if not o.tier_skipped]
	total = [sum(getattr(o, n) for o in ran) for n in ("passed", "failed", "skipped")]
	print(f"tests: {total[0]} passed, {total[1]} failed, {total[2]} skipped")
	failed = [o for o in ran if not o.ok]
	for outcome in failed:
		print(f"FAILED: {outcome.label}: {outcome.reason()}")
	return 1 if failed else 0


def main() -> int:
	signal.signal(signal.SIGTERM, interrupted)  # a CI timeout still drops the test site
	try:
		modules = test_modules()
		benches = find_benches()
	except Failure as e:
		print(f"FAILED: {e}")
		return 2
	with tempfile.TemporaryDirectory(prefix="prm-tests-") as workdir:
		outcomes = [unit_tier(Path(workdir))]
	if not benches:
		names = " or ".join(f"~/{name}" for _, name in BENCH_VARS)
		reason = f"no bench found (set PRM_BENCH or PRM_BENCH_16 to a bench, or make {names})"
		outcomes.append(Outcome("integration tier", problem=reason, tier_skipped=True))
	for bench in benches:
		outcomes.append(integration_tier(bench, modules))
	return summarize(outcomes)


if __name__ == "__main__":
	try:
		sys.exit(main())
	except KeyboardInterrupt:
		print("\nFAILED: interrupted (the sites this run made were dropped on the way out)")
		sys.exit(130)
	except Exception as e:
		if os.environ.get("PRM_DEBUG") == "1":
			raise
		print(
			f"FAILED: the test command itself broke ({type(e).__name__}: {e}):"
			" run it with PRM_DEBUG=1 for the traceback, and report it"
		)
		sys.exit(3)
