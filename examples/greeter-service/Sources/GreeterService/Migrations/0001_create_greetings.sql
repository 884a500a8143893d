-- How often the greeter service has greeted each user.
CREATE TABLE greetings (
    username text PRIMARY KEY,
    times_greeted bigint NOT NULL
);
