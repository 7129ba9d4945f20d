"""/partner/team: a Partner Admin invites colleagues, changes their role, deactivates them."""

from frappe import _

from prm_app.api import team
from prm_app.constants import TEAM_ROLES
from prm_app.portal import pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(context, _("Team"), admin_only=True)
	context.roles = [(role, _(role)) for role in TEAM_ROLES]
	pages.handle_post(
		context,
		{
			"invite": invite,
			"role": change_role,
			"deactivate": lambda form: enable(form, 0),
			"reactivate": lambda form: enable(form, 1),
		},
	)
	context.team = team.get_team()
	render.render_page(context, "team.html")


def invite(form) -> str:
	team.invite_member(
		email=form.get("email"),
		first_name=form.get("first_name"),
		last_name=form.get("last_name"),
		role=form.get("role"),
	)
	return "/partner/team?done=invited"


def change_role(form) -> str:
	team.set_member_role(user=form.get("user"), role=form.get("role"))
	return "/partner/team?done=role"


def enable(form, enabled: int) -> str:
	if enabled:
		team.reactivate_member(user=form.get("user"))
		return "/partner/team?done=reactivated"
	team.deactivate_member(user=form.get("user"))
	return "/partner/team?done=deactivated"
