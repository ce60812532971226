from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class AtsBase(DeclarativeBase):
    pass


class Application(AtsBase):
    __tablename__ = "applications"
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column()
