-- A seller's staff: users with role 'seller' linked to the seller whose items
-- they pack and ship (an admin links them with `oxcart create-staff --seller`).
ALTER TABLE users ADD COLUMN seller_id BIGINT REFERENCES sellers (id);
