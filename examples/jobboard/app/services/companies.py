"""Company onboarding and profile maintenance."""
import logging

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Company, User
from app.schemas import CompanyCreate
from app.utils.text import slugify

log = logging.getLogger(__name__)


async def create_company_with_owner(session: AsyncSession, data: CompanyCreate, owner: User) -> Company:
    company = Company(name=data.name, slug=slugify(data.name), domain=data.domain)
    session.add(company)
    # commit first so the company has an id for the owner row
    await session.commit()

    owner.company_id = company.id
    owner.is_recruiter = True
    await session.commit()
    log.info("company %s created by user %s", company.id, owner.id)
    return company
