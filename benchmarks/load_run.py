"""The load run (issue 14): gunicorn + PostgreSQL + the queue on loopback, people of three roles
doing their day in Locust, bounded in users and time.

    .venv/bin/python benchmarks/load_run.py                     # 50 users, 5 minutes (the measured run)
    .venv/bin/python benchmarks/load_run.py --users 10 --run-time 20s --out /tmp/x.json   # the test's run

Everything runs on 127.0.0.1 and stops by itself: a throwaway PostgreSQL cluster
(tests/pgcluster.py), a Redis server (tests/redisserver.py) that holds the sign-in limits
(``RATELIMIT_STORAGE_URI``) and the task queue (``TRACKER_QUEUE_URL``), ``flask db upgrade``,
the demo province (``flask demo --no-serve``), the accounts and signed handovers
(benchmarks/load_seed.py), gunicorn with the checked-in settings
(``gunicorn -c python:tracker.serving.gunicorn_conf app:app``), the queue's worker
(``flask --app app worker``), then ``locust --headless`` with benchmarks/locustfile.py. While it
runs, PostgreSQL's connections are counted every few seconds (``pg_stat_activity``).

Writes the figures (p50/p95/p99 and counts per request type, failures, connections, the machine)
to ``--out`` (default benchmarks/out/load_run.json) and prints them as a Markdown table. Exits 1 if
any request failed, a task raised, or a role made no request.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

from tests.pgcluster import Cluster, ClusterUnavailable, _free_port  # noqa: E402
from tests.redisserver import RedisServer  # noqa: E402

ROLES = ("officer", "commune", "auditor")
GUNICORN_CONFIG = ROOT / "tracker" / "serving" / "gunicorn_conf.py"
SAMPLE_EVERY = 2.0  # seconds between two counts of PostgreSQL's connections


class Unavailable(RuntimeError):
    """PostgreSQL or Redis cannot start on this machine; ``required_by`` names the variable
    (REQUIRE_POSTGRES, REQUIRE_REDIS) under which the test fails instead of skipping."""

    def __init__(self, message: str, required_by: str):
        super().__init__(message)
        self.required_by = required_by


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _run(cmd: list[str], env: dict, log: Path, timeout: float = 600) -> None:
    with log.open("ab") as fh:
        result = subprocess.run(cmd, env=env, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[-3:])} failed ({result.returncode}); see {log}")


def _wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout:.0f} s")


class Processes:
    """The servers this run started; ``stop()`` signals them all at once, then kills what is left."""

    def __init__(self) -> None:
        self.started: list[tuple[subprocess.Popen, int, float]] = []

    def spawn(self, command: list[str], env: dict, log, stop_signal: int, stop_wait: float) -> subprocess.Popen:  # noqa: ANN001
        """Start ``command`` in a session of its own; ``stop_signal`` and ``stop_wait`` say how it ends."""
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.started.append((process, stop_signal, stop_wait))
        return process

    def stop(self) -> None:
        for process, stop_signal, _wait in self.started:
            if process.poll() is None:
                process.send_signal(stop_signal)
        began = time.monotonic()
        for process, _signal, wait in self.started:
            try:
                process.wait(timeout=max(0.1, wait - (time.monotonic() - began)))
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(process.pid, signal.SIGKILL)  # what is left of it: gunicorn's workers, say
            except (ProcessLookupError, PermissionError):
                pass
            process.wait()


def gunicorn_command() -> list[str]:
    """The checked-in configuration; an equivalent command line where it is not there."""
    if GUNICORN_CONFIG.exists():
        return [_bin("gunicorn"), "-c", "python:tracker.serving.gunicorn_conf", "app:app"]
    cores = len(os.sched_getaffinity(0))
    return [_bin("gunicorn"), "--bind", os.environ.get("TRACKER_BIND", "127.0.0.1:8000"), "--workers",
            str(2 * cores + 1), "--worker-class", "gthread", "--threads", "4", "--timeout", "120", "app:app"]


def has_worker_command() -> bool:
    """Whether this tree has the queue's worker command (``flask --app app worker``, issue 14).

    Read from the command table in tracker/cli.py rather than by ``flask --help``, which would
    import the app once more (seconds, on a busy machine) for the same answer."""
    return "worker_command" in (ROOT / "tracker" / "cli.py").read_text(encoding="utf-8")


class ConnectionSampler(threading.Thread):
    """Counts the app's connections to PostgreSQL every few seconds (``pg_stat_activity``)."""

    def __init__(self, port: int, user: str, dbname: str):
        super().__init__(daemon=True, name="pg-connections")
        self.dsn = f"host=127.0.0.1 port={port} user={user} dbname={dbname}"
        self.samples: list[dict] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self.stopping.is_set():
                total, active = conn.execute(
                    "SELECT count(*), count(*) FILTER (WHERE state <> 'idle') FROM pg_stat_activity "
                    "WHERE datname = current_database() AND backend_type = 'client backend' "
                    "AND pid <> pg_backend_pid()").fetchone()
                self.samples.append({"t": round(time.time(), 1), "connections": total, "active": active})
                self.stopping.wait(SAMPLE_EVERY)

    def summary(self) -> dict:
        counts = [s["connections"] for s in self.samples] or [0]
        active = [s["active"] for s in self.samples] or [0]
        return {"samples": len(self.samples), "every_s": SAMPLE_EVERY, "max": max(counts),
                "mean": round(statistics.fmean(counts), 1), "active_max": max(active),
                "active_mean": round(statistics.fmean(active), 1)}


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return {"cores": os.cpu_count(), "cpu_model": model, "memory_gb": round(memory / 1024 / 1024, 1),
            "python": platform.python_version(), "load_before": list(os.getloadavg())}


def busy_processes(limit: int = 8) -> list[str]:
    """What else held the CPU when the run began (the machine is shared)."""
    result = subprocess.run(["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"], capture_output=True,
                            text=True)
    return [" ".join(line.split()) for line in result.stdout.splitlines()[:limit]]


def percentile(response_times: dict[str, int], count: int, share: float) -> float | None:
    """The time that ``share`` of the requests finished within, from Locust's histogram, computed as
    Locust does (its times are exact below 100 ms, kept to 2 significant figures above)."""
    if not count:
        return None
    allowed_above = int(count * share)
    seen = 0
    for ms, n in sorted(((float(k), v) for k, v in response_times.items()), reverse=True):
        seen += n
        if count - seen <= allowed_above:
            return ms
    return 0.0


def read_stats(entries: list[dict]) -> list[dict]:
    """Per request type, from Locust's final figures."""
    stats = []
    for entry in entries:
        n, times = entry["num_requests"], entry["response_times"]
        elapsed = max((entry["last_request_timestamp"] or entry["start_time"]) - entry["start_time"], 1e-9)
        stats.append({"type": entry["method"], "name": entry["name"], "requests": n, "failures": entry["num_failures"],
                      "p50_ms": percentile(times, n, 0.50), "p95_ms": percentile(times, n, 0.95),
                      "p99_ms": percentile(times, n, 0.99), "max_ms": entry["max_response_time"],
                      "mean_ms": round(entry["total_response_time"] / n, 1) if n else None,
                      "rps": round(n / elapsed, 2)})
    return stats


def verdict(stats: list[dict], errors: dict) -> list[str]:
    """What makes the run fail: any failed request, any exception in a task, a role with no request."""
    problems = [f"{e['method']} {e['name']}: {e['error']} ×{e['occurrences']}" for e in errors["errors"]]
    problems += [f"exception ×{e['count']}: {e['message']}" for e in errors["exceptions"]]
    for role in ROLES:
        if not sum(s["requests"] for s in stats if s["name"].startswith(f"{role}:") and s["type"] != "refusal"):
            problems.append(f"no request from the {role} role")
    return problems


def markdown(result: dict) -> str:
    lines = ["| request | count | p50 ms | p95 ms | p99 ms | max ms | failures |", "|---|---|---|---|---|---|---|"]
    for s in sorted(result["requests"], key=lambda s: (s["type"] == "refusal", s["name"])):
        if s["type"] == "refusal":
            lines.append(f"| refusal: {s['name']} | {s['requests']} | | | | | (expected) |")
        else:
            lines.append(f"| {s['name']} | {s['requests']} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | "
                         f"{s['p99_ms']:.0f} | {s['max_ms']:.0f} | {s['failures']} |")
    return "\n".join(lines)


class Phases:
    """Wall time of each step of the run, for the report."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = round(now - self._last, 1)
        self._last = now


def start_databases(stack: ExitStack) -> tuple[Cluster, str, RedisServer]:
    """PostgreSQL and Redis on loopback, stopped when ``stack`` closes; Unavailable if either cannot start."""
    try:
        cluster = Cluster()
        stack.callback(cluster.stop)
        url = cluster.start()
    except ClusterUnavailable as exc:
        raise Unavailable(f"PostgreSQL cluster could not start: {exc}", "REQUIRE_POSTGRES") from exc
    try:
        redis = RedisServer()
    except RuntimeError as exc:
        raise Unavailable(f"Redis could not start: {exc}", "REQUIRE_REDIS") from exc
    stack.callback(redis.stop)
    return cluster, url, redis


def prepare(env: dict, log: Path, plan: Path, per_role: int) -> None:
    """Migrate (``flask db upgrade``), load the demo province without serving it (``flask demo
    --no-serve``), add the run's accounts and signed handovers: benchmarks/load_seed.py, one process."""
    _run([sys.executable, str(ROOT / "benchmarks" / "load_seed.py"), "--demo", "--per-role", str(per_role),
          "--plan", str(plan)], env, log)


def warm_up(port: int, log: Path, timeout: float = 180) -> dict:
    """Wait until every gunicorn worker has loaded the app: the port opens as soon as the arbiter
    binds it, while each worker still imports the app (seconds on a busy machine). Rounds of
    concurrent sign-in pages, twice as many as workers, until a whole round answers 200 quickly.
    Not counted in the figures."""
    workers = max(1, log.read_text(errors="replace").count("Booting worker")) if log.exists() else 1

    def fetch(_: int) -> tuple[int, float]:
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=60) as response:
                return response.status, time.perf_counter() - began
        except OSError:
            return 0, time.perf_counter() - began

    deadline, rounds = time.monotonic() + timeout, 0
    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        while time.monotonic() < deadline:
            rounds += 1
            answers = list(pool.map(fetch, range(2 * workers)))
            if all(status == 200 for status, _ in answers) and max(t for _, t in answers) < 2.0:
                break
            time.sleep(0.5)
    workers = max(1, log.read_text(errors="replace").count("Booting worker"))
    return {"gunicorn_workers": workers, "warm_up_rounds": rounds}


def serve(stack: ExitStack, env: dict, logs: Path, port: int, result: dict) -> None:
    """gunicorn with the checked-in settings, and the queue's worker; both stopped with ``stack``."""
    server_log = stack.enter_context((logs / "gunicorn.log").open("wb"))
    worker_log = stack.enter_context((logs / "worker.log").open("wb"))
    processes = Processes()
    stack.callback(processes.stop)  # before the logs close
    command = gunicorn_command()
    result["server"] = " ".join([Path(command[0]).name, *command[1:]])
    # INT: gunicorn's quick shutdown (the run is over). Its workers exit at once; the arbiter was seen
    # lingering 9 s after them, so it gets 3 s before its process group is killed.
    server = processes.spawn(command, env, server_log, signal.SIGINT, 3)
    if has_worker_command():
        # TERM: Huey's consumer stops without waiting for running jobs (there are none by then); it took
        # 5.6 s to exit here, so after 2 s it is killed.
        processes.spawn([_bin("flask"), "--app", "app", "worker"], env, worker_log, signal.SIGTERM, 2)
        result["queue_worker"] = "flask --app app worker"
    else:
        # PLACE FOR THE WORKER: `flask --app app worker` (issue 14) is not in this tree yet; the
        # scenario's exports stay below EXPORT_JOB_ROWS, so nothing waits on a job meanwhile.
        result["queue_worker"] = None
    _wait_for_port(port, server, "gunicorn")


def drive(env: dict, work: Path, port: int, users: int, run_time: str, spawn_rate: float) -> tuple[list, dict, int]:
    """Run Locust headless to the end; (stats per request type, errors, Locust's exit code)."""
    results = work / "locust-results.json"  # written by the locustfile when Locust quits
    locust = [_bin("locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
              "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", run_time,
              "--stop-timeout", "10", "--host", f"http://127.0.0.1:{port}", "--only-summary"]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with (work / "logs" / "locust.log").open("wb") as fh:
        finished = subprocess.run(locust, env={**env, "LOAD_PLAN": str(work / "plan.json"), "LOAD_RESULTS": str(results)},
                                  cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, timeout=_seconds(run_time) + 180)
    if not results.exists():
        raise RuntimeError(f"locust exited with {finished.returncode} and no figures; see {work / 'logs'}")
    figures = json.loads(results.read_text(encoding="utf-8"))
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures["locust_cpu_s"] = round(cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime, 1)
    return read_stats(figures["stats"]), figures, finished.returncode


def load_run(users: int, run_time: str, spawn_rate: float, out: Path, keep: bool = False) -> dict:
    """Start everything, run Locust, stop everything; return the result (also written to ``out``)."""
    work = Path(tempfile.mkdtemp(prefix="tracker-load-"))
    logs = work / "logs"
    logs.mkdir()
    result: dict = {"command": f"benchmarks/load_run.py --users {users} --run-time {run_time} --spawn-rate {spawn_rate:g}",
                    "users": users, "run_time": run_time, "spawn_rate": spawn_rate, "machine": machine(),
                    "busy_at_start": busy_processes()}
    phases = Phases()
    with ExitStack() as stack:
        cluster, url, redis = start_databases(stack)
        phases.done("postgres_redis_start")
        port = _free_port()
        env = {**os.environ, "DATABASE_URL": url, "TRACKER_INSTANCE": str(work / "instance"),
               "SECRET_KEY": "load-run", "RATELIMIT_STORAGE_URI": redis.url,
               "TRACKER_QUEUE_URL": redis.url.rsplit("/", 1)[0] + "/1", "TRACKER_BIND": f"127.0.0.1:{port}",
               "PYTHONUNBUFFERED": "1"}
        env.pop("FLASK_DEBUG", None)
        # gunicorn's workers load the app while the database is migrated and the demo province generated
        # (the app reads no table when it starts).
        serve(stack, env, logs, port, result)
        prepare(env, logs / "setup.log", work / "plan.json", per_role=max(users, 3))
        phases.done("migrate_demo_seed_and_server_start")
        result.update(warm_up(port, logs / "gunicorn.log"))
        phases.done("warm_up")
        plan = json.loads((work / "plan.json").read_text(encoding="utf-8"))
        result["seed"] = {"signed_handovers": plan["signed_handovers"], "givers": len(plan["givers"]),
                          "accounts_per_role": {k: len(v) for k, v in plan["accounts"].items()}}
        sampler = ConnectionSampler(cluster.port, cluster.user, url.rsplit("/", 1)[1])
        sampler.start()
        stats, errors, result["locust_exit_code"] = drive(env, work, port, users, run_time, spawn_rate)
        phases.done("locust")
        sampler.stopping.set()
        sampler.join(timeout=10)
        result["postgres_connections"] = sampler.summary()
        result["machine"]["load_after"] = list(os.getloadavg())
        result["server_errors_logged"] = _server_errors(logs / "gunicorn.log")
    phases.done("stop")
    result["phases_s"] = phases.seconds
    result["requests"] = stats
    result["total_requests"] = sum(s["requests"] for s in stats if s["type"] != "refusal")
    result["errors"] = sum(e["occurrences"] for e in errors["errors"]) + sum(e["count"] for e in errors["exceptions"])
    result["error_details"] = {"errors": errors["errors"], "exceptions": errors["exceptions"]}
    result["locust_cpu_s"] = errors["locust_cpu_s"]  # the load generator shares the 2 cores with the server
    result["by_role"] = {role: sum(s["requests"] for s in stats if s["name"].startswith(f"{role}:")
                                   and s["type"] != "refusal") for role in ROLES}
    result["problems"] = verdict(stats, errors)
    result["logs"] = str(logs) if keep or result["problems"] else None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if not keep and not result["problems"]:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _server_errors(log: Path) -> int:
    """Lines gunicorn logged at ERROR (a worker's traceback, a timeout)."""
    if not log.exists():
        return 0
    return sum(1 for line in log.read_text(errors="replace").splitlines() if "[ERROR]" in line or "Traceback" in line)


def _seconds(run_time: str) -> int:
    units = {"h": 3600, "m": 60, "s": 1}
    total, number = 0, ""
    for char in run_time:
        if char.isdigit():
            number += char
        else:
            total, number = total + int(number) * units[char], ""
    return total + (int(number) if number else 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--run-time", default="5m")
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--out", type=Path, default=OUT / "load_run.json")
    parser.add_argument("--keep", action="store_true", help="keep the logs, the plan and Locust's figures")
    args = parser.parse_args(argv)
    try:
        result = load_run(args.users, args.run_time, args.spawn_rate, args.out, args.keep)
    except Unavailable as exc:
        print(f"cannot run: {exc}", file=sys.stderr)
        return 2
    print(markdown(result))
    connections = result["postgres_connections"]
    print(f"\n{result['total_requests']} requests, {result['errors']} errors; by role {result['by_role']}; "
          f"PostgreSQL connections max {connections['max']}, mean {connections['mean']} "
          f"({connections['samples']} samples); phases {result['phases_s']} s; wrote {args.out}")
    for problem in result["problems"]:
        print("PROBLEM:", problem, file=sys.stderr)
    if result["logs"]:
        print(f"logs: {result['logs']}", file=sys.stderr)
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
