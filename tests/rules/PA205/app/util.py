import time


def backoff(attempt: int) -> None:
    time.sleep(0.5 * attempt)
