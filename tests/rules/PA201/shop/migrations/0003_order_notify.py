from django.db import migrations

NOTIFY_SQL = """
CREATE OR REPLACE FUNCTION notify_order_status() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('order_status', NEW.id::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER order_status_notify
AFTER UPDATE ON shop_order
FOR EACH ROW EXECUTE FUNCTION notify_order_status();
"""


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_order_status")]

    operations = [
        migrations.RunSQL(NOTIFY_SQL, reverse_sql="DROP TRIGGER order_status_notify ON shop_order"),
    ]
