-- Accounts, one-time codes and follows (CONTRACT.md §9.1, with D09/D39: nickname 25, picture URL 255).
CREATE TABLE users (
    username       varchar(20)  PRIMARY KEY,
    nickname       varchar(25)  NOT NULL DEFAULT '',
    email          varchar(128) NOT NULL CONSTRAINT email_uq UNIQUE,
    password       char(60)     NOT NULL,
    status         varchar(256) NOT NULL DEFAULT '',
    picture_url    varchar(255) NOT NULL,
    picture_width  integer      NOT NULL,
    picture_height integer      NOT NULL,
    created_at     timestamptz  NOT NULL DEFAULT now(),
    activated_at   timestamptz,
    expires_at     timestamptz
);

CREATE TYPE code_purpose AS ENUM ('activation', 'password_reset');

-- At most one live code per user and purpose; a new code replaces the old one (and its attempts).
CREATE TABLE codes (
    username   varchar(20)  NOT NULL REFERENCES users (username) ON UPDATE CASCADE ON DELETE CASCADE,
    purpose    code_purpose NOT NULL,
    code       char(6)      NOT NULL,
    expires_at timestamptz  NOT NULL,
    attempts   integer      NOT NULL DEFAULT 0,
    PRIMARY KEY (username, purpose)
);

CREATE TABLE subscriptions (
    subscription_id uuid        PRIMARY KEY,
    created_at      timestamptz NOT NULL DEFAULT now(),
    subscriber_name varchar(20) NOT NULL REFERENCES users (username) ON UPDATE CASCADE ON DELETE CASCADE,
    subscribee_name varchar(20) NOT NULL REFERENCES users (username) ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT subscriptions_uq UNIQUE (subscriber_name, subscribee_name),
    CONSTRAINT no_self_follow CHECK (subscriber_name <> subscribee_name)
);

-- Lists are read newest first per user, in both directions.
CREATE INDEX subscriptions_subscribee_idx ON subscriptions (subscribee_name, created_at DESC);
CREATE INDEX subscriptions_subscriber_idx ON subscriptions (subscriber_name, created_at DESC);
