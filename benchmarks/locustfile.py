"""The load run's people (issue 14): officers, commune staff and auditors doing their day.

Started by ``benchmarks/load_run.py`` (``locust --headless``) with ``LOAD_PLAN`` naming the plan
``benchmarks/load_seed.py`` wrote: the accounts, the password, the dissolved units officers hand
over and where their things go. Every simulated person signs in once, through the real form with
its CSRF token, and keeps that session; the sign-in limits count failed sign-ins only, so fifty
people signing in from one address are never refused (tracker/auth/limits.py).

Forms are submitted as a browser would: the page is fetched, its form read (hidden CSRF field,
defaults, selects), a few fields changed. POSTs do not follow their redirect, so each request is
timed on its own; the page redirected to is fetched next and checked for the app's error flash.
Each request is named ``<role>: METHOD path-pattern``, so the figures come per role and request type.
Any answer that is not 2xx/3xx, or a page that shows an error where none is expected, is a failure.
The one refusal expected is two officers picking the same asset at once (the database's
one-open-handover rule): it is counted under ``refusal: …``, not as a failure.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read()) if os.environ.get("LOAD_PLAN") else {}
ERROR_FLASH = 'class="alert alert-danger"'
CSV_TYPES = ("text/csv",)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CLASH = "một tài sản chỉ ở một biên bản chưa hoàn tất"  # drafts.py's message when another draft took the asset
# An officer voids its oldest issued handover past this many (a mistake found, to be redone), so the
# demo's 700 assets are never all locked in issued handovers however long the run.
ISSUED_KEPT = int(os.environ.get("LOAD_ISSUED_KEPT", "3"))
ASSET_LINK = re.compile(r'href="/assets/(\d+)"')
HANDOVER_LINK = re.compile(r'href="/handovers/(\d+)"')


class Forms(HTMLParser):
    """The forms of a page: action, and the fields a browser would submit untouched."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "id": a.get("id"), "fields": {}})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select, self._select_value, self._first_option = a.get("name"), None, None
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_data(self, data):  # noqa: ANN001
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):  # noqa: ANN001
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "select" and self._select:
            fields[self._select] = self._select_value if self._select_value is not None else (self._first_option or "")
            self._select = None
        elif tag == "textarea" and self._textarea:
            fields[self._textarea] = "".join(self._text).lstrip("\n")
            self._textarea = None

    def form(self, action: str = "", *, form_id: str | None = None, field: str | None = None,
             without: str | None = None) -> dict:
        """The first form whose action contains ``action`` (or with this id), that has ``field``
        and lacks ``without``; LookupError if the page has none."""
        for form in self.forms:
            if form_id is not None and form["id"] != form_id:
                continue
            if action not in form["action"] or (field and field not in form["fields"]):
                continue
            if without and without in form["fields"]:
                continue
            return form
        raise LookupError(f"no form {form_id or action!r} on the page")


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
RUN: dict = {}


@events.init.add_listener
def _remember(environment, **_kwargs) -> None:  # noqa: ANN001
    RUN["environment"] = environment


@events.quit.add_listener
def _write_results(exit_code: int, **_kwargs) -> None:
    """The final figures to ``LOAD_RESULTS`` (JSON): every request type with its histogram, every
    failure and exception. Locust's own CSVs are written on a timer and can miss the last seconds."""
    runner = RUN["environment"].runner
    path = os.environ.get("LOAD_RESULTS")
    if not path or runner is None:
        return
    stats = runner.stats
    entries = [{"name": e.name, "method": e.method, "num_requests": e.num_requests, "num_failures": e.num_failures,
                "response_times": e.response_times, "total_response_time": e.total_response_time,
                "max_response_time": e.max_response_time, "start_time": e.start_time,
                "last_request_timestamp": e.last_request_timestamp} for e in stats.entries.values()]
    errors = [{"method": e.method, "name": e.name, "error": str(e.error), "occurrences": e.occurrences}
              for e in stats.errors.values()]
    exceptions = [{"count": e["count"], "message": e["msg"], "traceback": e["traceback"]}
                  for e in runner.exceptions.values()]
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"exit_code": exit_code, "stats": entries, "errors": errors, "exceptions": exceptions}, fh,
                  ensure_ascii=False)


def _flash(html: str) -> str:
    match = re.search(r'alert-danger" role="alert">([^<]{0,200})', html)
    return match.group(1) if match else html[:120]


class Person(FastHttpUser):
    """Signs in once with an account of its role, then keeps the session."""

    abstract = True
    role = ""
    wait_time = between(1, 3)
    _numbers: dict[str, itertools.count] = {}

    def on_start(self) -> None:
        accounts = PLAN["accounts"][self.role]
        number = next(Person._numbers.setdefault(self.role, itertools.count()))
        self.account = accounts[number % len(accounts)]
        page = self.page("/login", "GET /login")
        fields = Forms(page).form(field="username")["fields"]
        fields.update(username=self.account["username"], password=PLAN["password"])
        with self.client.post("/login", data=urlencode(fields), headers=FORM, allow_redirects=False,
                              name=f"{self.role}: POST /login", catch_response=True) as response:
            if response.status_code != 302 or "/login" in ((response.headers or {}).get("Location") or "/login"):
                response.failure(f"sign-in answered {response.status_code}: " + _flash(response.text or ""))

    # -- helpers -----------------------------------------------------------------------------

    def name(self, label: str) -> str:
        return f"{self.role}: {label}"

    def page(self, path: str, label: str, must: str | None = None) -> str:
        """GET a page; a failure unless it answers 200 with HTML showing no error flash."""
        with self.client.get(path, name=self.name(label), catch_response=True) as response:
            if response.headers is None:  # no answer at all: the connection failed or timed out
                response.failure(f"no answer: {getattr(response, 'error', None)!r}")
                return ""
            text = response.text or ""
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif ERROR_FLASH in text:
                response.failure("error shown: " + _flash(text))
            elif must and must not in text:
                response.failure(f"page lacks {must!r}")
            elif path != "/login" and 'name="password"' in text:
                response.failure("signed out: the sign-in page came back")
            return text

    def submit(self, path: str, fields: dict, label: str, expect: str) -> str:
        """POST a form without following the redirect; return where it sends us (must contain ``expect``)."""
        with self.client.post(path, data=urlencode(fields, doseq=True), headers=FORM, allow_redirects=False,
                              name=self.name(label), catch_response=True) as response:
            if response.headers is None:  # no answer at all: the connection failed or timed out
                response.failure(f"no answer: {getattr(response, 'error', None)!r}")
                return ""
            location = urlsplit(response.headers.get("Location") or "")
            target = location.path + (f"?{location.query}" if location.query else "")
            if response.status_code not in (302, 303):
                response.failure(f"{response.status_code}: " + _flash(response.text or ""))
            elif expect not in target:
                response.failure(f"redirected to {target!r}, not {expect!r}")
            return target

    def refusal(self, what: str) -> None:
        """Count an expected refusal apart from the requests (zero time, never a failure)."""
        self.environment.events.request.fire(request_type="refusal", name=what, response_time=0,
                                             response_length=0, exception=None, context={})


class Officer(Person):
    """Sở Tài chính: search the register, open an asset, prepare a handover, add items, issue it."""

    role = "officer"
    weight = 3

    def on_start(self) -> None:
        super().on_start()
        self.issued: list[int] = []

    @task
    def hand_over(self) -> None:
        self.page("/assets/?" + urlencode({"q": random.choice(PLAN["search_terms"])}), "GET /assets/?q=[words]")
        self.wait()
        archives = random.random() < 0.3
        stock = "archive_boxes" if archives else "assets"
        givers = [g for g in PLAN["givers"] if g[stock]]
        giver = random.choices(givers, weights=[g[stock] for g in givers])[0]
        listing = self.page("/assets/?" + urlencode({"unit_id": giver["id"]}), "GET /assets/?unit_id=[unit]")
        assets = ASSET_LINK.findall(listing)
        if assets:
            self.wait()
            self.page(f"/assets/{random.choice(assets)}", "GET /assets/[id]")
        self.wait()
        if len(self.issued) >= ISSUED_KEPT:
            self.void(self.issued.pop(0))
            self.wait()
        handover_id = self.draft(giver, archives)
        if handover_id is None:
            return
        self.wait()
        if not self.add_items(handover_id):
            return
        self.wait()
        detail = self.page(f"/handovers/{handover_id}", "GET /handovers/[id]")
        fields = Forms(detail).form(f"/handovers/{handover_id}/issue")["fields"]
        fields["confirmed"] = "1"  # the officer answers yes to the question the button asks
        if f"/handovers/{handover_id}" in self.submit(f"/handovers/{handover_id}/issue", fields,
                                                      "POST /handovers/[id]/issue", f"/handovers/{handover_id}"):
            self.page(f"/handovers/{handover_id}", "GET /handovers/[id]", must="Đã phát hành")
            self.issued.append(handover_id)

    def draft(self, giver: dict, archives: bool) -> int | None:
        """Prepare a draft from the form as the page gives it: bàn giao tài sản, or hồ sơ lưu trữ."""
        form_page = self.page("/handovers/new", "GET /handovers/new")
        fields = Forms(form_page).form(form_id="draft-form")["fields"]
        fields.update(doc_type="archives" if archives else "assets", giver_id=str(giver["id"]),
                      receiver_id=str(giver["receiver_id"]), handover_date=dt.date.today().isoformat(),
                      place=f"Trụ sở UBND, tiếp nhận tài sản của {giver['name']}", copies="4",
                      giver_reps="Nguyễn Văn An; Nguyên Chủ tịch UBND", receiver_reps="Trần Thị Bình; Chủ tịch UBND",
                      witness_reps="Lê Văn Cường; Phó Giám đốc Sở Tài chính")
        # The form's default 'Căn cứ …' lines leave the plan's number and date for the officer to fill.
        fields["legal_basis"] = fields.get("legal_basis", "").replace("…/KH-UBND", "15/KH-UBND").replace(
            "…/QĐ-UBND", "120/QĐ-UBND").replace("…/…/2025", "20/6/2025").replace("…", "01")
        target = self.submit("/handovers/new", fields, "POST /handovers/new", "/handovers/")
        match = re.fullmatch(r"/handovers/(\d+)", target)
        if match is None:
            return None
        self.page(target, "GET /handovers/[id]", must="Đã lưu bản nháp")
        return int(match.group(1))

    def add_items(self, handover_id: int) -> bool:
        """Tick one to three assets on the pick page; True once the draft holds some."""
        pick = self.page(f"/handovers/{handover_id}/pick", "GET /handovers/[id]/pick")
        candidates = re.findall(r'name="asset_id" value="(\d+)"', pick)
        if not candidates:
            self.refusal("nothing left to hand over for this unit")
            return False
        fields = Forms(pick).form(f"/handovers/{handover_id}/items/add", without="all")["fields"]
        fields["asset_id"] = random.sample(candidates, min(len(candidates), random.randint(1, 3)))
        target = self.submit(f"/handovers/{handover_id}/items/add", fields, "POST /handovers/[id]/items/add",
                             f"/handovers/{handover_id}")
        if target.endswith("/pick"):
            # Refused: another officer put one of these assets on a draft between our page and our click.
            with self.client.get(target, name=self.name("GET /handovers/[id]/pick"), catch_response=True) as response:
                if response.status_code == 200 and CLASH in (response.text or ""):
                    response.success()
                    self.refusal("asset taken by another draft meanwhile")
                else:
                    response.failure("refused, but not for a clash: " + _flash(response.text or ""))
            return False
        return target == f"/handovers/{handover_id}"

    def void(self, handover_id: int) -> None:
        detail = self.page(f"/handovers/{handover_id}", "GET /handovers/[id]")
        fields = Forms(detail).form(f"/handovers/{handover_id}/void")["fields"]
        fields["reason"] = "Lập nhầm danh mục tài sản, sẽ lập lại biên bản khác."
        self.submit(f"/handovers/{handover_id}/void", fields, "POST /handovers/[id]/void", f"/handovers/{handover_id}")


class CommuneClerk(Person):
    """Staff of a receiving ward: list what is coming, open a handover, confirm items as they arrive."""

    role = "commune"
    weight = 5
    STATES = ("received", "received", "received", "damaged", "missing")

    @task
    def confirm_receipt(self) -> None:
        listing = self.page("/handovers/?status=signed", "GET /handovers/?status=signed")
        ids = sorted(set(HANDOVER_LINK.findall(listing)))
        if not ids:
            self.refusal("no signed handover for this unit")
            return
        handover_id = random.choice(ids)
        self.wait()
        self.page(f"/handovers/{handover_id}", "GET /handovers/[id]")
        self.wait()
        confirm = self.page(f"/handovers/{handover_id}/confirm", "GET /handovers/[id]/confirm")
        form = Forms(confirm).form(f"/handovers/{handover_id}/confirm?page=")
        fields = form["fields"]
        items = [name[len("state-"):] for name in fields if name.startswith("state-")]
        for item in random.sample(items, min(len(items), random.randint(2, 6))):
            state = random.choice(self.STATES)
            fields[f"state-{item}"] = state
            fields[f"note-{item}"] = "" if state == "received" else "Kiểm tra khi nhận: không khớp danh mục."
        self.wait()
        action = urlsplit(form["action"])
        target = self.submit(f"{action.path}?{action.query}", fields, "POST /handovers/[id]/confirm",
                             f"/handovers/{handover_id}/confirm")
        if target:
            self.page(target, "GET /handovers/[id]/confirm", must="Đã lưu xác nhận")


class Auditor(Person):
    """Kiểm toán: narrow the register, look at the export page, download the inventory."""

    role = "auditor"
    weight = 2

    @task
    def audit(self) -> None:
        filters = dict(random.choice(PLAN["audit_filters"]))
        self.page("/assets/?" + urlencode(filters), "GET /assets/?[filters]")
        self.wait()
        self.page("/assets/?" + urlencode({**filters, "sort": "remaining_value", "dir": "desc"}),
                  "GET /assets/?[filters]&sort")
        self.wait()
        self.page("/exports/", "GET /exports/")
        self.wait()
        fmt = random.choice(("csv", "xlsx"))
        with self.client.get(f"/exports/register.{fmt}?" + urlencode(filters), catch_response=True,
                             name=self.name(f"GET /exports/register.{fmt}")) as response:
            kind = ((response.headers or {}).get("Content-Type") or "").split(";")[0]
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif kind != (XLSX_TYPE if fmt == "xlsx" else "text/csv"):
                response.failure(f"answered {kind!r}, not a {fmt} file")
            elif not response.content:
                response.failure("empty file")
