from typing import Optional

from sqlmodel import Field, Relationship, Session, SQLModel, select


class Team(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str


class Hero(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    team_id: Optional[int] = Field(default=None, foreign_key="team.id")
    team: Optional[Team] = Relationship()


def hero_team_names(session: Session, hero_ids: list[int]) -> list[str]:
    names = []
    for hero_id in hero_ids:
        hero = session.exec(select(Hero).where(Hero.id == hero_id)).first()  # expect: PA107
        names.append(hero.name)
    return names


def hero_team_ids(session: Session) -> list[Optional[int]]:
    heroes = session.exec(select(Hero)).all()
    return [h.team_id for h in heroes]  # ok: PA107 (foreign-key column)
