"""``flask report country``: the whole country's progress, gaps, archives and flags in one table."""
from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker.exports.writers import csv_stream, neutralise

report_cli = click.Group("report", help="Báo cáo tổng hợp.")


@report_cli.command("country")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Ghi báo cáo ra tệp CSV (UTF-8 có BOM) thay vì in bảng.")
@with_appcontext
def country(csv_path: Path | None) -> None:
    """Every province: assets and handover progress, gaps against the norms, unsorted archives, flags."""
    from tracker.extensions import db
    from tracker.flags.dashboard.country_report import COLUMNS, as_rows, country_report

    started = time.perf_counter()
    rows = as_rows(country_report())
    db.session.commit()  # keeps the default norms seeded for provinces opened for the first time
    elapsed = time.perf_counter() - started
    header = [label for _key, label in COLUMNS]
    if csv_path is not None:
        with csv_path.open("wb") as fh:  # the exports' writer: UTF-8 with BOM, formulas neutralised
            fh.writelines(csv_stream(header, ([neutralise(v) for v in row] for row in rows)))
        click.echo(f"Đã ghi {len(rows) - 1} tỉnh vào {csv_path} ({elapsed:.2f} s).")
        return
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(header)]
    for line in [header, *rows]:
        click.echo("  ".join(str(v).rjust(w) if i else str(v).ljust(w) for i, (v, w) in enumerate(zip(line, widths))))
    click.echo(f"Thời gian tính: {elapsed:.2f} s.")
