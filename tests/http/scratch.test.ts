import { it } from 'vitest';
import { setUpMasterData, startTestApi } from './http-fixture.js';
it('scratch', async () => {
  const api = await startTestApi();
  await setUpMasterData(api);
  const show = async (m: string, u: string, o?: any) => { const r = await api.request(m, u, o); console.log(m, u, r.status, JSON.stringify(r.headers['content-type']), JSON.stringify(r.body, null, 1)); return r; };
  await show('POST', '/orders', { rawBody: '{"a":', headers: { 'content-type': 'application/json' } });
  await show('POST', '/orders/SO-1/release', { rawBody: '', headers: { 'content-type': 'application/json' } });
  const o = await show('POST', '/orders', { body: { customerCode: 'ACME', customerPoNumber: 'PO-1', lines: [{ sku: 'WIDGET', quantity: '3' }, { sku: 'BOOK', quantity: '2', expectedUnitPrice: '18.00' }] }, headers: { 'Idempotency-Key': 'k1' } });
  await show('POST', '/orders', { body: { customerCode: 'ACME', customerPoNumber: 'PO-1', lines: [{ sku: 'WIDGET', quantity: '3' }, { sku: 'BOOK', quantity: '2', expectedUnitPrice: '18.00' }] }, headers: { 'Idempotency-Key': 'k1' } });
  await show('GET', '/orders?status=on_hold');
  await show('GET', `/orders/${o.body.orderNumber}/timeline`);
  await show('GET', '/checks');
  await show('GET', '/stock?sku=WIDGET');
  await api.close();
});
