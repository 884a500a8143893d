-- User search by edit distance (CONTRACT §7.1): levenshtein() from fuzzystrmatch, installed into this
-- schema (the migration runs with search_path set to it). fuzzystrmatch is a trusted extension, so the
-- service role needs CREATE on the database, not superuser.
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- Login throttling (DECISIONS D53): failed logins counted per username in a fixed 15-minute window that
-- starts at the first failure; a successful login (or password reset) clears both columns.
ALTER TABLE users
    ADD COLUMN failed_logins       integer NOT NULL DEFAULT 0,
    ADD COLUMN failed_logins_since timestamptz;
