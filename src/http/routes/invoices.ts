import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { issueCreditNote, type CreditNoteInput } from '../../invoicing/commands/issue-credit-note.js';
import { getInvoice } from '../../invoicing/queries/get-invoice.js';
import { getInvoiceId } from '../../invoicing/queries/get-invoice-id.js';
import { listInvoices } from '../../invoicing/queries/list-invoices.js';
import { idempotencyKeyOf } from '../idempotency.js';
import { sendRejection } from '../problem.js';
import { commandContext } from '../request-scope.js';
import { bodyObject, pageQuery, parseInput } from '../route-input.js';

const documentPath = z.object({ id: z.string().min(1) });

const listQuery = z.object({
  customerCode: z.string().min(1).optional(),
  status: z.enum(['open', 'partially_paid', 'paid']).optional(),
  kind: z.enum(['invoice', 'credit_note']).optional(),
  ...pageQuery,
});

/** Invoices and credit notes: billing's and collections' lists, and credit notes for returns. */
export function registerInvoiceRoutes(app: FastifyInstance): void {
  app.get('/invoices', async (request, reply) => {
    const query = parseInput(listQuery, request.query);
    if (!query.ok) return sendRejection(reply, query.rejection);

    const ctx = commandContext(request);
    return reply.send(await listInvoices(ctx.db, ctx.companyId, query.value));
  });

  app.get('/invoices/:id', async (request, reply) => {
    const path = parseInput(documentPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);

    const ctx = commandContext(request);
    const invoiceId = await getInvoiceId(ctx.db, ctx.companyId, path.value.id);
    return reply.send(await getInvoice(ctx.db, ctx.companyId, invoiceId));
  });

  app.post('/invoices/:id/credit-notes', async (request, reply) => {
    const path = parseInput(documentPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);
    const body = bodyObject(request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const key = idempotencyKeyOf(request);
    const input = { ...body.value, invoiceId: path.value.id, ...(key === null ? {} : { idempotencyKey: key }) } as CreditNoteInput;
    const result = await issueCreditNote(commandContext(request), input);
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.code(201).header('location', `/invoices/${result.value.id}`).send(result.value);
  });
}
