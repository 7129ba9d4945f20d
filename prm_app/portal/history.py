"""What the portal's record pages read for a record's history: the partner's team (whose names are
shown) and the record's workflow steps and system notes."""

import frappe

from prm_app.constants import PARTNER, PARTNER_USER
from prm_app.queries import param, prepared


@prepared
def team_users():
	member = frappe.qb.DocType(PARTNER_USER)
	return (
		frappe.qb.from_(member)
		.select(member.user)
		.where(
			(member.parent == param("partner"))
			& (member.parenttype == PARTNER)
			& (member.parentfield == "users")
		)
	)


def team_of(partner: str) -> set[str]:
	"""The partner's users (their names are shown in a record's history)."""
	return {user for (user,) in team_users(partner=partner, as_list=True)}


@prepared
def record_comments():
	comment = frappe.qb.DocType("Comment")
	return (
		frappe.qb.from_(comment)
		.select(comment.comment_type, comment.content, comment.owner, comment.creation)
		.where(
			(comment.reference_doctype == param("doctype"))
			& (comment.reference_name == param("name"))
			& comment.comment_type.isin(("Workflow", "Info"))
		)
		.orderby(comment.creation)
	)


def comments_of(doc) -> list[frappe._dict]:
	"""The record's workflow steps and system notes, oldest first."""
	return record_comments(doctype=doc.doctype, name=doc.name)
