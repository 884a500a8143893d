-- Revocable sessions (DECISIONS, security round 2): every refresh token the gateway signs carries an id
-- (jti) stored here and the user's token version. A refresh retires the presented token (it stays
-- accepted for a short grace) and stores its successor; a password change or reset bumps the version
-- and deletes every token of the user.
ALTER TABLE users ADD COLUMN token_version bigint NOT NULL DEFAULT 0;

CREATE TABLE refresh_tokens (
    token_id   uuid        PRIMARY KEY,
    username   varchar(20) NOT NULL REFERENCES users (username) ON UPDATE CASCADE ON DELETE CASCADE,
    issued_at  timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    retired_at timestamptz
);

CREATE INDEX refresh_tokens_username_idx ON refresh_tokens (username);

-- Abuse limits: fixed-window counters shared by every replica of the service (wrong codes per user and
-- purpose, code issuance per user and per client address, failed logins per user+address, per address
-- and per user). A counter whose window has passed starts again.
CREATE TABLE abuse_counters (
    scope        text        NOT NULL,
    subject      text        NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer     NOT NULL,
    PRIMARY KEY (scope, subject)
);

CREATE INDEX abuse_counters_window_idx ON abuse_counters (window_start);
