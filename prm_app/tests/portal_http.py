"""Real HTTP for the integration tests: Frappe's WSGI application served on a free local port by a
thread of the test process, and browser-like sessions that sign in with Frappe's own login.

Each request is handled the way a bench serves it (``frappe.app.application``: its own site
initialisation, database connection, session, CSRF check and commit), so what the tests see over
the socket is what a partner's browser sees. The server thread reads committed data only: tests
commit what they set up and delete it afterwards.
"""

import re
import threading
from urllib.parse import urljoin

import frappe
import requests
from werkzeug.serving import make_server

CSRF_INPUT = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
CSRF_SCRIPT = re.compile(r'frappe\.csrf_token = "([0-9a-f]+)"')


class PortalServer:
	"""``frappe.app.application`` on 127.0.0.1:<free port>, for the life of a test class."""

	def __init__(self, site: str | None = None):
		import os

		from frappe.app import application
		from werkzeug.middleware.shared_data import SharedDataMiddleware

		self.site = site or frappe.local.site
		# with the bench's built assets, as a browser gets them from nginx in production
		app = SharedDataMiddleware(application, {"/assets": os.path.join(frappe.local.sites_path, "assets")})
		self.server = make_server("127.0.0.1", 0, app, threaded=True)
		self.base_url = f"http://127.0.0.1:{self.server.server_port}"
		self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

	def start(self) -> "PortalServer":
		self.thread.start()
		return self

	def stop(self):
		self.server.shutdown()
		self.server.server_close()
		self.thread.join(timeout=10)

	def browser(self, user: str | None = None, password: str | None = None) -> "Browser":
		browser = Browser(self)
		if user:
			browser.login(user, password)
		return browser


def fresh_snapshot():
	"""End the test thread's transaction, so that it sees what the server thread committed (and
	the server sees what the test set up): MariaDB reads from a snapshot per transaction."""
	frappe.db.commit()  # nosemgrep: tests that talk to the HTTP server work on committed data


class Browser:
	"""A requests session against the portal server, sending the site's name as the Host.

	Every request is wrapped in ``fresh_snapshot`` so the test reads what the request wrote."""

	def __init__(self, server: PortalServer):
		self.server = server
		self.session = requests.Session()
		self.session.headers["Host"] = server.site
		self.csrf_token = None

	def url(self, path: str) -> str:
		return urljoin(self.server.base_url, path)

	def send(self, http_method: str, path: str, **kwargs) -> requests.Response:
		fresh_snapshot()
		kwargs.setdefault("allow_redirects", False)
		kwargs.setdefault("timeout", 60)
		response = self.session.request(http_method, self.url(path), **kwargs)
		fresh_snapshot()
		self.remember_csrf(response)
		return response

	def login(self, user: str, password: str) -> requests.Response:
		response = self.send("POST", "/api/method/login", data={"usr": user, "pwd": password})
		assert response.status_code == 200, response.text[:500]
		return response

	def get(self, path: str, **kwargs) -> requests.Response:
		return self.send("GET", path, **kwargs)

	def remember_csrf(self, response):
		if "text/html" in response.headers.get("Content-Type", ""):
			found = CSRF_INPUT.search(response.text) or CSRF_SCRIPT.search(response.text)
			if found:
				self.csrf_token = found.group(1)

	def token(self) -> str:
		if not self.csrf_token:
			self.get("/partner")
		return self.csrf_token

	def submit(self, path: str, data: dict, files=None, **kwargs) -> requests.Response:
		"""Post a portal form as the browser does: with the page's CSRF token, no redirect followed."""
		payload = {"csrf_token": self.token(), **data}
		return self.send("POST", path, data=payload, files=files, **kwargs)

	def call(self, method: str, http_method: str = "POST", **data) -> requests.Response:
		"""A whitelisted method over /api/method, as the portal's own JavaScript would call it."""
		headers = {"X-Frappe-CSRF-Token": self.token(), "Accept": "application/json"}
		if http_method == "GET":
			return self.send("GET", f"/api/method/{method}", params=data, headers=headers)
		return self.send("POST", f"/api/method/{method}", json=data, headers=headers)

	def request(self, http_method: str, path: str, **kwargs) -> requests.Response:
		headers = {"X-Frappe-CSRF-Token": self.token(), "Accept": "application/json"}
		headers.update(kwargs.pop("headers", {}))
		return self.send(http_method, path, headers=headers, **kwargs)


def delete_everything_of(users=(), partners=(), extra_docs=(), since=None):
	"""Delete what the tests made and committed, including what the HTTP requests made on the
	way (registrations, invited users and their contacts, addresses, files, queued mails, logs).
	``since``: when the tests started, for Frappe's own leftovers that name nothing of ours."""
	frappe.set_user("Administrator")
	deleted = []
	users = [u for u in users if u]
	partners = [p for p in partners if p and frappe.db.exists("Partner", p)]
	users += frappe.get_all(
		"Partner User", filters={"parent": ("in", partners or [""]), "parenttype": "Partner"}, pluck="user"
	)
	users = sorted(set(users))
	registrations = frappe.get_all(
		"Deal Registration", filters={"partner": ("in", partners or [""])}, pluck="name"
	)
	conflicts = frappe.get_all(
		"Channel Conflict", filters={"deal_registration": ("in", registrations or [""])}, pluck="name"
	)
	linked = frappe.get_all(
		"Dynamic Link",
		filters={"link_doctype": "Partner", "link_name": ("in", partners or [""])},
		fields=["parenttype", "parent"],
	)
	contacts = {row.parent for row in linked if row.parenttype == "Contact"}
	contacts |= set(frappe.get_all("Contact", filters={"user": ("in", users or [""])}, pluck="name"))
	addresses = {row.parent for row in linked if row.parenttype == "Address"}
	sales_partners = [frappe.db.get_value("Partner", p, "sales_partner") for p in partners]

	def drop(doctype, names):
		for name in names:
			if name and frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
				deleted.append(f"{doctype} {name}")

	crm = frappe.get_all(
		"Deal Registration",
		filters={"name": ("in", registrations or [""])},
		fields=["opportunity", "customer"],
	)
	opportunities = [row.opportunity for row in crm if row.opportunity]
	leads = [
		frappe.db.get_value("Opportunity", o, "party_name")
		for o in opportunities
		if frappe.db.get_value("Opportunity", o, "opportunity_from") == "Lead"
	]
	lead_contacts = frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "link_doctype": "Lead", "link_name": ("in", leads or [""])},
		pluck="parent",
	)

	invitations = frappe.get_all(
		"Partner Invitation", filters={"partner": ("in", partners or [""])}, pluck="name"
	)
	frappe.db.delete(
		"ToDo",
		{
			"reference_type": ("in", ("Partner Invitation", "Deal Registration")),
			"reference_name": ("in", [*invitations, *registrations] or [""]),
		},
	)
	drop("Partner Invitation", invitations)
	# every other capability's records of these partners (PARTNER_OWNED), the latest registered first;
	# submitted ones are marked cancelled first (test data only), with their workflow actions
	from prm_app.permissions import PARTNER_OWNED

	for doctype, field in reversed(list(PARTNER_OWNED.items())):
		if field == "name" or doctype in ("Deal Registration", "Partner Invitation"):
			continue
		names = frappe.get_all(doctype, filters={field: ("in", partners or [""])}, pluck="name")
		for name in names:
			if frappe.db.get_value(doctype, name, "docstatus") == 1:
				frappe.db.set_value(doctype, name, "docstatus", 2, update_modified=False)
		frappe.db.delete(
			"Workflow Action", {"reference_doctype": doctype, "reference_name": ("in", names or [""])}
		)
		drop(doctype, names)
	drop("Channel Conflict", conflicts)
	drop("Deal Registration", registrations)
	drop("Opportunity", opportunities)
	drop("Contact", lead_contacts)
	drop("Lead", leads)
	drop("Contact", contacts)
	drop("Address", addresses)
	for doctype, name in extra_docs:
		if doctype == "Program Tier":  # its controller guards the default tier; these are ours
			frappe.db.delete(doctype, name)
		else:
			drop(doctype, [name])
	drop("Partner", partners)
	drop("Sales Partner", sales_partners)
	drop("File", frappe.get_all("File", filters={"owner": ("in", users or [""])}, pluck="name"))
	drop("User", users)

	queued = frappe.get_all(
		"Email Queue Recipient", filters={"recipient": ("in", users or [""])}, pluck="parent"
	)
	for name in set(queued):
		frappe.db.delete("Email Queue Recipient", {"parent": name})
		frappe.db.delete("Email Queue", {"name": name})
	for doctype, field in (
		("Activity Log", "user"),
		("Access Log", "user"),
		("Sessions", "user"),
		("Route History", "user"),
		("Comment", "owner"),
		("Version", "owner"),
		("Error Log", "owner"),
		("DefaultValue", "parent"),  # the users' defaults (their partner)
	):
		frappe.db.delete(doctype, {field: ("in", users or [""])})
	drop_user_jobs(users)
	# Frappe's own traces of the deletions: "Deleted" comments, and the users' Notification Settings
	# kept as Deleted Documents when a User is deleted.
	deleted += [f"Notification Settings {user}" for user in users]
	for subjects in (deleted[i : i + 500] for i in range(0, len(deleted), 500)):
		frappe.db.delete("Comment", {"comment_type": "Deleted", "subject": ("in", subjects)})
	frappe.db.delete("Deleted Document", {"deleted_name": ("in", users or [""])})
	if since:
		# Workflow Actions are cleared without their child rows when a document is deleted
		role = frappe.qb.DocType("Workflow Action Permitted Role")
		action = frappe.qb.DocType("Workflow Action")
		orphans = (
			frappe.qb.from_(role)
			.left_join(action)
			.on(action.name == role.parent)
			.select(role.name)
			.where(action.name.isnull() & (role.creation >= since))
		).run(pluck=True)
		if orphans:
			frappe.db.delete("Workflow Action Permitted Role", {"name": ("in", orphans)})
	frappe.db.commit()  # nosemgrep: test tear-down


USER_JOBS = ("frappe.core.doctype.user.user.create_contact", "frappe.core.doctype.user.user.update_gravatar")


def drop_user_jobs(users):
	"""Background jobs a new User queues after commit (make its Contact, fetch its gravatar): those
	of this site's deleted test users would otherwise run later, for users that no longer exist."""
	from frappe.utils.background_jobs import get_queues

	users = set(users)
	for queue in get_queues():
		for job in queue.jobs:
			kwargs = job.kwargs or {}
			if kwargs.get("site") != frappe.local.site or kwargs.get("method") not in USER_JOBS:
				continue
			args = kwargs.get("kwargs") or {}
			user = args.get("user")
			name = getattr(user, "name", user) or args.get("name")
			if name in users:
				job.delete()
