-- 0009: engine snapshots (docs/event-store.md, "Snapshots"): the state a replay of a site's history
-- rebuilds, saved at a committed point of its chain so a restart replays only the records after it. Not part
-- of the chain and never evidence: start-up uses a snapshot only when (site_seq, chain_hash) is the stored
-- chain's row at that seq, its format version is one the server reads and its digest (over every other
-- column) checks; otherwise it reports why and replays from zero. The server keeps the newest few per site.
CREATE TABLE engine_snapshots (
  site_id           text        NOT NULL,
  site_seq          bigint      NOT NULL CHECK (site_seq > 0),
  chain_hash        bytea       NOT NULL CHECK (length(chain_hash) = 32),
  format_version    integer     NOT NULL,
  site_version_hash text        NOT NULL,  -- the site version whose definition the snapshot's model needs
  body              bytea       NOT NULL,
  digest            bytea       NOT NULL,  -- HMAC-SHA-256 with the snapshot key when one is set, else SHA-256
  written_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, site_seq)
);

-- The application writes snapshots and deletes the old ones; a lost snapshot only costs a longer replay.
REVOKE ALL ON engine_snapshots FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON engine_snapshots TO portcullis_app;
