"""The body of every portal page, rendered from templates compiled once per worker process.

Frappe 15 makes a new Jinja environment for every request, so every template a page uses is
parsed and compiled again on every request; Frappe 16 keeps the templates it loads by name, but
still compiles the page's own template (the ``www`` file) on every request. Compiling the portal's
pages and their macros took more time than everything else a portal page does.

So a portal page's ``www`` file is one line that extends ``templates/includes/prm_portal/page.html``
(the site's ``web.html`` with the page's parts filled in), and its parts come from a template in
``templates/includes/prm_portal/pages/``, rendered here with an environment that lives as long as
the worker: compiled once, rendered per request from the page's context. That template assigns
the parts with ``{% set header %}...{% endset %}`` blocks: ``style``, ``script``, ``header``,
``header_actions``, ``page_content``. It sees the page's context and ``_`` (translations, in the
request's language), nothing request-specific otherwise; Frappe's rendering rules hold (no
autoescape unless the template asks, undefined names shown as they are). It is not a sandboxed
environment: its templates are the app's own files, never text from the database (the sandbox,
there for templates an admin may edit, checked every attribute and call and cost a quarter of a
page's rendering). In developer mode a changed template is compiled again.
"""

import functools
from pathlib import Path

import frappe
from markupsafe import Markup

APP_DIR = Path(__file__).resolve().parent.parent
PAGES = "templates/includes/prm_portal/pages/"
PARTS = ("style", "script", "header", "header_actions", "page_content")


@functools.cache
def environment_for(auto_reload: bool):
	"""One environment per worker process (and mode): its compiled templates are kept."""
	from jinja2 import DebugUndefined, Environment, FileSystemLoader

	env = Environment(
		loader=FileSystemLoader(str(APP_DIR)),
		undefined=DebugUndefined,
		auto_reload=auto_reload,
		cache_size=100,
	)
	env.globals["_"] = frappe._
	return env


def environment():
	return environment_for(bool(frappe.conf.developer_mode))


def render_page(context, template: str) -> None:
	"""Render the parts of ``pages/<template>`` from ``context`` into ``context.prm_page``, which the
	page's ``www`` file (``{% extends "templates/includes/prm_portal/page.html" %}``) prints."""
	module = environment().get_template(PAGES + template).make_module(dict(context))
	context.prm_page = frappe._dict({part: Markup(getattr(module, part, "") or "") for part in PARTS})
