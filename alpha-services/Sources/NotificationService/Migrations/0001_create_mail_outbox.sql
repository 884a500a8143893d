-- Mails accepted from other services, delivered by the background worker (at-least-once, idempotent per mail_id).
CREATE TYPE mail_state AS ENUM ('queued', 'sent', 'failed');

CREATE TABLE mail_outbox (
    mail_id         uuid         PRIMARY KEY,
    kind            text         NOT NULL,
    to_address      varchar(128) NOT NULL,
    username        varchar(20)  NOT NULL,
    code            varchar(6)   NOT NULL DEFAULT '',
    state           mail_state   NOT NULL DEFAULT 'queued',
    attempts        integer      NOT NULL DEFAULT 0,
    next_attempt_at timestamptz  NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    sent_at         timestamptz
);

CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE state = 'queued';
