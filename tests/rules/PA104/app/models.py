from sqlalchemy import String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    long_html: Mapped[str] = mapped_column(Text)
    price: Mapped[int] = mapped_column()
    cost: Mapped[int] = mapped_column()
    weight: Mapped[int] = mapped_column()
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    depth: Mapped[int] = mapped_column()
    color: Mapped[str] = mapped_column(String(20))
    vendor: Mapped[str] = mapped_column(String(100))
    ean: Mapped[str] = mapped_column(String(20))
    stock: Mapped[int] = mapped_column()
    notes: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column()


class Country(Base):
    __tablename__ = "countries"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(100))
