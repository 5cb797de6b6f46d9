"""Benchmark: the import's CPU instructions, this code against an earlier commit, counted by callgrind.

    .venv/bin/python benchmarks/import_instructions.py --baseline 1d385ae [--rows 20000]

Wall-clock times on this shared 2-core machine drift by a third within an hour, so a 10 % budget
cannot be judged from seconds alone. Valgrind's callgrind counts the instructions a process
executes, the same for the same code and input whatever else the machine does. Each tree runs
twice under callgrind: once preparing a database only (migrations, the unit map), once preparing
it and then importing an equipment list (parse, plan, commit, as ``flask assets import``); the
difference is the import's own count. The baseline tree is a git worktree of ``--baseline``.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

CHILD = r'''
import os, sys, tempfile, logging
tree, path = sys.argv[1], sys.argv[2]
sys.path.insert(0, tree); os.chdir(tree)
os.environ["TRACKER_INSTANCE"] = tempfile.mkdtemp()
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/t.db"
from tracker import create_app
app = create_app()
with app.app_context():
    from flask_migrate import upgrade
    from tracker.extensions import db
    from tracker.units.loader import load_province
    logging.disable(logging.CRITICAL)
    upgrade(); load_province("Thái Nguyên"); db.session.commit()
    if path == "-":
        sys.exit(0)
    import sqlalchemy as sa
    from tracker.models import Unit
    from tracker.importing.parse import parse_file
    from tracker.importing.plan import build_plan
    from tracker.importing.commit import commit_plan
    unit = db.session.scalar(sa.select(Unit).where(Unit.name == "Phường Thắng Lợi"))
    plan = build_plan(parse_file(open(path, "rb").read(), "list.xlsx"), None, unit)
    commit_plan(plan, None)
    db.session.commit()
    print(plan.counts()["created"])
'''


def instructions(tree: Path, path: str) -> int:
    """Instructions callgrind counts for the child on ``tree`` ('-': preparing only)."""
    out = Path(tempfile.mkdtemp()) / "callgrind.out"
    done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c",
                           CHILD, str(tree), path], capture_output=True, text=True, check=True)
    return int(re.search(r"I\s+refs:\s+([\d,]+)", done.stderr).group(1).replace(",", ""))


def main() -> None:
    from import_bench import _baseline_tree, generate

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", required=True, metavar="GIT_REF")
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    path = ROOT / "benchmarks" / "out" / f"equipment-{args.rows}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        generate(path, args.rows)
    trees = {"this code": ROOT, args.baseline: _baseline_tree(args.baseline)}
    counts = {}
    for name, tree in trees.items():
        counts[name] = instructions(tree, str(path)) - instructions(tree, "-")
        print(f"{name}: {counts[name]:,} instructions for {args.rows:,} rows", file=sys.stderr)
    ratio = counts["this code"] / counts[args.baseline]
    print(f"| import of {args.rows:,} rows | this code {counts['this code']:,} | {args.baseline} "
          f"{counts[args.baseline]:,} | **{ratio:.3f}×** | (callgrind, load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
