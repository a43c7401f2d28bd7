"""CPU per rendered bulletin, two checkouts side by side, every cache of a rendered page off.

Usage: .venv/bin/python bench/render_side_by_side.py ARCHIVE BEFORE AFTER [--bulletins 150]
       [--passes 2]
ARCHIVE is a SQLite file that bench/pages.py built (`--keep DIR`: DIR/10000/bench.sqlite3);
BEFORE and AFTER are checkouts (`git worktree add /tmp/before <commit>`, then
`manage.py collectstatic` in it with the production environment). Each checkout renders in a
process of its own, in-process (Django's test client), and the same bulletins go to both in
turn, so that a machine whose speed drifts by the minute slows both alike. Prints, per pass,
the median CPU ms per request of each and their ratio. The first pass sees each bulletin for
the first time; the second has the data caches (site, menus, language links) warm.
Give the same checkout twice to see the harness's own noise. Not part of CI.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import machine, production_env
from pages import sample_rotation

PYTHON = sys.executable
WARM_UP = 20


def serve_requests() -> None:
    """Worker mode: read paths on stdin, answer "status cpu_seconds" for each."""
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for line in sys.stdin:
        started = time.process_time()
        response = client.get(line.strip())
        print(response.status_code, time.process_time() - started, flush=True)


class Renderer:
    def __init__(self, env: dict, code: Path) -> None:
        self.process = subprocess.Popen(
            [PYTHON, __file__, "--serve"],
            cwd=code,
            env={**env, "PYTHONPATH": str(code)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def cpu_ms(self, path: str) -> float:
        self.process.stdin.write(path + "\n")
        self.process.stdin.flush()
        status, seconds = self.process.stdout.readline().split()
        if status != "200":
            raise RuntimeError(f"{path} answered {status}")
        return float(seconds) * 1000

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("archive", type=Path)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--bulletins", type=int, default=150)
    parser.add_argument("--passes", type=int, default=2)
    args = parser.parse_args()
    workdir = args.archive.resolve().parent
    env = production_env(
        f"sqlite:///{args.archive.resolve()}",
        workdir,
        PAGE_CACHE="0",
        FRAGMENT_CACHE_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    print(f"machine: {machine()}")
    paths = sample_rotation(env, args.bulletins + WARM_UP, code=args.after)
    renderers = {"before": Renderer(env, args.before), "after": Renderer(env, args.after)}
    try:
        for path in paths[:WARM_UP]:
            for renderer in renderers.values():
                renderer.cpu_ms(path)
        for number in range(1, args.passes + 1):
            costs = {name: [] for name in renderers}
            for turn, path in enumerate(paths[WARM_UP:]):
                order = ("before", "after") if turn % 2 == 0 else ("after", "before")
                for name in order:
                    costs[name].append(renderers[name].cpu_ms(path))
            before, after = (statistics.median(costs[name]) for name in ("before", "after"))
            print(
                f"pass {number}: before {before:.2f} ms, after {after:.2f} ms, "
                f"after/before {after / before:.3f} ({len(costs['after'])} bulletins)"
            )
    finally:
        for renderer in renderers.values():
            renderer.close()


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve_requests()
    else:
        main()
