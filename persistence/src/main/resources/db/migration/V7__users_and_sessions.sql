-- The people who sign in to a tenant. Sign-in asks only for an email, so an email belongs to one user on the whole
-- platform: it is stored lower-cased (the CHECK keeps every writer honest) and unique across tenants. The login
-- look-up by email comes before any tenant is known, so it runs on the owner's connections, which row-level
-- security does not restrict; the policy below guards the API's tenant-scoped flexoraa_app connections.
CREATE TABLE users (
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  email TEXT NOT NULL CHECK (email = lower(email)),
  name TEXT NOT NULL,
  -- Role.displayName(); a role the code does not know can never be stored
  role TEXT NOT NULL CHECK (role IN ('Admin', 'Manager', 'SDR', 'Product', 'DevOps', 'Auditor', 'ReadOnly')),
  -- Argon2id in its PHC string form: algorithm, parameters and salt travel with the hash
  password_hash TEXT NOT NULL,
  -- TOTP secrets, encrypted under the master key with "tenant_id:user_id" as associated data, so a ciphertext
  -- copied onto another user's row does not decrypt
  mfa_secret_enc TEXT,
  -- a secret handed out by an enrolment that no code has confirmed yet; it never counts as a second factor
  mfa_pending_secret_enc TEXT,
  mfa_enrolled_at TIMESTAMPTZ,
  -- the last TOTP time step accepted: a code is good for about 90 seconds, and this makes it good only once
  mfa_last_step BIGINT,
  -- consecutive failed sign-ins and the lock-out they earned (LoginThrottle decides the length)
  failed_attempts INT NOT NULL DEFAULT 0,
  locked_until TIMESTAMPTZ,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, user_id),
  UNIQUE (email)
);

-- One row per sign-in. An access token names its session, so logging out, disabling a user or changing their
-- role ends tokens that are otherwise valid for a day; last_seen_at gives the idle time-out.
CREATE TABLE user_sessions (
  session_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  -- false: the session may only enrol and verify a TOTP factor (an Admin or Manager who has not finished sign-in)
  second_factor BOOLEAN NOT NULL,
  revoked_at TIMESTAMPTZ,
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX user_sessions_user_idx ON user_sessions (tenant_id, user_id);

GRANT SELECT, INSERT, UPDATE ON users, user_sessions TO flexoraa_app;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_sessions
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
