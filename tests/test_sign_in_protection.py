"""Sign-in under attack (issue 13): limits and locks, sessions that really end, passwords nobody
guesses, and answers that take the same time whether a name exists or not."""
from __future__ import annotations

import datetime as dt
import re
import statistics
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import Auth, csrf_token, is_signed_in
from tracker.models import AuditEntry, Role, User

WRONG = "khong-phai-mat-khau-nay"


def _audit(db, action: str, username: str) -> list[AuditEntry]:
    return db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.username == username)).all()


def _alert(response) -> str:
    """The refusal the person reads (the flashed alert), without the page around it."""
    found = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', response.get_data(as_text=True), re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip() if found else ""


def _user(db, username: str) -> User:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == username))


_signed_in = is_signed_in


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(db, browser, make_user):
    make_user(Role.OFFICER, username="thuha")
    auth = Auth(browser())

    answers = [auth.login("thuha", f"{WRONG}-{n}") for n in range(5)]
    assert [a.status_code for a in answers] == [401] * 5
    assert "Sau 5 lần sai liên tiếp, tài khoản tạm khóa 15 phút." in _alert(answers[0])

    locked = auth.login("thuha")  # the right password, too late

    assert locked.status_code == 429
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert "Tài khoản này tạm khóa vì nhập sai mật khẩu nhiều lần liên tiếp" in _alert(locked)
    assert not _signed_in(auth.client)
    assert len(_audit(db, "account_locked", "thuha")) == 1
    assert _user(db, "thuha").locked_for_now is not None


def test_the_lock_is_kept_in_the_database_so_another_worker_refuses_too(db, browser, make_user):
    from tracker.extensions import limiter

    make_user(Role.OFFICER, username="thuha")
    auth = Auth(browser())
    for n in range(5):
        auth.login("thuha", f"{WRONG}-{n}")
    limiter.reset()  # as a worker whose own counts are empty would see it

    again = auth.login("thuha")

    assert again.status_code == 429
    assert 14 * 60 <= int(again.headers["Retry-After"]) <= 15 * 60
    assert "tạm khóa" in _alert(again)


def test_a_name_that_does_not_exist_is_answered_exactly_as_one_that_does(db, browser, make_user):
    make_user(Role.OFFICER, username="thuha")
    known, unknown = Auth(browser()), Auth(browser())

    known_answers = [known.login("thuha", f"{WRONG}-{n}") for n in range(7)]
    unknown_answers = [unknown.login("khongcoai", f"{WRONG}-{n}") for n in range(7)]

    assert [a.status_code for a in known_answers] == [a.status_code for a in unknown_answers] == [401] * 5 + [429] * 2
    assert [_alert(a) for a in known_answers] == [_alert(a) for a in unknown_answers]
    assert all("Retry-After" in a.headers for a in unknown_answers[5:])


def test_the_lock_runs_out_by_itself(db, browser, make_user):
    from tracker.extensions import limiter

    user = make_user(Role.OFFICER, username="thuha")
    user.locked_until = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    db.session.commit()
    limiter.reset()
    auth = Auth(browser())

    assert auth.login("thuha").status_code == 302
    assert _user(db, "thuha").locked_until is None


def test_an_admin_unlocks_an_account_at_once_and_the_unlock_is_logged(db, browser, make_user):
    make_user(Role.OFFICER, username="thuha")
    locked = make_user(Role.OFFICER, username="bilockt")
    person = Auth(browser())
    for n in range(6):
        person.login("bilockt", f"{WRONG}-{n}")
    admin = browser()
    make_user(Role.ADMIN, username="quantri")
    Auth(admin).login("quantri")

    page = admin.get(f"/admin/users/{locked.id}").get_data(as_text=True)
    assert 'id="account-locked"' in page and "Mở khóa ngay" in page
    assert "Tạm khóa" in admin.get("/admin/users").get_data(as_text=True)
    token = csrf_token(admin, f"/admin/users/{locked.id}")
    assert admin.post(f"/admin/users/{locked.id}/unlock", data={}).status_code == 400  # no CSRF token
    assert admin.post(f"/admin/users/{locked.id}/unlock", data={"csrf_token": token}).status_code == 302

    assert person.login("bilockt").status_code == 302  # neither the lock nor the count stands in the way
    assert len(_audit(db, "account_unlocked", "quantri")) == 1


def test_a_right_password_forgets_earlier_mistakes(db, browser, make_user):
    make_user(Role.OFFICER, username="thuha")
    auth = Auth(browser())
    for n in range(4):
        auth.login("thuha", f"{WRONG}-{n}")
    assert auth.login("thuha").status_code == 302
    auth.logout()

    answers = [auth.login("thuha", f"{WRONG}-{n}").status_code for n in range(4)]

    assert answers == [401] * 4
    assert _user(db, "thuha").locked_until is None


def test_one_address_trying_many_names_is_stopped(app, db, browser):
    limit = int(app.config["LOGIN_LIMIT_PER_ADDRESS"].split()[0])
    auth = Auth(browser())

    answers = [auth.login(f"ten{n}", WRONG) for n in range(limit + 1)]

    assert [a.status_code for a in answers[:limit]] == [401] * limit
    assert answers[limit].status_code == 429
    assert "Máy này đã nhập sai mật khẩu quá nhiều lần" in _alert(answers[limit])
    assert int(answers[limit].headers["Retry-After"]) > 0


def test_an_unknown_name_costs_as_much_time_as_a_wrong_password(db, make_user):
    """Both pay for one password hash (37 ms against 400 ms before): the medians stay within 1.5x."""
    from tracker.auth.signin import authenticate

    make_user(Role.OFFICER, username="thuha")

    def seconds(name: str) -> float:
        started = time.perf_counter()
        authenticate(name, WRONG)
        db.session.rollback()  # no lock builds up
        return time.perf_counter() - started

    seconds("thuha"), seconds("khongcoai")  # warm both paths
    known = statistics.median(seconds("thuha") for _ in range(5))
    unknown = statistics.median(seconds("khongcoai") for _ in range(5))

    assert 1 / 1.5 < unknown / known < 1.5, (known, unknown)


@pytest.mark.parametrize("password", ["password", "12345678", "matkhau123", "bangiao2025", "qwertyui", "Hue2025!"])
def test_common_and_guessable_passwords_are_refused_by_the_admin_page(db, browser, make_user, password):
    admin = browser()
    make_user(Role.ADMIN, username="quantri")
    Auth(admin).login("quantri")
    token = csrf_token(admin, "/admin/users/new")

    response = admin.post("/admin/users/new", data={
        "csrf_token": token, "username": "moi", "full_name": "", "position": "", "role": "auditor",
        "province": "", "unit": "", "password": password})

    assert response.status_code == 422
    assert "Mật khẩu quá dễ đoán" in response.get_data(as_text=True)
    assert _user(db, "moi") is None


def test_a_password_with_the_username_or_too_long_to_type_is_refused_by_the_command(runner, db):
    for password, message in (("thuha-2025-ban-giao", "không được chứa tên đăng nhập"),
                              ("cay-bang-" * 40, "tối đa 128 ký tự")):
        result = runner.invoke(args=["users", "create", "thuha", "--role", "auditor", "--password", password])
        assert result.exit_code != 0 and message in result.output, result.output
        assert _user(db, "thuha") is None


def test_the_sign_in_form_takes_exactly_as_long_a_password_as_the_rule_allows(app, client):
    from tracker.auth.passwords import PASSWORD_MAX, password_problem

    html = client.get("/login").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="password"[^>]*>', html).group(0)
    assert f'maxlength="{PASSWORD_MAX}"' in field
    assert password_problem("Cay-bang-ven-song-42-" + "x" * (PASSWORD_MAX - 21)) is None
    assert password_problem("Cay-bang-ven-song-42-" + "x" * (PASSWORD_MAX - 20)) is not None


def test_signing_out_ends_a_copied_session_too(db, browser, make_user):
    make_user(Role.OFFICER, username="thuha")
    mine = browser()
    Auth(mine).login("thuha")
    copied = browser()
    copied.set_cookie("session", mine.get_cookie("session").value)
    assert _signed_in(copied)

    Auth(mine).logout()

    assert not _signed_in(copied)
    assert copied.get("/assets/").status_code == 302


def test_a_new_password_or_a_disabled_account_ends_every_session_of_that_user(db, browser, make_user, province):
    target = make_user(Role.OFFICER, username="thuha")
    first, second = browser(), browser()
    Auth(first).login("thuha")
    Auth(second).login("thuha")
    admin = browser()
    make_user(Role.ADMIN, username="quantri")
    Auth(admin).login("quantri")
    form = {"full_name": "thuha", "position": "", "role": "officer", "province": str(province.id), "unit": ""}

    token = csrf_token(admin, f"/admin/users/{target.id}")
    admin.post(f"/admin/users/{target.id}", data={**form, "csrf_token": token, "active": "y",
                                                  "password": "matkhau-thay-the-moi"})
    assert not _signed_in(first) and not _signed_in(second)

    third = browser()
    assert Auth(third).login("thuha", "matkhau-thay-the-moi").status_code == 302
    token = csrf_token(admin, f"/admin/users/{target.id}")
    admin.post(f"/admin/users/{target.id}", data={**form, "csrf_token": token, "password": ""})  # active unticked
    assert not _signed_in(third)
    assert _signed_in(admin)


WORKER = """
import json, sys
from flask_migrate import upgrade
from tracker import create_app
storage, database, attempts = sys.argv[1], sys.argv[2], int(sys.argv[3])
app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": storage, "SQLALCHEMY_DATABASE_URI": database})
if attempts == 0:
    with app.app_context():
        upgrade()
client = app.test_client()
print(json.dumps([client.post("/login", data={"username": "khongcoai", "password": "sai-mat-khau-%d" % n}).status_code
                  for n in range(attempts)]))
"""


def test_two_workers_share_one_count_of_failures_through_redis(redis_server, tmp_path):
    """Two processes, as two gunicorn workers or two hosts: three failures on one and three on the other
    reach the limit of five, because the count lives in Redis, not in either process."""
    import json
    import os
    import subprocess
    import sys

    database = f"sqlite:///{tmp_path / 'shared.db'}"
    env = {**os.environ, "TRACKER_INSTANCE": str(tmp_path / "instance")}
    env.pop("DATABASE_URL", None)

    def worker(attempts: int, storage: str = redis_server.url) -> list[int]:
        done = subprocess.run([sys.executable, "-c", WORKER, storage, database, str(attempts)], capture_output=True,
                              text=True, env=env, timeout=120, cwd=str(Path(__file__).resolve().parent.parent))
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    worker(0)  # migrate the shared database
    assert worker(3) == [401, 401, 401]
    assert worker(3) == [401, 401, 429]
    assert worker(3, "memory://") == [401, 401, 401]  # what each worker would allow on its own
