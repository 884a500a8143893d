-- Notifications (CONTRACT §5.2), push subscriptions (E29) and the push delivery queue (§5.3).
CREATE TYPE notification_type AS ENUM ('follow', 'repost', 'message');

-- Every notification id ever received, so that a relayed repeat stores nothing new even after the
-- user deleted the notification (E27). Purged after the retention period.
CREATE TABLE notification_receipts (
    notification_id uuid        PRIMARY KEY,
    received_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notifications (
    notification_id    uuid              PRIMARY KEY,
    recipient_username varchar(25)       NOT NULL,
    sender_username    varchar(25)       NOT NULL,
    notification_type  notification_type NOT NULL,
    "timestamp"        timestamptz       NOT NULL
);

CREATE INDEX notifications_recipient_idx ON notifications (recipient_username, "timestamp" DESC);

CREATE TYPE subscription_type AS ENUM ('expo', 'web');

CREATE TABLE push_subscriptions (
    subscription_id uuid              PRIMARY KEY,
    username        varchar(25)       NOT NULL,
    type            subscription_type NOT NULL,
    token           varchar(256),
    endpoint        varchar(1024),
    expiration_time timestamptz,
    p256dh          varchar(256),
    auth            varchar(256),
    created_at      timestamptz       NOT NULL DEFAULT now(),
    CONSTRAINT push_subscription_shape CHECK (
        (type = 'expo' AND token IS NOT NULL AND endpoint IS NULL)
        OR (type = 'web' AND token IS NULL AND endpoint IS NOT NULL AND p256dh IS NOT NULL AND auth IS NOT NULL)
    )
);

-- D46: one row per (user, endpoint) and per (user, Expo token).
CREATE UNIQUE INDEX push_subscriptions_web_uq ON push_subscriptions (username, endpoint) WHERE type = 'web';
CREATE UNIQUE INDEX push_subscriptions_expo_uq ON push_subscriptions (username, token) WHERE type = 'expo';

CREATE TYPE push_state AS ENUM ('queued', 'sent', 'failed');

-- One push of one notification to one subscription, claimed by the push worker (FOR UPDATE SKIP LOCKED
-- + lease, like mail_outbox). Deleted with its subscription when that is pruned.
CREATE TABLE push_deliveries (
    delivery_id     uuid        PRIMARY KEY,
    notification_id uuid        NOT NULL,
    subscription_id uuid        NOT NULL REFERENCES push_subscriptions ON DELETE CASCADE,
    payload         text        NOT NULL,
    title           text        NOT NULL,
    body            text        NOT NULL,
    state           push_state  NOT NULL DEFAULT 'queued',
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    UNIQUE (notification_id, subscription_id)
);

CREATE INDEX push_deliveries_due_idx ON push_deliveries (next_attempt_at) WHERE state = 'queued';
CREATE INDEX push_deliveries_subscription_idx ON push_deliveries (subscription_id);
