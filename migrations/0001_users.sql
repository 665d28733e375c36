-- Accounts. The e-mail address is kept as typed; the lower-cased copy enforces one account per address.
CREATE TABLE users (
    id               uuid        PRIMARY KEY,
    email            text        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    normalized_email text        NOT NULL,
    password_hash    text        NOT NULL,
    time_zone        text        NOT NULL,
    created_at       timestamptz NOT NULL
);

CREATE UNIQUE INDEX ux_users_normalized_email ON users (normalized_email);
