"""Supervision (giám sát): programmes, supervisions, legal bases, lead times, delegations."""

from __future__ import annotations

__all__: list[str] = []
