-- The highest picture version applied per owner (CommitImage/DeleteImages `owner_version`): the owning
-- service numbers its picture changes in the transaction that saves them, and a commit or deletion that
-- arrives after a newer one was applied is stale (a late commit is discarded instead of replacing a newer
-- picture).
CREATE TABLE image_owner_versions (
    owner_kind varchar(8)  NOT NULL CHECK (owner_kind IN ('profile', 'post')),
    owner_id   varchar(64) NOT NULL,
    version    bigint      NOT NULL,
    PRIMARY KEY (owner_kind, owner_id)
);
