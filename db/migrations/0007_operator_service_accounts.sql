-- 0005: every operator account is either linked to its person of the site or an explicit non-person service
-- account. Two accounts count as two people only when both are linked (dual approval, override
-- confirmation); an unlinked account could belong to anyone, so a service account never approves, never
-- confirms an override and never starts a change a second operator approves.
-- Existing accounts without a person become service accounts: they keep signing in and acting alone, and lose
-- approving until an admin links them (docs/operators.md, "Service accounts").
ALTER TABLE operators ADD COLUMN service_account boolean NOT NULL DEFAULT false;
UPDATE operators SET service_account = true WHERE person_id IS NULL OR person_id = '';
UPDATE operators SET person_id = NULL WHERE person_id = '';
ALTER TABLE operators ADD CONSTRAINT operators_person_or_service
  CHECK ((person_id IS NULL) = service_account);
