-- How often each user has said each text (the example service of docs/new-service.md).
CREATE TABLE echoes (
    username text NOT NULL,
    text text NOT NULL,
    times_said bigint NOT NULL,
    PRIMARY KEY (username, text)
);
