-- Accounts people can recover: single-use tokens mailed for a password reset, an address check or an address
-- change; which addresses are verified; and which notification mails a user wants.

-- Accounts made before addresses were checked keep working as they did: they count as verified.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
UPDATE users SET email_verified_at = created_at;

-- Mail a user receives about others' comments; the one-click unsubscribe link turns one off (RFC 8058).
ALTER TABLE users ADD COLUMN notify_comments boolean NOT NULL DEFAULT true;
ALTER TABLE users ADD COLUMN notify_replies boolean NOT NULL DEFAULT true;

-- Only a SHA-256 of each token is stored (as for sessions): a copy of this table cannot reset anyone's password.
-- `email` is the address the token was mailed to: a reset is void once the account's address has changed, and an
-- address change applies the address its confirmation went to.
CREATE TABLE account_tokens (
  token_hash text PRIMARY KEY,
  user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose    text NOT NULL CHECK (purpose IN ('password_reset', 'verify_email', 'change_email')),
  email      text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose) WHERE used_at IS NULL;
CREATE INDEX account_tokens_expires_idx ON account_tokens (expires_at);
