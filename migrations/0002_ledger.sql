-- General ledger postings for receivables. Every invoice, credit note,
-- payment and early-payment discount posts one balanced journal entry, so
-- the accounts receivable control account always equals open AR.

CREATE TABLE ledger_entry (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id   uuid NOT NULL REFERENCES company(id),
  entry_date   date NOT NULL,
  source_type  text NOT NULL CHECK (source_type IN ('invoice', 'credit_note', 'payment', 'discount')),
  source_id    uuid NOT NULL,
  currency     char(3) NOT NULL,
  description  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_entry_source ON ledger_entry (source_type, source_id);

CREATE TABLE ledger_line (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id    uuid NOT NULL REFERENCES company(id),
  entry_id      uuid NOT NULL REFERENCES ledger_entry(id),
  account       text NOT NULL CHECK (account IN ('accounts_receivable', 'bank', 'sales_revenue', 'sales_returns', 'sales_discounts', 'output_tax')),
  customer_id   uuid REFERENCES customer(id),
  debit_minor   bigint NOT NULL DEFAULT 0 CHECK (debit_minor >= 0),
  credit_minor  bigint NOT NULL DEFAULT 0 CHECK (credit_minor >= 0),
  CHECK ((debit_minor = 0) <> (credit_minor = 0))
);
CREATE INDEX ledger_line_entry ON ledger_line (entry_id);
CREATE INDEX ledger_line_account ON ledger_line (company_id, account, customer_id);
