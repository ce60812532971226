"""job progress notifications

Revision ID: 0002
"""
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    op.execute(
        """
        CREATE OR REPLACE FUNCTION notify_job_progress() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('job_progress', json_build_object('id', NEW.id, 'progress', NEW.progress)::text);
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


def downgrade():
    op.execute("DROP TRIGGER jobs_progress_notify ON jobs")
