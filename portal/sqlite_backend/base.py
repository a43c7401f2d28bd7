"""Django's SQLite backend, keeping the query planner's table statistics as tables grow.

SQLite plans joins from statistics that only ANALYZE gathers (portal/planner_statistics.py).
The legacy importer refreshes them after each run, but a site that grows by editing never
would: a query that was quick on the demo content can walk a whole index on a large archive
(the home page's categories took 16–23 ms at 10,000 bulletins; docs/benchmarks.md). SQLite's
advice for such applications is `PRAGMA optimize` as each connection closes: it analyzes the
tables this connection's queries used that have no statistics yet or have outgrown them, and
costs next to nothing when none has.
"""

from django.db.backends.sqlite3 import base

from portal.planner_statistics import ANALYSIS_LIMIT


class DatabaseWrapper(base.DatabaseWrapper):
    def _close(self):
        if self.connection is not None:
            try:
                self.connection.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
                self.connection.execute("PRAGMA optimize")
            except base.Database.Error:
                pass  # locked or read-only: the next connection to close tries again
        super()._close()
