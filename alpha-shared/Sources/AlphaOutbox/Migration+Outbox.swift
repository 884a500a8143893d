import AlphaPostgres

extension Migration {
    /// The outbox table, `outbox_messages`, in the service's own schema: add it to the service's
    /// migration list, and ``Outbox/enqueue(topic:payload:id:on:logger:)`` and ``OutboxRelay`` work.
    ///
    /// ```swift
    /// let postgres = try process.addPostgres(
    ///     defaultSchema: "echo_service",
    ///     migrations: try EchoServiceMigrations.all() + [.outbox]
    /// )
    /// ```
    ///
    /// The kit's migrations carry versions from 900 001 up, which a service's own `NNNN_name.sql` files
    /// never reach, so adding one never collides with the service's numbering. Their SQL never changes
    /// (the runner refuses an applied migration whose text changed): a later change to the table comes as
    /// a new migration next to this one.
    public static let outbox = Migration(
        version: 900_001,
        name: "alpha_outbox_messages",
        sql: """
            -- The transactional outbox (alpha-shared AlphaOutbox): messages written in the same transaction
            -- as the data that caused them, delivered after commit by the relay.
            CREATE TABLE outbox_messages (
                id              uuid        PRIMARY KEY,
                topic           text        NOT NULL,
                payload         bytea       NOT NULL,
                created_at      timestamptz NOT NULL DEFAULT now(),
                attempts        integer     NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL DEFAULT now(),
                last_error      text,
                failed_at       timestamptz
            );

            CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_attempt_at) WHERE failed_at IS NULL;
            """
    )

    /// The receiver's table of message ids already handled, `inbox_messages`, used by ``Inbox`` to store
    /// each message id once. Add it to the receiving service's migration list like ``outbox``.
    public static let inbox = Migration(
        version: 900_101,
        name: "alpha_inbox_messages",
        sql: """
            -- Ids of messages this service has handled (alpha-shared AlphaOutbox Inbox): a repeated delivery
            -- of one id is recognised and answered without doing the work twice.
            CREATE TABLE inbox_messages (
                id          uuid        PRIMARY KEY,
                received_at timestamptz NOT NULL DEFAULT now()
            );

            CREATE INDEX inbox_messages_received_idx ON inbox_messages (received_at);
            """
    )
}
