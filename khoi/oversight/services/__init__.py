"""Services of the oversight app (every change audited, refusals in Vietnamese)."""
