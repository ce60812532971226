from .reporting import build_report
