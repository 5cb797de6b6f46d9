"""The notices list, opening one (read, then its page), marking all read. Everyone sees only their own."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.assets.queries import count_of, fetch_page, page_number
from tracker.auth.policy import EVERYONE, allow
from tracker.extensions import db
from tracker.handovers.forms import ActionForm
from tracker.models import Notice
from tracker.models.base import utcnow
from tracker.notices import send, texts

bp = Blueprint("notices", __name__, url_prefix="/notices")


@bp.route("/")
@allow(*EVERYONE)
def index():
    """Newest first; unread ones marked."""
    query = send.mine(current_user)
    page = fetch_page(query, page_number(request.args.get("page")), current_app.config["PAGE_SIZE"], count_of(query))
    return render_template("notices/index.html", page=page, notices=texts.shown(page.items, current_user),
                           unread=send.unread_count(current_user), form=ActionForm())


@bp.route("/<int:notice_id>")
@allow(*EVERYONE)
def open_notice(notice_id: int):
    """Read, then go where it points; someone else's notice is a 404 like one that does not exist."""
    notice = db.session.scalar(sa.select(Notice).where(Notice.id == notice_id, Notice.user_id == current_user.id))
    if notice is None:
        abort(404)
    if notice.read_at is None:
        notice.read_at = utcnow()
        db.session.commit()
    return redirect(texts.shown([notice], current_user)[0].link)


@bp.route("/read-all", methods=["POST"])
@allow(*EVERYONE)
def read_all():
    if not ActionForm().validate_on_submit():
        abort(400)
    n = send.mark_all_read(current_user)
    db.session.commit()
    flash(_("Đã đánh dấu %(n)s thông báo là đã đọc.", n=n), "success")
    return redirect(url_for("notices.index"))
