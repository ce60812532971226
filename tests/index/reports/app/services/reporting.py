from ..utils.retry import wait_and_retry


def load_rows(report_id):
    return [report_id]


def build_report(report_id):
    rows = wait_and_retry(lambda: load_rows(report_id))
    return {"id": report_id, "rows": rows}
