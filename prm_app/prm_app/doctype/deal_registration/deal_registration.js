// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Deal Registration", {
	setup(frm) {
		frm.set_query("item_code", "items", () => ({ filters: { is_sales_item: 1, disabled: 0 } }));
		frm.set_query("partner", () => ({ filters: { status: "Active" } }));
	},

	refresh(frm) {
		if (frm.is_new()) return;
		const pending = (frm.doc.extensions || []).find((row) => row.decision === "Pending");

		if (frm.doc.status === "Approved" && !pending && frm.perm[0].write) {
			frm.add_custom_button(__("Request Extension"), () => request_extension(frm));
		}
		if (pending && frappe.user.has_role(["Partner Manager", "System Manager"])) {
			for (const decision of ["Approved", "Rejected"]) {
				frm.add_custom_button(
					__(decision === "Approved" ? "Approve Extension" : "Reject Extension"),
					() =>
						frm
							.call("decide_extension", { row_name: pending.name, decision })
							.then(() => frm.reload_doc()),
					__("Extension")
				);
			}
		}
		if (frm.doc.channel_conflict) {
			frm.add_custom_button(__("Channel Conflict"), () =>
				frappe.set_route("Form", "Channel Conflict", frm.doc.channel_conflict)
			);
		}
		render_conflict_evidence(frm);
		const colors = { Clear: "green", "Possible Conflict": "orange", Conflict: "red" };
		if (frm.doc.conflict_status) {
			frm.dashboard.add_indicator(
				__("Conflict check: {0}", [__(frm.doc.conflict_status)]),
				colors[frm.doc.conflict_status]
			);
		}
	},
});

function request_extension(frm) {
	frappe.prompt(
		[
			{ fieldname: "days", fieldtype: "Int", label: __("Days"), reqd: 1, default: 30 },
			{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
		],
		(values) => frm.call("request_extension", values).then(() => frm.reload_doc()),
		__("Request Extension"),
		__("Request")
	);
}

// The conflict evidence as a readable panel: each matched record as a link, its score and reasons.
function render_conflict_evidence(frm) {
	const field = frm.fields_dict.conflict_evidence_html;
	if (!field) return;
	const rows = frm.doc.conflicts || [];
	const esc = frappe.utils.escape_html;
	if (!rows.length) {
		field.$wrapper.html(
			`<p class="text-muted">${esc(frm.doc.conflict_checked_on ? __("No matches.") : __("Not checked yet."))}</p>`
		);
		return;
	}
	const colour = (score) => (score >= 95 ? "red" : score >= 85 ? "orange" : "gray");
	field.$wrapper.html(`
		<div class="prm-evidence">
			${rows
				.map(
					(r) => `
				<div class="prm-evidence-row" style="border:1px solid var(--border-color);border-radius:8px;padding:8px 12px;margin-bottom:8px">
					<div class="flex justify-between">
						<div>
							<span class="text-muted">${esc(__(r.matched_doctype))}</span>
							<a href="${esc(frappe.utils.get_form_link(r.matched_doctype, r.matched_record))}">${esc(r.matched_record)}</a>
							<strong>${esc(r.matched_name || "")}</strong>
							${r.has_priority ? `<span class="indicator-pill red">${esc(__("registered earlier"))}</span>` : ""}
						</div>
						<span class="indicator-pill ${colour(r.score)}">${esc(__("Score {0}", [r.score]))}</span>
					</div>
					<ul class="text-muted" style="margin:4px 0 0 1rem">${(r.reasons || "")
						.split("\n")
						.filter(Boolean)
						.map((reason) => `<li>${esc(reason)}</li>`)
						.join("")}</ul>
				</div>`
				)
				.join("")}
		</div>`);
}
