-- 0003: operator accounts. Passwords are scrypt hashes; the TOTP secret is needed in clear to check codes
-- (encrypting it at rest with a key outside the database is a planned improvement, see docs/operators.md).
-- Login state (failures, lock, last TOTP step) is updated with compare-and-set so two simultaneous logins
-- cannot both use one code.
CREATE TABLE operators (
  operator_id     text    PRIMARY KEY CHECK (operator_id ~ '^[A-Za-z0-9._:-]{1,64}$'),
  display_name    text    NOT NULL,
  role            text    NOT NULL CHECK (role IN ('guard', 'supervisor', 'auditor', 'admin')),
  person_id       text,
  password_hash   text    NOT NULL,
  totp_secret     text    NOT NULL,
  totp_last_step  bigint,
  failures        integer NOT NULL DEFAULT 0,
  retry_after_us  bigint,
  locked          boolean NOT NULL DEFAULT false,
  disabled        boolean NOT NULL DEFAULT false,
  created_us      bigint  NOT NULL
);
REVOKE ALL ON operators FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON operators TO portcullis_app;
