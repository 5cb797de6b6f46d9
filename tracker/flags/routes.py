"""The ``flags`` blueprint with the routes of its four parts, for ``create_app`` to register.

Each part's ``views`` adds its routes to the one blueprint (``blueprint.bp``) when imported, so
every URL and endpoint name (``flags.index``, ``flags.norm_table``…) stays the same whichever part
serves it.
"""
from tracker.flags.alerts import views as alert_views  # noqa: F401  (each import adds its routes)
from tracker.flags.blueprint import bp
from tracker.flags.dashboard import views as dashboard_views  # noqa: F401
from tracker.flags.norms import views as norm_views  # noqa: F401
from tracker.flags.reallocation import views as reallocation_views  # noqa: F401

__all__ = ["bp"]
