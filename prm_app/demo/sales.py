"""A year of Sales Orders and their Sales Invoices through the partners, Pareto-like: the selling
partners' yearly revenue follows ``zipf_weights`` (about 80% from the top 20%), two partners
sell much less lately (their revenue falls period over period), the rest spread over the year."""

from datetime import timedelta

import frappe
from frappe.utils import add_days, flt, getdate, today

from prm_app.demo import days_ago
from prm_app.engine import insights as rules
from prm_app.engine import partner_status

ORDER_SIZE = 30_000  # the typical order, for how many orders a partner's revenue makes


def fiscal_years(demo, since) -> None:
	"""Fiscal years back to ``since`` (the site's own pattern of year start), made where missing."""
	day = getdate(since)
	for _attempt in range(5):
		if frappe.db.exists(
			"Fiscal Year", {"year_start_date": ("<=", day), "year_end_date": (">=", day), "disabled": 0}
		):
			return
		earliest = frappe.get_all(
			"Fiscal Year", fields=["year_start_date"], order_by="year_start_date asc", limit=1
		)
		if earliest:
			first = getdate(earliest[0].year_start_date)
			start, end = first.replace(year=first.year - 1), first - timedelta(days=1)
		else:
			start, end = getdate(f"{day.year}-01-01"), getdate(f"{day.year}-12-31")
		name = str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
		frappe.get_doc(
			{"doctype": "Fiscal Year", "year": name, "year_start_date": start, "year_end_date": end}
		).insert(ignore_permissions=True)
		frappe.cache().delete_value("fiscal_years")  # ERPNext caches them per company
		demo.record("Fiscal Year", name)


def warehouse(demo) -> str | None:
	return frappe.db.get_value(
		"Warehouse", {"company": demo.company, "is_group": 0, "warehouse_name": "Stores"}, "name"
	) or frappe.db.get_value("Warehouse", {"company": demo.company, "is_group": 0}, "name")


def products_for(demo, kind: str) -> list:
	hardware = [item for item in demo.items if item.stock]
	software = [item for item in demo.items if not item.stock]
	if kind in ("Reseller", "Distributor"):
		return hardware + software[:1]
	if kind in ("Implementation Partner", "Agent"):
		return software
	return demo.items


def order_dates(demo, count: int, falling: bool) -> list:
	"""Days of a partner's orders: spread over the year, or (a falling partner) mostly long ago."""
	if falling:
		# sold well until three months ago (the quarter before the last one), nothing since
		return sorted(
			days_ago(demo.rng.randint(95, 175) if i % 3 else demo.rng.randint(176, 360))
			for i in range(max(count, 3))
		)
	# a steady partner has sold recently too: its latest order is within the last ten weeks
	return sorted(
		[*(days_ago(demo.rng.randint(5, 360)) for _ in range(count - 1)), days_ago(demo.rng.randint(5, 70))]
	)


def build(demo) -> None:
	from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

	fiscal_years(demo, add_days(today(), -370))
	store = warehouse(demo)
	selling = [p for p in demo.partners if p.status in (partner_status.ACTIVE, partner_status.SUSPENDED)]
	weights = rules.zipf_weights(len(selling))
	# two mid-table partners whose sales dry up: the early warning flags them
	falling = {p.name for p in selling[len(selling) // 3 : len(selling) // 3 + 2]}
	orders = invoices = 0
	for partner, weight in zip(selling, weights, strict=True):
		partner.falling = partner.name in falling
		revenue = demo.size["revenue"] * weight
		count = max(1, min(demo.size["max_invoices"], round(revenue / ORDER_SIZE)))
		products = products_for(demo, partner.kind)
		sales_partner = frappe.db.get_value("Partner", partner.name, "sales_partner")
		days = order_dates(demo, count, partner.falling)
		for day in days:
			target = revenue / len(days) * demo.rng.uniform(0.6, 1.4)
			lines = demo.rng.sample(products, k=min(len(products), demo.rng.randint(1, 3)))
			items = []
			for line in lines:
				qty = max(1, round(target / len(lines) / line.rate))
				items.append(
					{
						"item_code": line.code,
						"qty": qty,
						"rate": line.rate,
						"delivery_date": add_days(day, 14),
						"warehouse": store,
					}
				)
			order = frappe.get_doc(
				{
					"doctype": "Sales Order",
					"customer": demo.rng.choice(demo.customers[partner.name]),
					"company": demo.company,
					"transaction_date": day,
					"delivery_date": add_days(day, 14),
					"prm_partner": partner.name,
					"sales_partner": sales_partner,
					"items": items,
				}
			)
			order.insert(ignore_permissions=True)
			order.submit()
			demo.record("Sales Order", order.name)
			orders += 1
			invoice = make_sales_invoice(order.name)
			posted = min(getdate(add_days(day, demo.rng.randint(0, 10))), getdate(today()))
			invoice.set_posting_time = 1
			invoice.posting_date = posted
			invoice.due_date = add_days(posted, 30)
			invoice.prm_partner = partner.name
			invoice.insert(ignore_permissions=True)
			invoice.submit()
			demo.record("Sales Invoice", invoice.name)
			invoices += 1
		partner.revenue = flt(revenue)
	demo.echo(f"  {orders} sales orders, {invoices} sales invoices")
