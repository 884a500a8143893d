-- Profile picture versions (issue 7): every picture change (upload, reset) counts one up in the transaction
-- that saves it, and the image commit or deletion written into the outbox with it carries the count, so
-- the image service applies them in the order they were saved.
ALTER TABLE users ADD COLUMN picture_version bigint NOT NULL DEFAULT 0;
