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

# Isolation: a partner's website users see only their own partner's records.
permission_query_conditions = {
	"Partner": "prm_app.permissions.partner_query_conditions",
}

has_permission = {
	"Partner": "prm_app.permissions.partner_has_permission",
}
