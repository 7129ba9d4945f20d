app_name = "prm_app"
app_title = "PRM"
app_publisher = "prm_app contributors"
app_description = "Partner Relationship Management for Frappe / ERPNext"
app_email = "maintainers@example.org"
app_license = "mit"

# The "org/repo" form: in v15 a bare "erpnext" makes install-app look the org up on GitHub,
# which fails on an offline or air-gapped server.
required_apps = ["frappe/erpnext"]

add_to_apps_screen = [
	{
		"name": "prm_app",
		"title": "Partners",
		"route": "/app/partners",
		"has_permission": "prm_app.permissions.can_open_desk_workspace",
	}
]

# Install / migrate: roles and custom fields are made idempotently, never exported as fixtures.
before_install = "prm_app.install.before_install"
after_install = "prm_app.install.after_install"
after_migrate = "prm_app.install.after_migrate"

before_tests = "prm_app.tests.utils.before_tests"

# Frappe 15 skips a field after each one it removes for field-level permissions, and checks
# neither filters nor sort and group fields against them; fixed here (prm_app/overrides).
before_request = ["prm_app.overrides.db_query.apply"]
before_job = ["prm_app.overrides.db_query.apply"]
# After session and token authentication: partners get none of Frappe's desk endpoints.
auth_hooks = ["prm_app.permissions.deny_desk_endpoints", "prm_app.agreements.guard_request"]

# Vocabulary shipped as fixtures (re-imported on migrate). Records an admin edits (the Deal
# Registration workflow, its notifications, the review assignment rule) are created once from
# prm_app/defaults by after_install / after_migrate and never overwritten.
fixtures = [
	{
		"dt": "Workflow State",
		"filters": [
			[
				"name",
				"in",
				[
					"Draft",
					"Pending Review",
					"Approved",
					"Rejected",
					"Won",
					"Lost",
					"Expired",
					"Withdrawn",
					"Submitted",  # business plans, MDF requests and claims
					"Agreed",
					"Closed",
					"Cancelled",
				],
			]
		],
	},
	{
		"dt": "Workflow Action Master",
		"filters": [
			[
				"name",
				"in",
				[
					"Submit for Review",
					"Approve",
					"Reject",
					"Withdraw",
					"Mark Lost",
					"Agree",
					"Request Changes",
					"Revise",
				],
			]
		],
	},
]

# Isolation: a partner's website users see only their own partner's records
# (prm_app.permissions.PARTNER_OWNED and PARTNER_OWNED_CHILDREN list them).
_partner_owned = (
	"Partner",
	"Deal Registration",
	"Partner Invitation",
	"Training Attempt",
	"Partner Certification",
	"Partner Tier Change",
	"Partner Application",
	"Partner Agreement Acceptance",
	"Lead Offer",
	"Lead Assignment Log",
	"Partner Business Plan",
	"Partner Asset Download",
	"MDF Budget",
	"MDF Request",
	"MDF Claim",
	"Rebate Accrual",
	"Rebate Settlement",
	"Partner Engagement Event",
	"Partner Sales Month",
)
_partner_owned_children = (
	"Partner User",
	"Deal Registration Item",
	"Deal Registration Extension",
	"Deal Registration Conflict",  # never readable by partners
	"Channel Conflict Record",  # never readable by partners
	# training: never readable by partners (the answer key; the portal shows the rest)
	"Training Lesson",
	"Training Question",
	"Training Question Option",
	"Training Module Partner Type",
	"Training Module Prerequisite",
	"Training Attempt Answer",
	"Partner Business Plan Target",
	"Partner Business Plan Initiative",
	"Partner Business Plan Review",
	"Partner Business Plan Version",
	"Partner Application Match",  # never readable by partners
	"Lead Distribution Rule Partner",  # never readable by partners
	"MDF Budget Adjustment",
	"MDF Claim Lead",
	"Rebate Accrual Invoice",
	"Rebate Settlement Accrual",
)
permission_query_conditions = {
	**{doctype: "prm_app.permissions.query_conditions" for doctype in _partner_owned},
	# child tables read directly (frappe.client.get_list with parent=...)
	**{doctype: "prm_app.permissions.child_query_conditions" for doctype in _partner_owned_children},
}
has_permission = {doctype: "prm_app.permissions.has_permission" for doctype in _partner_owned}
# A partner asset is for the partners its audience names (tier, partner type, publish window).
permission_query_conditions["Partner Asset"] = "prm_app.permissions.asset_query_conditions"
permission_query_conditions["Partner Asset Audience"] = "prm_app.permissions.asset_audience_query_conditions"
has_permission["Partner Asset"] = "prm_app.permissions.asset_has_permission"
# A partner user's File: its content uploaded, attached only where the user may write
# (prm_app/integrations/partner_files.py)
has_permission["File"] = "prm_app.integrations.partner_files.has_permission"

# Match keys of every place an end customer can already exist, kept current.
_match_key_events = {
	"on_update": "prm_app.conflict.keys.on_change",
	"on_submit": "prm_app.conflict.keys.on_change",
	"on_cancel": "prm_app.conflict.keys.on_change",
	"on_update_after_submit": "prm_app.conflict.keys.on_change",
	"on_trash": "prm_app.conflict.keys.on_trash",
	"after_rename": "prm_app.conflict.keys.after_rename",
}

doc_events = {
	"Version": {"before_insert": "prm_app.integrations.version.before_insert"},
	# the portal's per-user limit on new registrations, on every path (portal, REST, Web Form)
	"Deal Registration": {
		"before_insert": "prm_app.portal.ratelimit.limit_registrations",
		# a partner user's submission is partner engagement (prm_app.engagement)
		"on_update": "prm_app.engagement.on_registration_update",
	},
	"Partner": {"on_trash": "prm_app.engagement.on_partner_trash"},
	"Training Attempt": {"after_insert": "prm_app.engagement.on_training_attempt"},
	"Lead Assignment Log": {"after_insert": "prm_app.engagement.on_lead_answered"},
	"Partner Asset Download": {"after_insert": "prm_app.engagement.on_asset_download"},
	"MDF Request": {"on_update": "prm_app.engagement.on_submitted_for_review"},
	"Partner Business Plan": {"on_update": "prm_app.engagement.on_submitted_for_review"},
	# a partner invoice keeps its gross profit (prm_app.insights.margins) and adds to its partner's
	# monthly sales (prm_app.insights.sales), which the scorecard and the 80/20 view read
	"Sales Invoice": {
		"before_submit": "prm_app.insights.margins.before_submit",
		"on_submit": "prm_app.insights.sales.on_submit",
		"on_cancel": "prm_app.insights.sales.on_cancel",
	},
	"Customer": dict(_match_key_events),
	"Lead": dict(_match_key_events),
	"Opportunity": dict(_match_key_events),
	"Quotation": dict(_match_key_events),
	"Sales Order": {
		**_match_key_events,
		"before_validate": "prm_app.integrations.sales_order.before_validate",
		"on_submit": ["prm_app.conflict.keys.on_change", "prm_app.integrations.sales_order.on_submit"],
		"on_cancel": ["prm_app.conflict.keys.on_change", "prm_app.integrations.sales_order.on_cancel"],
	},
	# files partner users make or change (partner_files); MDF proof of performance (proof_files);
	# payments of MDF claims' payouts
	"File": {
		"before_validate": "prm_app.integrations.partner_files.before_validate",
		"before_insert": "prm_app.integrations.proof_files.before_insert",
		"validate": "prm_app.integrations.proof_files.validate",
		"on_trash": "prm_app.integrations.proof_files.on_trash",
	},
	"Payment Entry": {
		"on_submit": "prm_app.integrations.mdf_payout.on_payment",
		"on_cancel": "prm_app.integrations.mdf_payout.on_payment",
	},
	"Journal Entry": {
		"on_submit": "prm_app.integrations.mdf_payout.on_payment",
		"on_cancel": "prm_app.integrations.mdf_payout.on_payment",
	},
	# a partner's cached dashboard figures are computed again after a write that changes them
	# (registrations, invoices, orders, certifications, the partner, the tiers: metrics.SOURCES)
	"*": {
		"on_change": ["prm_app.portal.metrics.on_document_change", "prm_app.portal.forms.forget_choices"],
		"on_trash": ["prm_app.portal.metrics.on_document_change", "prm_app.portal.forms.forget_choices"],
		"after_rename": "prm_app.portal.forms.forget_choices",
	},
}

scheduler_events = {
	"daily_long": [
		"prm_app.tasks.expire_registrations",
		"prm_app.tasks.expire_certifications",
		"prm_app.tasks.evaluate_tiers",
		"prm_app.integrations.lead_distribution.update_all_lead_metrics",
		"prm_app.integrations.mdf_budget.allocate_current_periods",
		"prm_app.integrations.rebates.accrue_closed_periods",
		"prm_app.integrations.mdf_payout.refresh_all_paid",
		"prm_app.insights.sales.refresh",
		"prm_app.insights.health.refresh",
	],
	"weekly_long": ["prm_app.insights.health.send_digest"],
	# lead service levels: offers past their time are taken back and offered to the next partner
	"cron": {"*/5 * * * *": ["prm_app.integrations.lead_distribution.run"]},
	"hourly": ["prm_app.prm_app.doctype.partner_application.partner_application.check_unchecked"],
}

# Other apps may add rules: functions (registration, matches) -> matches to keep.
prm_conflict_rules = []

# Partner portal (www/partner): its menu, where partner users land after login, its routes.
standard_portal_menu_items = [
	{"title": "Dashboard", "route": "/partner", "reference_doctype": "Partner", "role": "Partner"},
	{
		"title": "Deal Registrations",
		"route": "/partner/deals",
		"reference_doctype": "Deal Registration",
		"role": "Partner",
	},
	{"title": "Team", "route": "/partner/team", "reference_doctype": "Partner", "role": "Partner Admin"},
	{
		"title": "Training",
		"route": "/partner/training",
		"reference_doctype": "Partner Certification",
		"role": "Partner",
	},
	{
		"title": "Company Profile",
		"route": "/partner/profile",
		"reference_doctype": "Partner",
		"role": "Partner",
	},
	{"title": "Leads", "route": "/partner/leads", "reference_doctype": "Lead Offer", "role": "Partner"},
	{
		"title": "Business Plan",
		"route": "/partner/plan",
		"reference_doctype": "Partner Business Plan",
		"role": "Partner",
	},
	{"title": "Assets", "route": "/partner/assets", "reference_doctype": "Partner Asset", "role": "Partner"},
	{
		"title": "Partner Agreement",
		"route": "/partner/agreement",
		"reference_doctype": "Partner Agreement",
		"role": "Partner",
	},
	{"title": "MDF", "route": "/partner/mdf", "reference_doctype": "MDF Request", "role": "Partner"},
	{
		"title": "Incentives",
		"route": "/partner/incentives",
		"reference_doctype": "Partner",
		"role": "Partner",
	},
	{"title": "Scorecard", "route": "/partner/scorecard", "reference_doctype": "Partner", "role": "Partner"},
]

# Partner users land on /partner after signing in. (Not ``role_home_page``: on Frappe 16 it also
# sends desk users that hold every role, Administrator included, to the portal.)
get_website_user_home_page = "prm_app.portal.pages.home_page"

# The portal's pages with a record's name in their path (/partner/deals/<name>, ...): matched by
# the portal's own renderer (prm_app/portal/routes.py), not website_route_rules, which Frappe
# compiles again for every request to any page of the site.
page_renderer = ["prm_app.portal.routes.PortalRoutePage"]
# ... and answered without the site's route rules, which no portal path goes through (Frappe
# builds their map for every request); every other path is resolved by Frappe as before.
website_path_resolver = ["prm_app.portal.routes.resolve_path"]

has_website_permission = {
	"Partner": "prm_app.permissions.has_website_permission",
	"Deal Registration": "prm_app.permissions.has_website_permission",
	"MDF Request": "prm_app.permissions.has_website_permission",
	"MDF Claim": "prm_app.permissions.has_website_permission",
}

# Partners see the partner portal's menu, not Frappe's role-less items (Addresses, Newsletter...)
# nor the newsletter sign-up, unless PRM Settings says otherwise.
update_website_context = ["prm_app.portal.pages.update_website_context"]

# prm_programme() in e-mail templates: the programme's name and logo (prm_app/emails.py)
jinja = {"methods": ["prm_app.emails.prm_programme"]}

doctype_js = {
	"Sales Order": "public/js/sales_order.js",
	"Lead": ["public/js/lead_actions.js", "public/js/lead.js"],
}
doctype_list_js = {"Lead": ["public/js/lead_actions.js", "public/js/lead_list.js"]}
# a Lead's form lists the offers made of it and its assignment history
override_doctype_dashboards = {"Lead": "prm_app.integrations.lead_distribution.lead_dashboard"}

# Insights: partner engagement (prm_app.engagement) and the records that only log, sum or list others:
# deleting a Partner, a User or a demo record's document is never blocked by them.
on_session_creation = ["prm_app.engagement.on_session_creation"]
ignore_links_on_delete = ["Partner Engagement Event", "Partner Sales Month", "PRM Demo Record"]
