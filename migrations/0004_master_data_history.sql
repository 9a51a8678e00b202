-- Master data changes (company setup, products, price lists and prices, tax
-- rates, warehouses) write history rows like documents do.

ALTER TABLE history DROP CONSTRAINT history_entity_type_check;
ALTER TABLE history ADD CONSTRAINT history_entity_type_check CHECK (entity_type IN (
  'sales_order', 'shipment', 'invoice', 'payment', 'customer', 'stock',
  'company', 'product', 'price_list', 'tax_rate', 'warehouse'
));

-- history.entity_id is a uuid, so a tax rate needs one. Existing rows get a
-- generated id, and replacing a rate keeps the id, so the history rows of one
-- country and tax category share an entity_id.
ALTER TABLE tax_rate ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE tax_rate ADD CONSTRAINT tax_rate_id_key UNIQUE (id);
