-- The fingerprint master key, wrapped by the key-encryption key like the data keys (and rewrapped with
-- them), so it exists in plaintext only in the vault's memory whichever KEK keeper is in use.
CREATE TABLE fingerprint_keys (
    id           text PRIMARY KEY,
    kek_version  integer NOT NULL,
    wrapped_key  bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE ON fingerprint_keys TO ${app_role};
