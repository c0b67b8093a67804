-- 0004: operator sessions, so a restart (or another instance sharing this database) keeps signed-in
-- operators signed in. Only the SHA-256 of each token is stored: a copy of this table opens no console.
-- Sign-ins and sign-outs are recorded in the event chain; this table is working state, not history, so
-- the server deletes sessions once they have expired.
CREATE TABLE operator_sessions (
  token_hash       text   PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  operator_id      text   NOT NULL REFERENCES operators (operator_id),
  role             text   NOT NULL CHECK (role IN ('guard', 'supervisor', 'auditor', 'admin')),
  person_id        text,
  created_us       bigint NOT NULL,
  last_activity_us bigint NOT NULL,
  expires_us       bigint NOT NULL,
  ended_us         bigint,
  end_reason       text
);
CREATE INDEX operator_sessions_by_expiry ON operator_sessions (expires_us);
CREATE INDEX operator_sessions_by_operator ON operator_sessions (operator_id);
REVOKE ALL ON operator_sessions FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON operator_sessions TO portcullis_app;
