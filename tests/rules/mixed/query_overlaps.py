"""Overlaps between the query-efficiency rules (CONTRACT.md: one finding per problem)."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from query_models import QAuthor, QPost


def purge_posts(session: Session, posts: list[QPost]) -> None:
    for post in posts:
        session.delete(post)  # expect: PA102


def copy_posts(session: Session, post_ids: list[int]) -> None:
    for pid in post_ids:
        src = session.get(QPost, pid)  # expect: PA107
        session.add(QPost(title=src.title, author_id=src.author_id))  # ok: PA105 (PA107 wins: the loop reads too)


def import_posts(session: Session, titles: list[str]) -> None:
    for title in titles:
        session.add(QPost(title=title, author_id=1))  # expect: PA105


def count_posts(session: Session) -> int:
    return len(session.scalars(select(QPost)).all())  # expect: PA104


def author_names(session: Session) -> list[str]:
    posts = session.scalars(select(QPost)).all()
    return [p.author.name for p in posts]  # expect: PA107


def author_ids(session: Session) -> list[int]:
    posts = session.scalars(select(QPost)).all()
    return [p.author_id for p in posts]  # ok: PA107 (foreign-key column)


def load_author(session: Session, author_id: int) -> str:
    return session.get(QAuthor, author_id).name  # ok: PA101 (no caller passes a fetched author's id)


def delete_by_ids(session: Session, post_ids: list[int]) -> None:
    for pid in post_ids:
        post = session.get(QPost, pid)  # ok: PA107 (fetched only to be deleted: PA102's finding)
        session.delete(post)  # expect: PA102
