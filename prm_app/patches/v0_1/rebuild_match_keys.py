"""Match keys are now letter bags of the canonical name (engine/match_keys.py): re-key every
record. Keys of the previous design are never probed again; domain keys stay valid meanwhile."""

from prm_app.conflict import keys


def execute():
	keys.request_rebuild(reason="new match key design")
