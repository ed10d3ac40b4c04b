"""The oversight API under /api/v1/oversight/ (same access rules as the pages)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["oversight"])

from khoi.oversight.api_criticism import router as criticism_router  # noqa: E402

router.add_router("", criticism_router)
