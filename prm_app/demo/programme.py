"""The programme itself: tiers, regions, partner types, the channel team, partners with their portal
users, the products sold and the partners' end customers; and, last, the first health check."""

import frappe
from frappe.utils import add_days, today
from frappe.utils.nestedset import get_root_of
from frappe.utils.password import update_password

from prm_app.constants import PARTNER, PARTNER_MANAGER
from prm_app.demo import data, days_ago
from prm_app.engine import partner_status


def slug(text: str) -> str:
	return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def build(demo) -> None:
	tiers(demo)
	regions(demo)
	partner_types(demo)
	managers(demo)
	partners(demo)


def tiers(demo) -> None:
	from frappe.query_builder.functions import Max

	table = frappe.qb.DocType("Program Tier")
	rank = int(frappe.qb.from_(table).select(Max(table.rank)).run()[0][0] or 0)
	has_default = frappe.db.exists("Program Tier", {"is_default": 1})
	for values in data.TIERS:
		name = values["tier_name"]
		if frappe.db.exists("Program Tier", name):
			demo.tiers[name] = name
			continue
		rank += 1
		doc = frappe.get_doc({"doctype": "Program Tier", **values, "rank": rank})
		doc.is_default = 0 if has_default else int(name == data.TIERS[0]["tier_name"])
		doc.insert(ignore_permissions=True)
		demo.record("Program Tier", doc.name)
		demo.tiers[name] = doc.name
	demo.echo(f"  tiers: {', '.join(demo.tiers)}")


def regions(demo) -> None:
	root = get_root_of("Territory")
	for region in data.REGIONS:
		if frappe.db.exists("Territory", region):
			continue
		doc = frappe.get_doc({"doctype": "Territory", "territory_name": region, "parent_territory": root})
		doc.insert(ignore_permissions=True)
		demo.record("Territory", doc.name)


def partner_types(demo) -> None:
	for kind in data.PARTNER_TYPES:
		if not frappe.db.exists("Sales Partner Type", kind):
			frappe.get_doc({"doctype": "Sales Partner Type", "sales_partner_type": kind}).insert(
				ignore_permissions=True
			)
			demo.record("Sales Partner Type", kind)


def make_user(demo, email: str, first: str, last: str, roles: tuple, website: bool) -> str:
	if frappe.db.exists("User", email):
		return email
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": first,
			"last_name": last,
			"user_type": "Website User" if website else "System User",
			"enabled": 1,  # set here: no defaults are applied while importing (below)
			"send_welcome_email": 0,
			"roles": [{"role": role} for role in roles],
		}
	)
	user.flags.no_welcome_mail = True
	# Frappe refuses a 61st user within an hour unless importing: the demo makes about 60 at once
	importing = frappe.flags.in_import
	frappe.flags.in_import = True
	try:
		user.insert(ignore_permissions=True)
	finally:
		frappe.flags.in_import = importing
	update_password(email, demo.password)
	demo.record("User", email)
	return email


def managers(demo) -> None:
	for first, last in data.MANAGERS:
		email = f"{first.lower()}.{last.lower()}@channel-team.example"
		demo.managers.append(make_user(demo, email, first, last, (PARTNER_MANAGER,), website=False))


def partner_names(count: int) -> list[str]:
	names = []
	for i in range(count):
		prefix = data.PREFIXES[i % len(data.PREFIXES)]
		suffix = data.SUFFIXES[(i * 3 + i // len(data.PREFIXES)) % len(data.SUFFIXES)]
		names.append(f"{prefix} {suffix}")
	return names


def statuses(count: int) -> list[str]:
	"""Mostly Active; a few onboarding, one prospect, one suspended (the tail of the list)."""
	if count >= 10:
		tail = [
			partner_status.ONBOARDING,
			partner_status.ONBOARDING,
			partner_status.PROSPECT,
			partner_status.SUSPENDED,
		]
	else:
		tail = [partner_status.ONBOARDING, partner_status.SUSPENDED][: max(0, count - 2)]
	return [partner_status.ACTIVE] * (count - len(tail)) + tail


def tier_for(index: int, selling: int) -> str:
	for tier, share in data.TIER_SHARES:
		if index < max(1, round(share * selling)):
			return tier
	return data.TIER_SHARES[-1][0]


def partners(demo) -> None:
	count = demo.size["partners"]
	names = [n for n in partner_names(count * 2) if not frappe.db.exists(PARTNER, n)][:count]
	kinds = statuses(len(names))
	selling = sum(1 for k in kinds if k in (partner_status.ACTIVE, partner_status.SUSPENDED))
	for index, (name, status) in enumerate(zip(names, kinds, strict=True)):
		region = data.REGIONS[index % len(data.REGIONS)]
		kind = data.PARTNER_TYPES[index % len(data.PARTNER_TYPES)]
		domain = f"{slug(name)}.example"
		admin = make_user(demo, f"admin@{domain}", name.split()[0], "Admin", (), website=True)
		users = [(admin, "Partner Admin")]
		if index < 5:
			users.append(
				(
					make_user(demo, f"sales@{domain}", name.split()[0], "Sales", (), website=True),
					"Partner User",
				)
			)
		tier = demo.tiers.get(tier_for(index, selling) if status != partner_status.PROSPECT else "Registered")
		doc = frappe.get_doc(
			{
				"doctype": PARTNER,
				"partner_name": name,
				"partner_type": kind,
				"status": partner_status.PROSPECT,
				"program_tier": tier,
				"territory": region,
				"partner_manager": demo.managers[index % len(demo.managers)],
				"description": f"{kind} serving {region}.",
				"users": [{"user": user, "role": role} for user, role in users],
			}
		)
		doc.insert(ignore_permissions=True)
		demo.record(PARTNER, doc.name)
		path = {
			partner_status.ACTIVE: (partner_status.ACTIVE,),
			partner_status.SUSPENDED: (partner_status.ACTIVE, partner_status.SUSPENDED),
			partner_status.ONBOARDING: (partner_status.ONBOARDING,),
			partner_status.PROSPECT: (),
		}[status]
		for step in path:
			doc.reload()
			doc.status = step
			doc.save(ignore_permissions=True)
		doc.reload()
		for doctype, fieldname in (
			("Sales Partner", "sales_partner"),
			("Customer", "customer"),
			("Supplier", "supplier"),
		):
			demo.record_if_new(doctype, doc.get(fieldname))
		joined = add_days(today(), -demo.rng.randint(400, 900))
		if status in (partner_status.ACTIVE, partner_status.SUSPENDED):
			doc.db_set("joined_on", joined, update_modified=False)
		if status == partner_status.ONBOARDING:
			# the first one has been onboarding for three months: its onboarding has stalled
			stalled = sum(1 for p in demo.partners if p.status == partner_status.ONBOARDING) == 0
			doc.db_set("onboarding_started_on", days_ago(95 if stalled else 12), update_modified=False)
		demo.partners.append(
			frappe._dict(
				name=doc.name,
				status=status,
				tier=tier,
				kind=kind,
				region=region,
				admin=admin,
				users=[u for u, _r in users],
				index=index,
			)
		)
	demo.echo(f"  {len(demo.partners)} partners, {sum(len(p.users) for p in demo.partners)} portal users")


def catalogue(demo) -> None:
	"""The products partners sell and each selling partner's end customers."""
	group = frappe.db.get_value("Item Group", {"is_group": 0}, "name") or get_root_of("Item Group")
	for code, item_name, stock, rate, cost in data.ITEMS:
		if not frappe.db.exists("Item", code):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": code,
					"item_name": item_name,
					"item_group": group,
					"stock_uom": "Nos",
					"is_stock_item": stock,
					"is_sales_item": 1,
					"valuation_rate": cost,
					"standard_rate": rate,
				}
			).insert(ignore_permissions=True)
			demo.record("Item", code)
			demo.record_if_new("Item Price", frappe.db.get_value("Item Price", {"item_code": code}, "name"))
		demo.items.append(frappe._dict(code=code, name=item_name, stock=stock, rate=rate))
	customer_group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name") or get_root_of(
		"Customer Group"
	)
	names = iter(customer_names())
	for partner in demo.partners:
		if partner.status not in (partner_status.ACTIVE, partner_status.SUSPENDED):
			continue
		mine = []
		for _i in range(demo.size["customers"]):
			name = next(names)
			if not frappe.db.exists("Customer", name):
				frappe.get_doc(
					{
						"doctype": "Customer",
						"customer_name": name,
						"customer_type": "Company",
						"customer_group": customer_group,
						"territory": partner.region,
						"prm_partner": partner.name,
					}
				).insert(ignore_permissions=True)
				demo.record("Customer", name)
			mine.append(name)
		demo.customers[partner.name] = mine
	demo.echo(f"  {len(demo.items)} products, {sum(len(c) for c in demo.customers.values())} end customers")


def customer_names():
	"""Unique end-customer names: the first word of one pair with the second of another (no two
	alike once legal forms are ignored), a legal form for flavour."""
	words = data.CUSTOMER_WORDS
	for shift in range(len(words)):
		for i, (first, _second) in enumerate(words):
			second = words[(i + shift) % len(words)][1]
			yield f"{first} {second} {data.CUSTOMER_SUFFIXES[(i + shift) % len(data.CUSTOMER_SUFFIXES)]}"


def health(demo) -> None:
	from prm_app.insights.health import refresh

	counts = refresh(commit=demo.commit)
	demo.echo(f"  health check: {counts['at_risk']} of {counts['partners']} partners at risk")
