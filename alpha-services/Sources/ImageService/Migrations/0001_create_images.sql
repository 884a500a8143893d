-- Images (CONTRACT §8, E25): uploaded bytes minus identifying metadata, pending until their owner is saved.
CREATE TABLE images (
    upload_id    uuid         PRIMARY KEY,
    name         varchar(64)  NOT NULL,
    owner_kind   varchar(8)   NOT NULL CHECK (owner_kind IN ('profile', 'post')),
    owner_id     varchar(64)  NOT NULL,
    -- The user who uploaded it; NULL when a service did (registration has no user token yet).
    uploaded_by  varchar(25),
    content_type varchar(16)  NOT NULL,
    width        integer      NOT NULL,
    height       integer      NOT NULL,
    data         bytea        NOT NULL,
    -- Hex SHA-256 of data: the strong ETag of E25.
    etag         char(64)     NOT NULL,
    committed    boolean      NOT NULL DEFAULT false,
    created_at   timestamptz  NOT NULL DEFAULT now()
);

-- JPEG/PNG/WebP are compressed already: store out of line without another compression pass.
ALTER TABLE images ALTER COLUMN data SET STORAGE EXTERNAL;

-- One served image per name; pending uploads may share it.
CREATE UNIQUE INDEX images_committed_name_uq ON images (name) WHERE committed;
CREATE INDEX images_owner_idx ON images (owner_kind, owner_id);
CREATE INDEX images_pending_created_idx ON images (created_at) WHERE NOT committed;
