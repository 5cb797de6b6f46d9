"""Registers every feature's CLI commands on the app."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from tracker.admin.commands import users_cli
    from tracker.api.commands import api_cli
    from tracker.backup.commands import backup_command, restore_command
    from tracker.demo.commands import demo_command
    from tracker.flags.dashboard.commands import report_cli
    from tracker.importing.commands import assets_cli
    from tracker.jobs.commands import worker_command
    from tracker.serving.commands import serve_command
    from tracker.units.commands import units_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(units_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(report_cli)
    app.cli.add_command(api_cli)
    app.cli.add_command(assets_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(serve_command)
