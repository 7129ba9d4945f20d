"""The isolation matrix's registry (``prm_app.tests.test_isolation`` reads it).

Every partner-owned doctype has an entry, in a module of this package per capability:

- ``FACTORIES``: doctype -> ``function(partner) -> (doctype, name)``, a record owned by that partner;
- ``PROBES``: doctype -> ``function(test, browser, own, other)``, every portal page and portal
  method of the doctype tried by a user of partner A against partner B's record;
- ``LABELS``: doctype -> the field whose text a page showing the record would contain;
- ``DESK_INVISIBLE``: doctypes partners never read through the desk's paths, not even their own
  records (the portal shows what they need): every path must refuse both records;
- ``CLEANUPS``: functions called after the matrix's records are deleted, for what a factory made
  besides the partner-owned record (a training module, the Lead behind a Lead Offer, an agreement
  version).

``test_every_partner_owned_doctype_is_covered`` fails when a partner-owned doctype has no entry.
"""

import importlib
import pkgutil

FACTORIES: dict = {}
PROBES: dict = {}
LABELS: dict = {}
DESK_INVISIBLE: set = set()
CLEANUPS: list = []

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
	_module = importlib.import_module(f"{__name__}.{_info.name}")
	FACTORIES.update(getattr(_module, "FACTORIES", {}))
	PROBES.update(getattr(_module, "PROBES", {}))
	LABELS.update(getattr(_module, "LABELS", {}))
	DESK_INVISIBLE.update(getattr(_module, "DESK_INVISIBLE", ()))
	CLEANUPS.extend(getattr(_module, "CLEANUPS", ()))
