"""The audit log may lose entries older than six months (网络安全法 第二十一条 asks for at least six), and only
through `huiwu audit_prune`: on PostgreSQL the trigger of 0002 now lets a DELETE through when the row is older
than 180 days — the legal floor, judged by the database's clock whatever the settings say — and the
transaction has set `huiwu.audit_prune` to 'on' (SET LOCAL, which only the prune does). UPDATE stays refused
always, and TRUNCATE stays possible (the test suite's flush). SQLite has no trigger (its flush deletes rows)."""

from django.db import migrations, models

PRUNABLE = """
CREATE OR REPLACE FUNCTION security_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
        AND OLD.at < now() - interval '180 days'
        AND current_setting('huiwu.audit_prune', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# The function of 0002, which refuses every UPDATE and DELETE.
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION security_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            # No parameters: the % of RAISE are PL/pgSQL's, not placeholders for the driver.
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("security", "0003_auditentry_request_id")]

    operations = [
        migrations.RunPython(_on_postgresql(PRUNABLE), _on_postgresql(APPEND_ONLY)),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[("view", "Viewed"), ("export", "Exported"), ("change", "Changed"), ("prune", "Pruned")],
                max_length=10,
                verbose_name="action",
            ),
        ),
    ]
