"""Keyword screening score for an application (0.0 - 1.0)."""
from app.models import Application


def score_application(application: Application, keywords: list[str]) -> float:
    if not keywords:
        return 0.0
    text = (application.cover_letter or "").lower()
    hits = 0
    for keyword in keywords:
        if keyword.lower() in text:
            hits += 1
    score = hits / len(keywords)
    if application.resume_url:
        score = min(1.0, score + 0.1)
    return round(score, 3)
