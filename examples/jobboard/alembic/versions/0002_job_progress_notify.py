"""notify listeners when a job's progress or status changes

Revision ID: 0002
Revises: 0001
Create Date: 2026-04-20 16:31:07
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE FUNCTION notify_job_progress() RETURNS trigger AS $$
        BEGIN
            IF NEW.progress IS DISTINCT FROM OLD.progress
               OR NEW.status IS DISTINCT FROM OLD.status THEN
                PERFORM pg_notify(
                    'job_progress',
                    json_build_object(
                        'job_id', NEW.id,
                        'status', NEW.status,
                        'progress', NEW.progress
                    )::text
                );
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """
    )
    op.execute(
        """
        CREATE TRIGGER jobs_progress_notify
        AFTER UPDATE ON jobs
        FOR EACH ROW EXECUTE FUNCTION notify_job_progress();
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS jobs_progress_notify ON jobs")
    op.execute("DROP FUNCTION IF EXISTS notify_job_progress()")
