"""The oversight API under /api/v1/oversight/ (same access rules as the pages)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["oversight"])
