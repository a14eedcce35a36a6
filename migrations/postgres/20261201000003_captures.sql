-- When the card processor confirmed taking the held money. NULL on a
-- succeeded payment means the capture's outcome is not known yet (no answer
-- in time, or refused): the sweeper asks again by the payment's reference.
ALTER TABLE payments ADD COLUMN captured_at BIGINT;
-- Payments captured before this column existed.
UPDATE payments SET captured_at = updated_at WHERE status IN ('succeeded', 'refunded');
