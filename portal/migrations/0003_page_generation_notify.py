"""PostgreSQL: every change of the page generation row is announced on a channel, so each
process keeps the generation without reading it on every request (portal/pagecache.py). A
trigger rather than application code: a bump from anywhere (an older release still running,
a script, psql) is heard as well."""

from django.db import migrations

CHANNEL = "portal_page_generation"  # portal.pagecache.NOTIFY_CHANNEL (migrations stay frozen)

CREATE = f"""
CREATE OR REPLACE FUNCTION portal_page_generation_notify() RETURNS trigger AS $$
BEGIN
    -- One constant payload: the bumps of one transaction arrive as one notification.
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER portal_page_generation_notify
    AFTER INSERT OR UPDATE OR DELETE ON portal_pagegeneration
    FOR EACH ROW EXECUTE FUNCTION portal_page_generation_notify();
CREATE TRIGGER portal_page_generation_notify_truncate
    AFTER TRUNCATE ON portal_pagegeneration
    FOR EACH STATEMENT EXECUTE FUNCTION portal_page_generation_notify();
"""

DROP = """
DROP TRIGGER IF EXISTS portal_page_generation_notify_truncate ON portal_pagegeneration;
DROP TRIGGER IF EXISTS portal_page_generation_notify ON portal_pagegeneration;
DROP FUNCTION IF EXISTS portal_page_generation_notify();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_page_generation")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
