-- 0005: a role for auditors that can read history and nothing else. portcullis_app may INSERT into
-- events and site_versions (it writes them), so an auditor connected as portcullis_app could append a
-- row; portcullis_auditor has SELECT on the history tables only, and no access to operators (password
-- hashes, TOTP secrets), sessions or device tokens. It is created without a password: the database owner
-- sets one (ALTER ROLE portcullis_auditor PASSWORD '...') or maps it in pg_hba.conf.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portcullis_auditor') THEN
    CREATE ROLE portcullis_auditor LOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;  -- roles are cluster-wide: another database of this cluster created it concurrently
END
$$;

GRANT SELECT ON events, site_versions, events_readable TO portcullis_auditor;
