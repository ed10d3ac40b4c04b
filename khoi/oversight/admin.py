from __future__ import annotations

from khoi.oversight import admin_criticism  # noqa: F401  (statutory periods of criticism)
