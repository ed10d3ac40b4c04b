"""The one register of recommendations (kiến nghị), their answers and follow-ups."""

from __future__ import annotations

__all__: list[str] = []
