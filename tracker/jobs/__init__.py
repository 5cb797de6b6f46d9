"""Background jobs on a task queue (Huey): long work runs on the worker, never in a web process.

- ``queue``: the Huey instance the configuration names (a SQLite file in the instance folder by
  default, Redis in production), the one task it runs, the worker's heartbeat;
- ``store``: a job's row and files in the database (every host sees them), its live progress in
  the queue's store, and how a job whose worker died is told apart from one still waiting;
- ``runner``: what the worker does with a job (the feature's function, heartbeat, outcome);
- ``views``: the page of a job that ends in a download (big exports, the country report);
- ``commands``: ``flask worker``.

A feature registers its work with ``runner.task("kind")`` and starts it with ``runner.submit``.
docs/DECISIONS.md («Background jobs») says why Huey, and what was weighed.
"""
