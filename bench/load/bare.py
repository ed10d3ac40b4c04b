"""The load test's anchor: the same users hitting a Django view that does nothing."""

from __future__ import annotations

from locust import HttpUser, between, task


class BareUser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.verify = False

    @task
    def bare(self) -> None:
        self.client.get("/ops/bare", name="bare Django view")
