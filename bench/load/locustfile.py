"""The persona mix of the load test (bench/load/run.py starts the stack and runs this).

- staff browsing lists and calendars (weight 5): canbo;
- the office head on dashboards, reports and statistics (weight 2): truongkhoi;
- a reporter of a commune on its pages, entering its campaign figures through the entry
  form (weight 2): phuongha-an;
- API clients with a token (weight 1): lists of the JSON API.

bench/load/bare.py is the anchor: /ops/bare, the same stack answering a view without a query.

Every user signs in once and then waits 1-3 s between pages (think time). With
``LOAD_SESSIONS`` (JSON: login → session keys, made by ``run.py --steady``) users start
already signed in, so that the run measures the pages and not the password hashing of a
burst of sign-ins (measured on its own).
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "khoi-demo-2017")
TOKEN = os.environ.get("LOAD_API_TOKEN", "")
SESSIONS: dict[str, list[str]] = json.loads(os.environ.get("LOAD_SESSIONS", "") or "{}")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Persona(HttpUser):
    abstract = True
    login = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.verify = False
        if SESSIONS.get(self.login):
            self.client.cookies.set("sessionid", random.choice(SESSIONS[self.login]))
            return
        page = self.client.get("/accounts/login/", name="sign-in form")
        match = CSRF.search(page.text)
        self.client.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": match.group(1) if match else "", "username": self.login,
             "password": PASSWORD},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign-in",
        )  # fmt: skip


class Staff(Persona):
    weight = 5
    login = "canbo"

    @task(3)
    def my_tasks(self) -> None:
        self.client.get("/work/tasks/mine/", name="tasks (mine)")

    @task(3)
    def activities(self) -> None:
        self.client.get("/work/activities/", name="activities")

    @task(2)
    def calendar(self) -> None:
        self.client.get("/work/activities/calendar/", name="activity calendar")

    @task(1)
    def meetings(self) -> None:
        self.client.get("/meetings/", name="meetings")

    @task(1)
    def board(self) -> None:
        self.client.get("/work/tasks/board/", name="task board")


class OfficeHead(Persona):
    weight = 2
    login = "truongkhoi"

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")

    @task(1)
    def reports(self) -> None:
        self.client.get("/documents/reports/", name="reports")

    @task(1)
    def statistics(self) -> None:
        self.client.get("/petitions/statistics/", name="petition statistics")

    @task(1)
    def overdue(self) -> None:
        self.client.get("/work/tasks/overdue/", name="tasks (overdue)")


class Reporter(Persona):
    """A commune reporter: looks at the dashboard and activities, and enters the campaign
    figures of its commune through the entry form (GET the form, then POST it back with its
    CSRF token and the figures), as the reporter of Phường Hà An does in the demo (the
    dataset of ``generate_scale`` adds communes without sign-ins, the demo's reporters are
    the ones who sign in)."""

    weight = 2
    login = "phuongha-an"
    ENTRY = re.compile(r'href="(/campaigns/\d+/entry/\d+/[^/"]+/)"')
    CAMPAIGN = re.compile(r'href="(/campaigns/\d+/)"')

    def on_start(self) -> None:
        super().on_start()
        self.entry_urls: list[str] = []
        listing = self.client.get("/campaigns/", name="campaigns")
        for path in list(dict.fromkeys(self.CAMPAIGN.findall(listing.text)))[:6]:
            page = self.client.get(path, name="campaign")
            self.entry_urls += [
                u for u in self.ENTRY.findall(page.text) if u not in self.entry_urls
            ]

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="dashboard")

    @task(1)
    def activities(self) -> None:
        self.client.get("/work/activities/", name="activities")

    @task(2)
    def enter_figures(self) -> None:
        if not self.entry_urls:
            return
        url = random.choice(self.entry_urls)
        form = self.client.get(url, name="figures form")
        data = figures(form.text)
        if data is None:  # submitted or approved meanwhile: this grid is closed for entry
            self.entry_urls.remove(url)
            return
        with self.client.post(
            url, data, headers={"Referer": f"{self.host}{url}"}, allow_redirects=False,
            name="figures save", catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:  # saved: back to the grid; 200: refused
                response.failure(f"figures not saved ({response.status_code})")


INPUT = re.compile(r"<(input|select)\b([^>]*)>((?:(?!</select>).)*</select>)?", re.S)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')
OPTION = re.compile(r'<option value="([^"]+)"')


def figures(page: str) -> dict[str, str] | None:
    """The entry form filled in: every open figure of the grid given a small number (the
    numerator below the denominator, "yes" or "no" for a yes/no indicator), comments and
    files left as they are; None when the form cannot be saved (no save button, or locked)."""
    csrf = CSRF.search(page)
    if csrf is None or 'name="action" value="save"' not in page:
        return None
    data = {"csrfmiddlewaretoken": csrf.group(1), "action": "save"}
    for tag, raw, inner in INPUT.findall(page):
        attrs = dict(ATTR.findall(raw))
        name = attrs.get("name", "")
        if " disabled" in raw or name[:2] not in ("v-", "n-", "d-"):
            continue
        if tag == "select":
            data[name] = random.choice(OPTION.findall(inner or "") or [""])
        elif name.startswith("d-"):
            data[name] = "10"
        elif attrs.get("inputmode") == "decimal":
            data[name] = str(random.randint(1, 9))
        else:
            data[name] = attrs.get("value", "") or "Đã thực hiện"
    return data


class ApiClient(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.verify = False
        self.client.headers["Authorization"] = f"Bearer {TOKEN}"

    @task(2)
    def activities(self) -> None:
        self.client.get("/api/v1/activities", name="API activities")

    @task(2)
    def api_tasks(self) -> None:
        self.client.get("/api/v1/tasks", name="API tasks")

    @task(1)
    def meetings(self) -> None:
        self.client.get("/api/v1/meetings", name="API meetings")
