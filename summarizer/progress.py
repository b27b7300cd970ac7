"""Progress for programs as well as people.

Progress callbacks receive a :class:`ProgressEvent`: it *is* the human-readable line (a ``str``, so
every ``Callable[[str], None]`` callback keeps working) and also carries fields a program can read
without parsing text.
"""

from __future__ import annotations


class ProgressEvent(str):
    """One progress line plus its fields: ``stage``, ``done``/``total``, ``eta_s`` and ``tokens``."""

    stage: str
    done: int | None
    total: int | None
    eta_s: float | None
    tokens: int | None
    item: str | None

    def __new__(  # noqa: PYI034 (typing.Self needs Python 3.11)
        cls,
        message: str,
        *,
        stage: str,
        done: int | None = None,
        total: int | None = None,
        eta_s: float | None = None,
        tokens: int | None = None,
        item: str | None = None,
    ) -> ProgressEvent:
        event = super().__new__(cls, message)
        event.stage, event.done, event.total = stage, done, total
        event.eta_s, event.tokens, event.item = eta_s, tokens, item
        return event

    def as_dict(self) -> dict[str, object]:
        """The fields and the message, e.g. for a JSON log line."""
        return {"stage": self.stage, "done": self.done, "total": self.total, "eta_s": self.eta_s,
                "tokens": self.tokens, "item": self.item, "message": str(self)}


def eta_seconds(done: int, total: int, elapsed_s: float) -> float | None:
    """Seconds left at the pace so far (which already reflects concurrency); None before the first."""
    if done <= 0 or done >= total:
        return None if done <= 0 else 0.0
    return elapsed_s / done * (total - done)


def format_eta(eta_s: float | None) -> str:
    """``", ETA 1m05s"`` style suffix; empty when unknown."""
    if eta_s is None:
        return ""
    minutes, seconds = divmod(round(eta_s), 60)
    return f", ETA {minutes}m{seconds:02d}s" if minutes else f", ETA {seconds}s"
