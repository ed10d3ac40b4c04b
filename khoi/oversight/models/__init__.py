"""Models of the oversight app, one module per capability (the package re-exports them).

- ``supervision``: programmes, supervisions, legal bases, lead times, delegations.
- ``recommendations``: the one register of recommendations, answers and follow-ups.
Other helpers add their modules (criticism, feedback rounds) and import them here.
"""

from __future__ import annotations

from khoi.oversight.models.criticism import *  # noqa: F403
from khoi.oversight.models.feedback import *  # noqa: F403
from khoi.oversight.models.recommendations import *  # noqa: F403
from khoi.oversight.models.supervision import *  # noqa: F403
