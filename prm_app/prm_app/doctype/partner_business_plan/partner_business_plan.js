// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

// Targets against actuals, computed on the server (the plan's onload), never typed.
const PRM_PLAN_LABELS = {
	revenue: __("Revenue"),
	new_customers: __("New customers"),
	registrations: __("Deal registrations"),
	certified_people: __("Certified people"),
	mdf_planned: __("MDF planned"),
};

frappe.ui.form.on("Partner Business Plan", {
	setup(frm) {
		frm.set_query("partner", () => ({ filters: { status: ["in", ["Onboarding", "Active"]] } }));
	},
	refresh(frm) {
		const data = (frm.doc.__onload || {}).target_vs_actual;
		const field = frm.get_field("actuals_html");
		if (!data) {
			field.$wrapper.html(`<p class="text-muted">${__("Save the plan to see its actuals.")}</p>`);
			return;
		}
		const cell = {};
		for (const line of data.lines) cell[`${line.metric}|${line.quarter}`] = line;
		const quarters = [...data.quarters.map((q) => q.label), "Year"];
		const money = new Set(["revenue", "mdf_planned"]);
		const show = (value, metric) =>
			value === null || value === undefined
				? "&mdash;"
				: money.has(metric)
				? format_currency(value, frm.doc.currency)
				: frappe.utils.escape_html(String(value));
		let html = `<table class="table table-bordered table-sm"><thead><tr><th></th>`;
		html += quarters.map((q) => `<th class="text-right">${frappe.utils.escape_html(q)}</th>`).join("");
		html += "</tr></thead><tbody>";
		for (const metric of Object.keys(PRM_PLAN_LABELS)) {
			html += `<tr><th>${PRM_PLAN_LABELS[metric]}</th>`;
			for (const q of quarters) {
				const line = cell[`${metric}|${q}`] || {};
				const percent = line.percent === null || line.percent === undefined ? "" : ` · ${line.percent}%`;
				html += `<td class="text-right"><div>${show(line.actual, metric)}</div>`;
				html += `<div class="text-muted small">${__("of {0}", [show(line.target, metric)])}${percent}</div></td>`;
			}
			html += "</tr>";
		}
		html += "</tbody></table>";
		html += `<p class="text-muted small">${__(
			"Actuals: submitted Sales Invoices of the partner, its deal registrations and certifications; a quarter not started shows none."
		)}</p>`;
		field.$wrapper.html(html);
	},
});
