"""The ``flags`` blueprint object, shared by the modules that add its routes."""
from flask import Blueprint

from tracker.flags.access import handover_url
from tracker.flags.dashboard import html

bp = Blueprint("flags", __name__, url_prefix="/flags")


@bp.context_processor
def _helpers() -> dict:
    return {"handover_url": handover_url, "row_html": html.dashboard_row, "progress_html": html.progress}
