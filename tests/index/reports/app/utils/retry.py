import time


def wait_and_retry(fn, attempts=3):
    for _ in range(attempts):
        try:
            return fn()
        except ConnectionError:
            time.sleep(1)
    return fn()
