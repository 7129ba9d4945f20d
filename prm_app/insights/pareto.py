"""The 80/20 view: partners ranked by revenue or gross profit, with the cut where 80% is reached.

Both measures are sums over the company's submitted Sales Invoices tagged with a partner, in the
company's currency (``prm_app.insights.sales``: whole months from the monthly sums, the edges from
the invoices): revenue is ``base_net_total`` (credit notes are negative and net themselves out);
gross profit is ``prm_gross_profit``, the margin kept on each invoice when it is submitted
(``prm_app.insights.margins``: the lines' net amount less the cost ERPNext records for them).
"""

import frappe

from prm_app.engine import insights as rules
from prm_app.insights import sales
from prm_app.insights.scope import Scope, partners, scope_from

REVENUE = "Revenue"
GROSS_PROFIT = "Gross Profit"
MEASURES = (REVENUE, GROSS_PROFIT)


def revenue(scope: Scope) -> dict[str, float]:
	return {
		partner: row[0]
		for partner, row in sales.invoiced(scope.company, scope.from_date, scope.to_date).items()
	}


def gross_profit(scope: Scope) -> dict[str, float]:
	"""The gross profit kept on each invoice when it was submitted (``prm_app.insights.margins``)."""
	return {
		partner: row[1]
		for partner, row in sales.invoiced(scope.company, scope.from_date, scope.to_date).items()
	}


def build(filters: dict | None = None, measure: str = REVENUE) -> frappe._dict:
	"""The filtered partners (those without any invoice included, at 0) ranked by ``measure``."""
	scope = scope_from(filters)
	selected = {p.name: p for p in partners(filters)}
	values = (gross_profit if measure == GROSS_PROFIT else revenue)(scope)
	result = rules.pareto({name: values.get(name, 0.0) for name in selected})
	return frappe._dict(scope=scope, partners=selected, pareto=result, measure=measure)
