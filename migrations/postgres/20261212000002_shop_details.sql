-- The shop's own details (issue 19): its name, contact, the seller's
-- address, VAT number and legal text its invoices carry, and the prefix of
-- its order numbers (`OX-` and eight characters until it is changed).
ALTER TABLE shop_settings ADD COLUMN shop_name TEXT NOT NULL DEFAULT 'Oxcart';
ALTER TABLE shop_settings ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE shop_settings ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE shop_settings ADD COLUMN seller_address TEXT NOT NULL DEFAULT '';
ALTER TABLE shop_settings ADD COLUMN vat_number TEXT NOT NULL DEFAULT '';
ALTER TABLE shop_settings ADD COLUMN legal_text TEXT NOT NULL DEFAULT '';
ALTER TABLE shop_settings ADD COLUMN order_prefix TEXT NOT NULL DEFAULT 'OX';
ALTER TABLE shop_settings ADD COLUMN details_version BIGINT NOT NULL DEFAULT 1;
