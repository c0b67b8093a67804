-- 0001: the append-only, hash-chained event store and the device directory.
-- Applied by portcullisd as the database owner; the server itself runs as portcullis_app,
-- which may only INSERT and SELECT history.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portcullis_app') THEN
    CREATE ROLE portcullis_app LOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;  -- roles are cluster-wide: another database of this cluster created it concurrently
END
$$;

-- Every fact the server learns, in one ordered chain per site.
-- site_seq orders the chain; hash = SHA-256(prev_hash || canonical bytes of the row), see docs/event-store.md.
CREATE TABLE events (
  site_id        text    NOT NULL,
  site_seq       bigint  NOT NULL CHECK (site_seq > 0),
  source         text    NOT NULL CHECK (source IN ('device', 'server', 'operator')),
  device_id      text,
  device_seq     bigint,
  type           text    NOT NULL,
  device_time_us bigint,
  received_us    bigint  NOT NULL,
  payload        text    NOT NULL,
  outcome        text    NOT NULL,
  prev_hash      bytea   NOT NULL CHECK (length(prev_hash) = 32),
  hash           bytea   NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (site_id, site_seq),
  CHECK ((device_seq IS NULL) = (device_id IS NULL OR source <> 'device'))
);

-- Idempotency: a (device, seq) pair is stored at most once, whatever the retries.
CREATE UNIQUE INDEX events_device_seq_key ON events (device_id, device_seq) WHERE device_seq IS NOT NULL;
CREATE INDEX events_received_idx ON events (site_id, received_us);

-- A readable view for people: timestamps as timestamptz.
CREATE VIEW events_readable AS
  SELECT site_id, site_seq, source, device_id, device_seq, type,
         to_timestamp(device_time_us / 1e6) AS device_time,
         to_timestamp(received_us / 1e6)    AS received_at,
         payload, outcome, encode(hash, 'hex') AS hash
  FROM events;

CREATE FUNCTION forbid_history_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'history is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION forbid_history_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_history_change();

-- Each site version ever loaded, kept whole so a restart replays history against the model of its time.
CREATE TABLE site_versions (
  site_id      text   NOT NULL,
  content_hash bytea  NOT NULL CHECK (length(content_hash) = 32),
  version      text   NOT NULL,
  content      text   NOT NULL,
  loaded_us    bigint NOT NULL,
  loaded_by    text   NOT NULL,
  PRIMARY KEY (site_id, content_hash)
);
CREATE TRIGGER site_versions_append_only BEFORE UPDATE OR DELETE ON site_versions
  FOR EACH ROW EXECUTE FUNCTION forbid_history_change();
CREATE TRIGGER site_versions_no_truncate BEFORE TRUNCATE ON site_versions
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_history_change();

-- Devices and their credentials. Tokens are stored only as SHA-256 hashes: they are 256-bit random
-- values, so a fast hash is enough (unlike PINs and passwords). Changes are also recorded as events.
CREATE TABLE devices (
  device_id     text    PRIMARY KEY CHECK (device_id ~ '^[A-Za-z0-9._:-]{1,64}$'),
  site_id       text    NOT NULL,
  kind          text    NOT NULL,
  token_sha256  bytea   CHECK (token_sha256 IS NULL OR length(token_sha256) = 32),
  enabled       boolean NOT NULL DEFAULT true,
  created_us    bigint  NOT NULL
);

REVOKE ALL ON events, site_versions, devices FROM PUBLIC;
GRANT SELECT, INSERT ON events, site_versions TO portcullis_app;
GRANT SELECT, INSERT, UPDATE ON devices TO portcullis_app;
GRANT SELECT ON events_readable TO portcullis_app;
