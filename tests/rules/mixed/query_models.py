from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class QBase(DeclarativeBase):
    pass


class QAuthor(QBase):
    __tablename__ = "q_authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class QPost(QBase):
    __tablename__ = "q_posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("q_authors.id"))
    author: Mapped["QAuthor"] = relationship()
