from ..utils.retry import backoff_seconds, wait_and_retry


def build_report(job_id):
    return wait_and_retry(lambda: {"job": job_id})


def report_delay(attempt):
    return backoff_seconds(attempt)


async def build_report_async(job_id):
    return {"job": job_id}
