"""Progress of a long import: a redrawn bar with rate and ETA on a terminal; on a log or a pipe,
a plain line every REPORT_EVERY_ITEMS files or REPORT_EVERY_SECONDS seconds, whichever first."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

BAR_WIDTH = 30
REDRAW_EVERY_SECONDS = 0.2
REPORT_EVERY_ITEMS = 500
REPORT_EVERY_SECONDS = 10.0


class Stream(Protocol):
    def write(self, text: str) -> object: ...

    def flush(self) -> object: ...


def format_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} giờ {minutes:02d} phút"
    if minutes:
        return f"{minutes} phút {seconds:02d} giây"
    return f"{seconds} giây"


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")  # Vietnamese decimal comma


class Progress:
    def __init__(
        self,
        total: int,
        stream: Stream,
        *,
        interactive: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.interactive = interactive
        self.clock = clock
        self.started = self.last_drawn = clock()
        self.last_reported_items = 0
        self._bar_shown = False

    def rate(self) -> float:
        elapsed = self.clock() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def status(self) -> str:
        rate = self.rate()
        text = f"{self.done}/{self.total} tệp · {_number(rate)} tệp/giây"
        if rate > 0 and self.done < self.total:
            text += f" · còn khoảng {format_duration((self.total - self.done) / rate)}"
        return text

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = self.clock()
        if self.interactive:
            if now - self.last_drawn >= REDRAW_EVERY_SECONDS or self.done >= self.total:
                self._draw()
                self.last_drawn = now
        elif (
            self.done - self.last_reported_items >= REPORT_EVERY_ITEMS
            or now - self.last_drawn >= REPORT_EVERY_SECONDS
        ):
            self.stream.write(f"Đã xử lý {self.status()}\n")
            self.stream.flush()
            self.last_drawn, self.last_reported_items = now, self.done

    def message(self, text: str) -> None:
        """A line printed above the bar (a failure, a warning), the bar redrawn below it."""
        if self._bar_shown:
            self.stream.write("\r\x1b[K")
        self.stream.write(text + "\n")
        if self._bar_shown:
            self._draw()
        self.stream.flush()

    def finish(self) -> None:
        if self.interactive and self._bar_shown:
            self._draw()
            self.stream.write("\n")
        elif not self.interactive and self.done != self.last_reported_items:
            self.stream.write(f"Đã xử lý {self.status()}\n")
        self.stream.flush()

    def _draw(self) -> None:
        share = self.done / self.total if self.total else 1.0
        filled = int(BAR_WIDTH * share)
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        self.stream.write(f"\r\x1b[K{bar} {share:4.0%} {self.status()}")
        self.stream.flush()
        self._bar_shown = True
