"""Application settings, read from the environment (and .env in development)."""
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="JOBBOARD_")

    database_url: str = "postgresql+asyncpg://jobboard:jobboard@localhost:5432/jobboard"
    database_url_sync: str = "postgresql+psycopg://jobboard:jobboard@localhost:5432/jobboard"
    listen_dsn: str = "postgresql://jobboard:jobboard@localhost:5432/jobboard"
    redis_url: str = "redis://localhost:6379/0"

    secret_key: str = "change-me"
    pbkdf2_rounds: int = 310_000

    upload_dir: str = "/var/lib/jobboard/uploads"
    export_dir: str = "/var/lib/jobboard/exports"
    screening_rules_path: str = "/etc/jobboard/screening_rules.txt"

    ats_webhook_url: str = "https://ats.example.com/hooks/applications"
    partner_api_url: str = "https://partners.example.com/api/v2"
    partner_api_token: str = ""
    market_rates_url: str = "https://rates.example.com/v1/salaries"
    slack_webhook_url: str = ""

    screening_batch_size: int = 25


settings = Settings()
