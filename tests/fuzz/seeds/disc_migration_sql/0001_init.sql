CREATE TABLE jobs (id serial PRIMARY KEY, status text NOT NULL);

CREATE OR REPLACE FUNCTION notify_job_change() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('job_events', json_build_object('id', NEW.id, 'status', NEW.status)::text);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER jobs_notify AFTER INSERT OR UPDATE ON jobs
  FOR EACH ROW EXECUTE FUNCTION notify_job_change();
-- NOTIFY job_events, 'x';
