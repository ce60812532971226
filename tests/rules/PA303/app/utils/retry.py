import time


def wait_and_retry(fn, attempts=3, delay=0.5):
    for _ in range(attempts):
        try:
            return fn()
        except ConnectionError:
            time.sleep(delay)  # ok: PA303 (sync helper; reported at the async caller)
    return fn()


def backoff_seconds(attempt):
    return min(30, 2 ** attempt)
