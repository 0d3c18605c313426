-- migrate:up
ALTER TABLE items ADD COLUMN price_cents INTEGER NOT NULL DEFAULT 0;

-- migrate:down
ALTER TABLE items DROP COLUMN price_cents;
