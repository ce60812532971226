from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class JobBase(DeclarativeBase):
    pass


class Job(JobBase):
    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column()
