"""Retry helpers shared by the Celery tasks and the API services."""
import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


def backoff_sleep(attempt: int, base: float = 0.25, cap: float = 5.0) -> None:
    """Sleep before retry number `attempt` (0-based): exponential with jitter."""
    delay = min(cap, base * 2**attempt) + random.uniform(0, base)
    log.debug("retrying in %.2fs (attempt %d)", delay, attempt + 1)
    time.sleep(delay)


def retry_call(
    fn: Callable[[], T],
    attempts: int = 3,
    exceptions: tuple[type[BaseException], ...] = (Exception,),
) -> T:
    """Call fn, retrying on the given exceptions with exponential backoff."""
    for attempt in range(attempts):
        try:
            return fn()
        except exceptions:
            if attempt == attempts - 1:
                raise
            backoff_sleep(attempt)
    raise AssertionError("unreachable")
