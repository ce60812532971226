"""jobs: notify listeners on change

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE FUNCTION notify_job_change() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('job_events', json_build_object('id', NEW.id, 'status', NEW.status)::text);
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """
    )
    op.execute(sa.text(
        "CREATE TRIGGER jobs_notify_trg "
        "AFTER INSERT OR UPDATE OF status ON public.jobs "
        "FOR EACH ROW EXECUTE FUNCTION notify_job_change();"
    ))


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS jobs_notify_trg ON public.jobs")
    op.execute("DROP FUNCTION IF EXISTS notify_job_change()")
