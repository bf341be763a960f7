-- Billing settings and mail attachments.
-- Kept in step with the other database's file of the same name (identical here).

-- Where the company's invoices are mailed (an accounts-payable mailbox or a member); NULL: no
-- invoice mail. over_credit: what happens to an order above the available credit: 'refuse'
-- (the default) or 'approval' (it waits as a purchase request; placing still needs the credit).
ALTER TABLE companies ADD COLUMN billing_email TEXT;
ALTER TABLE companies ADD COLUMN over_credit TEXT NOT NULL DEFAULT 'refuse';

-- What to attach when the message is sent, e.g. 'invoice:42:de' (rendered then, in that
-- language, so the outbox keeps no documents).
ALTER TABLE mail_outbox ADD COLUMN attachment TEXT;
