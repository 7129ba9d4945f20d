"""The portal's pages that take a record's name in their path: ``/partner/deals/<name>`` and the like.

Frappe matches ``website_route_rules`` by building a werkzeug ``Map`` of every installed app's rules
on every website request: with ERPNext and prm_app that is 41 rules, 6 to 8 ms of a 14 ms page on
Frappe 16, and the portal's 13 rules were 2 to 3 ms of it, paid by every page of the site (the shop,
the blog, the login page), not only by the portal's. The portal's routes are matched here instead,
by a page renderer (the ``page_renderer`` hook, asked before Frappe's own) whose map is compiled
once per worker process and is consulted only for paths under ``partner/``; any other path costs it
a prefix test.

A matched path is rendered exactly as a route rule would have it: the ``www`` page named by the
route, with the path's parts (``name``) in ``frappe.form_dict`` and the page not cached.

Before any renderer is asked, Frappe maps the path through the site's route rules (ERPNext's 28
and every web-view DocType's), building that werkzeug ``Map`` again for every request: 5 to 7 ms
of CPU on Frappe 16. No rule maps a portal page to another page (a rule under ``partner/`` would
already be shadowed by the portal's renderer), so ``resolve_path`` (the ``website_path_resolver``
hook) answers a path the portal renders as it is, and hands every other path, a mistyped
``partner/...`` included, to Frappe's own resolution unchanged.
"""

import functools

import frappe
from frappe.website.page_renderers.base_renderer import BaseRenderer
from frappe.website.page_renderers.not_found_page import NotFoundPage
from frappe.website.page_renderers.template_page import TemplatePage
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RequestRedirect, Rule

PREFIX = "partner/"

# (path pattern, the www page that renders it); a fixed path before a pattern that would take it
ROUTES = (
	("/partner/deals/new", "partner/deals/new"),
	("/partner/deals/<name>/edit", "partner/deals/edit"),
	("/partner/deals/<name>", "partner/deals/deal"),
	("/partner/training/certificate/<name>", "partner/training/certificate"),
	("/partner/training/<name>", "partner/training/module"),
	("/partner/leads/<name>/convert", "partner/leads/convert"),
	("/partner/leads/<name>", "partner/leads/lead"),
	("/partner/mdf/requests/new", "partner/mdf/request_form"),
	("/partner/mdf/requests/<name>/edit", "partner/mdf/request_form"),
	("/partner/mdf/requests/<name>", "partner/mdf/request"),
	("/partner/mdf/claims/new", "partner/mdf/claim_form"),
	("/partner/mdf/claims/<name>/edit", "partner/mdf/claim_form"),
	("/partner/mdf/claims/<name>", "partner/mdf/claim"),
)


@functools.cache
def route_map() -> Map:
	return Map([Rule(pattern, endpoint=page) for pattern, page in ROUTES])


def match(path: str) -> tuple[str, dict] | None:
	"""The www page and the path's parts for a portal path (without the leading slash), or None."""
	if not path or not path.startswith(PREFIX) or path.count("/") < 2:  # every route has 3 parts or more
		return None
	try:
		return route_map().bind("portal").match("/" + path)
	except HTTPException:  # no such route (werkzeug's NotFound, or a redirect it would suggest)
		return None


def resolve_path(path: str) -> str:
	"""The ``website_path_resolver`` hook: the endpoint for ``path`` (already stripped of slashes).

	A portal page answers for itself; any other path goes through Frappe's ``resolve_path`` (home
	page, ``.html``, route rules), whose redirect a rule may ask for is answered as Frappe answers it
	when no app has this hook."""
	if is_portal_path(path):
		frappe.local.path = path
		return path
	from frappe.website.path_resolver import resolve_path as frappe_resolve_path

	try:
		return frappe_resolve_path(path)
	except RequestRedirect as redirect:
		frappe.flags.redirect_location = redirect.new_url
		raise frappe.Redirect(redirect.code) from redirect


def is_portal_path(path: str) -> bool:
	"""Whether the portal renders ``path``: one of its routes, or one of its ``www`` pages."""
	if (path != "partner" and not path.startswith(PREFIX)) or path.endswith(".html"):
		return False
	return match(path) is not None or is_page(path)


def nothing_else_renders(path: str, http_status_code=None) -> bool:
	"""Whether no page of the site answers ``path`` but Frappe's print view, which takes every
	"<doctype>/<name>" path, ``partner/...`` included, and fails with a server error for it."""
	from frappe.website import path_resolver

	if is_page(path):  # the portal's own pages answer at once
		return False
	renderers = (
		path_resolver.StaticPage,
		path_resolver.WebFormPage,
		path_resolver.DocumentPage,
		path_resolver.ListPage,
	)
	return not any(renderer(path, http_status_code).can_render() for renderer in renderers)


def is_page(path: str) -> bool:
	"""Whether a ``www`` page answers ``path``: looked up once per worker and site (the apps' files
	do not change while it runs; Frappe looks the page up again to render it), every time in
	developer mode."""
	if frappe.conf.developer_mode:
		return bool(TemplatePage(path).can_render())
	return has_page(frappe.local.site, path)


@functools.lru_cache(maxsize=1024)
def has_page(site: str, path: str) -> bool:
	return bool(TemplatePage(path).can_render())


class PortalRoutePage(TemplatePage):
	"""Renders the www page a portal route names, and "not found" for a portal address that no
	page answers (a mistyped ``/partner/...``: 404, not the print view's server error); declines
	every other path."""

	def __init__(self, path=None, http_status_code=None):
		path = (path or "").strip("/ ")
		found = match(path)
		self.matched = found is not None
		self.missing = False
		if not found:
			BaseRenderer.__init__(self, path, http_status_code)  # no template look-up for other paths
			self.missing = path.startswith(PREFIX) and nothing_else_renders(path, http_status_code)
			return
		page, parts = found
		super().__init__(page, http_status_code)
		if parts:
			frappe.local.no_cache = 1
			frappe.local.form_dict.update(parts)

	def can_render(self):
		return self.missing or (self.matched and super().can_render())

	def render(self):
		if self.missing:
			return NotFoundPage(self.path).render()
		return super().render()
