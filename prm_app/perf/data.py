"""Synthetic partners, users and registrations for ``prm-benchmark-portal``, on a scratch site.

Everything is written with multi-row INSERTs straight into the tables (a million registrations
in minutes), as the documents' own code would leave it: a Partner with its users (Partner User
rows), website users with a password, the partner roles and the ``partner`` user default
(``Partner.sync_user_roles``), and registrations in every lifecycle status with their workflow
state. Nothing runs the controllers, so no match keys, versions, e-mails or ERPNext records are
made.

Every record carries the marker ``PRMPERF`` in its name (``PRMPERF-...`` registrations,
``PRMPERF Partner ...`` partners, ``prmperf-...@prmperf.example.com`` users, ``PRMPERF ...``
tiers): ``remove()`` deletes exactly those, and the rows Frappe made for those users while they
were signed in (sessions, activity and access logs, route history, defaults).
"""

import random
import time
from datetime import datetime, timedelta

import frappe
from frappe.utils import add_days, getdate, now_datetime, today

from prm_app.constants import (
	APPROVED,
	DEAL_REGISTRATION,
	DRAFT,
	EXPIRED,
	LOST,
	PARTNER,
	PARTNER_ADMIN,
	PARTNER_ROLE,
	PARTNER_USER,
	PENDING,
	REJECTED,
	TEAM_ADMIN,
	TEAM_USER,
	WITHDRAWN,
	WON,
)
from prm_app.perf.driver import spread

MARK = "PRMPERF"
REGISTRATION_PREFIX = f"{MARK}-"
PARTNER_PREFIX = f"{MARK} Partner "
TIER_PREFIX = f"{MARK} "
USER_DOMAIN = "prmperf.example.com"
USER_PREFIX = "prmperf-"
CHUNK = 5_000
DELETE_CHUNK = 20_000

# how a programme's registrations are spread over the lifecycle
STATUS_WEIGHTS = (
	(DRAFT, 5),
	(PENDING, 10),
	(APPROVED, 25),
	(REJECTED, 5),
	(WON, 20),
	(LOST, 15),
	(EXPIRED, 15),
	(WITHDRAWN, 5),
)
BRANDS = (
	"Acme Apex Arbor Atlas Aurora Beacon Birch Bolt Cascade Cedar Cobalt Comet Coral Crest Delta Ember "
	"Falcon Fjord Garnet Glacier Granite Harbor Helix Horizon Indigo Iris Jade Juniper Keystone Kite "
	"Lumen Lynx Maple Meridian Mesa Nimbus Nova Oak Onyx Orbit Osprey Pine Pioneer Prism Quartz Quill "
	"Raven Ridge Sable Sage Sierra Solstice Spruce Summit Tango Terra Thistle Tidal Topaz Trident "
	"Umber Vale Vector Vertex Willow Zenith Zephyr"
).split()
INDUSTRIES = (
	"Systems Logistics Holdings Foods Digital Analytics Motors Energy Health Capital Labs Networks "
	"Robotics Textiles Metals Pharma Media Foods Freight Studios Software Security Solar Water"
).split()
LEGAL_FORMS = ("Inc", "Ltd", "GmbH", "SA", "BV", "LLC", "Pty Ltd", "AG", "SAS", "Oy")


def partner_name(i: int) -> str:
	return f"{PARTNER_PREFIX}{i:05d}"


def user_name(i: int, role: str) -> str:
	kind = "admin" if role == TEAM_ADMIN else "user"
	return f"{USER_PREFIX}{i:05d}-{kind}@{USER_DOMAIN}"


def registration_name(i: int) -> str:
	return f"{REGISTRATION_PREFIX}{i:08d}"


def hashed_password(password: str) -> str:
	"""One hash for every synthetic user (the salt is in the hash): hashing once keeps the set-up fast."""
	from frappe.utils.password import passlibctx

	return passlibctx.hash(password)


def insert_rows(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
	"""Multi-row INSERTs (the driver batches ``executemany`` into statements of many rows)."""
	if not rows:
		return
	names = ", ".join(f"`{c}`" for c in columns)
	marks = ", ".join(["%s"] * len(columns))
	cursor = frappe.db._cursor
	for start in range(0, len(rows), CHUNK):
		cursor.executemany(f"INSERT INTO `{table}` ({names}) VALUES ({marks})", rows[start : start + CHUNK])


def std(now: datetime, i: int = 0, docstatus: int = 0) -> tuple:
	"""creation, modified, owner, modified_by, docstatus, idx."""
	return (now, now, "Administrator", "Administrator", docstatus, i)


STD = ("creation", "modified", "owner", "modified_by", "docstatus", "idx")


def make_tiers() -> tuple[str, str]:
	"""Two tiers of the programme: the partners' own, and a next one with criteria to show."""
	from frappe.query_builder.functions import Max

	tier = frappe.qb.DocType("Program Tier")
	rank = int(frappe.qb.from_(tier).select(Max(tier.rank)).run()[0][0] or 0)
	names = []
	for offset, (label, criteria) in enumerate(
		(
			("Silver", {}),
			("Gold", {"min_trailing_revenue": 250000, "min_won_deals": 10, "min_certified_people": 2}),
		),
		start=1,
	):
		name = f"{TIER_PREFIX}{label}"
		if not frappe.db.exists("Program Tier", name):
			doc = frappe.get_doc(
				{
					"doctype": "Program Tier",
					"tier_name": name,
					"rank": rank + offset,
					"is_default": 0,
					**criteria,
				}
			)
			doc.insert(ignore_permissions=True)
		names.append(name)
	return names[0], names[1]


def make_partners(count: int, password: str, tier: str, echo=print) -> list[dict]:
	"""``count`` active partners with a Partner Admin and a Partner User each; returns
	[{"partner", "admin", "user"}] in order."""
	now = now_datetime()
	secret = hashed_password(password)
	partners, members, users, roles, auth, defaults = [], [], [], [], [], []
	made = []
	for i in range(count):
		partner = partner_name(i)
		domain = f"partner{i:05d}.example.com"
		partners.append(
			(partner, *std(now), partner, "Active", tier, getdate(today()), f"https://{domain}", domain)
		)
		team = {}
		for idx, role in enumerate((TEAM_ADMIN, TEAM_USER), start=1):
			user = user_name(i, role)
			team[role] = user
			first = "Admin" if role == TEAM_ADMIN else "Member"
			full = f"{first} {i:05d}"
			users.append((user, *std(now), user, first, f"{i:05d}", full, "Website User", 1, 0, 100))
			members.append(
				(frappe.generate_hash(length=10), *std(now, idx), partner, PARTNER, "users", user, full, role)
			)
			for n, portal_role in enumerate(
				(PARTNER_ROLE, PARTNER_ADMIN) if role == TEAM_ADMIN else (PARTNER_ROLE,), start=1
			):
				roles.append(
					(frappe.generate_hash(length=10), *std(now, n), user, "User", "roles", portal_role)
				)
			auth.append(("User", user, "password", secret, 0))
			# as Partner.sync_user_roles: new documents of the user get this partner
			defaults.append(
				(
					frappe.generate_hash(length=10),
					*std(now),
					user,
					"__default",
					"system_defaults",
					"partner",
					partner,
				)
			)
		made.append({"partner": partner, "admin": team[TEAM_ADMIN], "user": team[TEAM_USER]})
	insert_rows(
		"tabPartner",
		("name", *STD, "partner_name", "status", "program_tier", "joined_on", "website", "domain"),
		partners,
	)
	insert_rows(
		"tabUser",
		(
			"name",
			*STD,
			"email",
			"first_name",
			"last_name",
			"full_name",
			"user_type",
			"enabled",
			"send_welcome_email",
			"simultaneous_sessions",
		),
		users,
	)
	insert_rows(
		f"tab{PARTNER_USER}",
		("name", *STD, "parent", "parenttype", "parentfield", "user", "full_name", "role"),
		members,
	)
	insert_rows("tabHas Role", ("name", *STD, "parent", "parenttype", "parentfield", "role"), roles)
	insert_rows("__Auth", ("doctype", "name", "fieldname", "password", "encrypted"), auth)
	insert_rows(
		"tabDefaultValue",
		("name", *STD, "parent", "parenttype", "parentfield", "defkey", "defvalue"),
		defaults,
	)
	frappe.db.commit()  # nosemgrep: bench command, outside any request
	echo(f"  {count:,} partners, {len(users):,} users")
	return made


def company(rng: random.Random) -> tuple[str, str, str]:
	"""(company name, website, domain) of an end customer."""
	brand, industry = rng.choice(BRANDS), rng.choice(INDUSTRIES)
	tail = rng.randrange(1, 10_000)
	domain = f"{brand.lower()}-{industry.lower()}-{tail}.example.com"
	return f"{brand} {industry} {tail} {rng.choice(LEGAL_FORMS)}", f"https://www.{domain}", domain


def make_registrations(
	partners: list[str], total: int, skew: float = 0.0, seed: int = 13, echo=print
) -> dict:
	"""``total`` registrations spread over ``partners`` (the first ones largest when ``skew`` > 0);
	returns {partner: count}. Each partner's registrations span the last three years."""
	rng = random.Random(seed)
	counts = spread(total, len(partners), skew)
	statuses = [status for status, weight in STATUS_WEIGHTS for _ in range(weight)]
	currency = frappe.db.get_default("currency")
	now = now_datetime()
	day = getdate(today())
	columns = (
		"name",
		*STD,
		"naming_series",
		"partner",
		"status",
		"workflow_state",
		"conflict_status",
		"registered_on",
		"protection_until",
		"has_priority",
		"priority_sequence",
		"company_name",
		"website",
		"domain",
		"contact_name",
		"contact_email",
		"expected_value",
		"currency",
		"expected_close_date",
	)
	started = time.monotonic()
	batch, written, sequence = [], 0, 0
	span = timedelta(days=3 * 365).total_seconds()
	for partner, count in zip(partners, counts, strict=True):
		for k in range(count):
			sequence += 1
			status = rng.choice(statuses)
			# older registrations first; the newest within the last hours
			when = now - timedelta(seconds=span * (count - k) / max(count, 1) + rng.random() * 60)
			name, website, domain = company(rng)
			submitted = status != DRAFT
			protection = None
			if status == APPROVED:
				protection = add_days(day, rng.randrange(-5, 120))
			batch.append(
				(
					registration_name(sequence),
					when,
					when,
					"Administrator",
					"Administrator",
					0,
					0,
					"DR-.YYYY.-",
					partner,
					status,
					status,  # the shipped workflow's states are named like the statuses
					"Clear" if submitted else None,
					when if submitted else None,
					protection,
					1 if submitted else 0,
					sequence if submitted else 0,
					name,
					website,
					domain,
					f"Buyer {sequence}",
					f"buyer{sequence}@{domain}",
					float(rng.randrange(1, 500) * 1000),
					currency,
					add_days(when.date(), rng.randrange(30, 180)),
				)
			)
			if len(batch) >= CHUNK:
				insert_rows(f"tab{DEAL_REGISTRATION}", columns, batch)
				frappe.db.commit()  # nosemgrep: bench command, outside any request
				written += len(batch)
				batch = []
				if written % 100_000 == 0:
					echo(f"  {written:,} registrations ({time.monotonic() - started:.0f} s)")
	insert_rows(f"tab{DEAL_REGISTRATION}", columns, batch)
	frappe.db.commit()  # nosemgrep: bench command, outside any request
	written += len(batch)
	frappe.db.sql(f"ANALYZE TABLE `tab{DEAL_REGISTRATION}`")  # nosemgrep: refresh index statistics
	echo(f"  {written:,} registrations in {time.monotonic() - started:.1f} s")
	return dict(zip(partners, counts, strict=True))


def make(partners: int, registrations: int, password: str, skew: float = 0.0, echo=print) -> dict:
	"""The whole synthetic programme; returns what the benchmark needs to drive it."""
	remove(echo=lambda *_: None)  # what an interrupted earlier run left
	started = time.monotonic()
	echo(f"making {partners:,} partners and {registrations:,} registrations (marked {MARK}) ...")
	tier, next_tier = make_tiers()
	frappe.db.commit()  # nosemgrep: bench command, outside any request
	made = make_partners(partners, password, tier, echo=echo)
	counts = make_registrations([m["partner"] for m in made], registrations, skew=skew, echo=echo)
	for entry in made:
		entry["registrations"] = counts[entry["partner"]]
	echo(f"synthetic data ready in {time.monotonic() - started:.1f} s")
	return {"partners": made, "tiers": [tier, next_tier]}


# -- removal -----------------------------------------------------------------------------------------


def delete_in_chunks(table: str, column: str, pattern: str) -> int:
	"""DELETE ... WHERE column LIKE pattern, in chunks each committed (a million rows in one
	statement would hold a huge undo log)."""
	deleted = 0
	while True:
		frappe.db.sql(
			f"DELETE FROM `{table}` WHERE `{column}` LIKE %s LIMIT {DELETE_CHUNK}",  # nosemgrep: fixed names
			(pattern,),
		)
		count = frappe.db._cursor.rowcount
		frappe.db.commit()  # nosemgrep: bench command, outside any request
		deleted += max(count, 0)
		if count < DELETE_CHUNK:
			return deleted


def synthetic_users() -> list[str]:
	return frappe.get_all("User", filters={"name": ("like", f"{USER_PREFIX}%@{USER_DOMAIN}")}, pluck="name")


def synthetic_partners() -> list[str]:
	return frappe.get_all(PARTNER, filters={"name": ("like", f"{PARTNER_PREFIX}%")}, pluck="name")


def remove(echo=print) -> dict[str, int]:
	"""Delete every record marked as the benchmark's, and Frappe's rows about its users."""
	started = time.monotonic()
	users = synthetic_users()
	partners = synthetic_partners()
	counts = {}
	registration_like = f"{REGISTRATION_PREFIX}%"
	for child in ("Deal Registration Item", "Deal Registration Extension", "Deal Registration Conflict"):
		counts[child] = delete_in_chunks(f"tab{child}", "parent", registration_like)
	counts[DEAL_REGISTRATION] = delete_in_chunks(f"tab{DEAL_REGISTRATION}", "name", registration_like)
	from prm_app.perf import capabilities

	counts.update(capabilities.remove())
	for doctype, field in (
		("PRM Match Key", "ref_name"),
		("Comment", "reference_name"),
		("Version", "docname"),
		("ToDo", "reference_name"),
	):
		counts[doctype] = delete_in_chunks(f"tab{doctype}", field, registration_like)
	user_like = f"{USER_PREFIX}%@{USER_DOMAIN}"
	partner_like = f"{PARTNER_PREFIX}%"
	for table, column, pattern in (
		(f"tab{PARTNER_USER}", "parent", partner_like),
		("tabPartner", "name", partner_like),
		("tabHas Role", "parent", user_like),
		("tabDefaultValue", "parent", user_like),
		("tabSessions", "user", user_like),
		("tabActivity Log", "user", user_like),
		("tabAccess Log", "user", user_like),
		("tabRoute History", "user", user_like),
		("tabNotification Settings", "name", user_like),
		("tabUser", "name", user_like),
	):
		counts[table] = delete_in_chunks(table, column, pattern)
	frappe.db.sql("DELETE FROM `__Auth` WHERE `doctype` = 'User' AND `name` LIKE %s", (user_like,))
	for tier in frappe.get_all("Program Tier", filters={"name": ("like", f"{TIER_PREFIX}%")}, pluck="name"):
		frappe.db.delete("Program Tier", tier)  # its controller guards a default tier: ours, made here
	frappe.db.commit()  # nosemgrep: bench command, outside any request
	for user in users:
		frappe.cache.hdel("roles", user)
		frappe.clear_cache(user=user)
	from prm_app.portal import metrics

	for partner in partners:
		metrics.invalidate(partner)
	made = {k: v for k, v in counts.items() if v}
	if made or users or partners:
		echo(f"removed the benchmark's records in {time.monotonic() - started:.1f} s: {made}")
	return made
