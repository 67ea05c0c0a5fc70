"""The audit log is append-only: on PostgreSQL a trigger refuses UPDATE and DELETE of its rows, whatever
the client (Huiwu, psql, an administrator's script). TRUNCATE stays possible for the test suite's flush;
it needs table ownership, which the application role should not have in production."""

from django.db import migrations

CREATE = """
CREATE FUNCTION security_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER security_auditentry_append_only
    BEFORE UPDATE OR DELETE ON security_auditentry
    FOR EACH ROW EXECUTE FUNCTION security_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS security_auditentry_append_only ON security_auditentry;
DROP FUNCTION IF EXISTS security_audit_append_only();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            # No parameters: the % of RAISE are PL/pgSQL's, not placeholders for the driver.
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
