import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
	sys.path.insert(0, str(ROOT))

from hypothesis import settings

# No per-example deadline: a loaded CI machine must not turn a slow example into a failure.
settings.register_profile("prm_app", deadline=None)
settings.load_profile("prm_app")
