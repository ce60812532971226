from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Cart, Country, Region


class CountryService:
    def __init__(self, session: Session):
        self.session = session
        self._cache = None

    def countries(self):
        if self._cache is None:
            self._cache = self.session.scalars(select(Country)).all()  # expect: PA106
        return self._cache


class RegionStats:
    def __init__(self, session: Session):
        self.session = session
        self._loaded = None

    def per_country(self):
        if self._loaded is None:
            stmt = select(Country.code, func.count(Region.id)).join(Region).group_by(Country.code)
            self._loaded = self.session.execute(stmt).all()  # expect: PA106
        return self._loaded


class CartService:
    def __init__(self, session: Session):
        self.session = session
        self._cart_cache = {}

    def cart_for(self, user_id: int):
        if user_id not in self._cart_cache:
            self._cart_cache[user_id] = self.session.scalars(select(Cart).where(Cart.user_id == user_id)).first()  # ok: PA106 (user-specific)
        return self._cart_cache[user_id]


class AppCountryCache:
    def __init__(self, session: Session):
        self.session = session
        self._cache = None

    def countries(self):
        if self._cache is None:
            self._cache = self.session.scalars(select(Country)).all()  # ok: PA106 (one instance for the app)
        return self._cache


@lru_cache
def get_app_country_cache() -> AppCountryCache:
    return AppCountryCache(None)
