"""Request and response models."""
from datetime import datetime

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, EmailStr, Field


class JobSummary(BaseModel):
    id: int
    title: str
    location: str | None = None


class TagOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    slug: str
    name: str
    category: str


class JobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    company_id: int
    title: str
    slug: str
    description: str
    location: str | None
    remote: bool
    employment_type: str
    salary_min: int | None
    salary_max: int | None
    currency: str | None
    status: str
    progress: int
    published_at: datetime | None
    expires_at: datetime | None
    tags: list[TagOut] = []


class JobCreate(BaseModel):
    title: str = Field(min_length=3, max_length=200)
    description: str
    location: str | None = None
    remote: bool = False
    employment_type: str = "full_time"
    salary_min: int | None = None
    salary_max: int | None = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    tags: list[str] = []


class CompanyCreate(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    domain: str | None = None


class WebhookTest(BaseModel):
    url: AnyHttpUrl


class ApplicationCreate(BaseModel):
    job_id: int
    cover_letter: str | None = None
    resume_url: str | None = None


class ShortlistIn(BaseModel):
    application_ids: list[int] = Field(max_length=200)


class RegisterIn(BaseModel):
    email: EmailStr
    full_name: str
    password: str = Field(min_length=10)


class LoginIn(BaseModel):
    email: EmailStr
    password: str
