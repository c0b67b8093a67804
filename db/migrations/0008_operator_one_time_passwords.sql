-- 0008: the password add-operator prints, and the one an admin's reset gives, is a one-time password: it only
-- sets the operator's own password (POST /api/v1/auth/password); signing in with it answers 403
-- password_change_required and opens no session. Every account that exists now still has the password
-- add-operator printed (there was no way to change one), so every one of them must set its own.
ALTER TABLE operators ADD COLUMN password_change_required boolean NOT NULL DEFAULT true;
