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
auth_hooks = ["prm_app.permissions.deny_desk_endpoints"]

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
				["Draft", "Pending Review", "Approved", "Rejected", "Won", "Lost", "Expired", "Withdrawn"],
			]
		],
	},
	{
		"dt": "Workflow Action Master",
		"filters": [["name", "in", ["Submit for Review", "Approve", "Reject", "Withdraw", "Mark Lost"]]],
	},
]

# Isolation: a partner's website users see only their own partner's records
# (prm_app.permissions.PARTNER_OWNED and PARTNER_OWNED_CHILDREN list them).
_partner_owned = ("Partner", "Deal Registration", "Partner Invitation")
_partner_owned_children = (
	"Partner User",
	"Deal Registration Item",
	"Deal Registration Extension",
	"Deal Registration Conflict",  # never readable by partners
	"Channel Conflict Record",  # never readable by partners
)
permission_query_conditions = {
	**{doctype: "prm_app.permissions.query_conditions" for doctype in _partner_owned},
	# child tables read directly (frappe.client.get_list with parent=...)
	**{doctype: "prm_app.permissions.child_query_conditions" for doctype in _partner_owned_children},
}
has_permission = {doctype: "prm_app.permissions.has_permission" for doctype in _partner_owned}

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
	"Deal Registration": {"before_insert": "prm_app.portal.ratelimit.limit_registrations"},
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
	# a partner's cached dashboard figures are computed again after a write that changes them
	# (registrations, invoices, orders, certifications, the partner, the tiers: metrics.SOURCES)
	"*": {
		"on_change": "prm_app.portal.metrics.on_document_change",
		"on_trash": "prm_app.portal.metrics.on_document_change",
	},
}

scheduler_events = {
	"daily_long": ["prm_app.tasks.expire_registrations"],
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
		"title": "Company Profile",
		"route": "/partner/profile",
		"reference_doctype": "Partner",
		"role": "Partner",
	},
]

role_home_page = {"Partner": "partner", "Partner Admin": "partner"}

website_route_rules = [
	{"from_route": "/partner/deals/new", "to_route": "partner/deals/new"},
	{"from_route": "/partner/deals/<name>/edit", "to_route": "partner/deals/edit"},
	{"from_route": "/partner/deals/<name>", "to_route": "partner/deals/deal"},
]

has_website_permission = {
	"Partner": "prm_app.permissions.has_website_permission",
	"Deal Registration": "prm_app.permissions.has_website_permission",
}

# Partners see the partner portal's menu, not Frappe's role-less items (Addresses, Newsletter...)
# nor the newsletter sign-up, unless PRM Settings says otherwise.
update_website_context = ["prm_app.portal.pages.update_website_context"]

doctype_js = {"Sales Order": "public/js/sales_order.js"}
