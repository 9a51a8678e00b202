import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { createProduct, type CreateProductInput } from '../../catalog/commands/create-product.js';
import { getProduct } from '../../catalog/queries/get-product.js';
import { createWarehouse, type CreateWarehouseInput } from '../../inventory/commands/create-warehouse.js';
import { createPriceList, type CreatePriceListInput } from '../../pricing/commands/create-price-list.js';
import { setPrice, type SetPriceInput } from '../../pricing/commands/set-price.js';
import { getPriceList } from '../../pricing/queries/get-price-list.js';
import { setTaxRate, type SetTaxRateInput } from '../../tax/commands/set-tax-rate.js';
import { sendRejection } from '../problem.js';
import { commandContext } from '../request-scope.js';
import { bodyObject, parseInput } from '../route-input.js';

const productPath = z.object({ sku: z.string().min(1) });
const priceListPath = z.object({ code: z.string().min(1) });

/** Master data that orders are priced, taxed and reserved with: products, price lists, tax rates, warehouses. */
export function registerCatalogRoutes(app: FastifyInstance): void {
  app.post('/products', async (request, reply) => {
    const body = bodyObject(request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const result = await createProduct(commandContext(request), body.value as CreateProductInput);
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.code(201).header('location', `/products/${encodeURIComponent(result.value.sku)}`).send(result.value);
  });

  app.get('/products/:sku', async (request, reply) => {
    const path = parseInput(productPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);

    const ctx = commandContext(request);
    return reply.send(await getProduct(ctx.db, ctx.companyId, path.value.sku));
  });

  app.post('/price-lists', async (request, reply) => {
    const body = bodyObject(request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const result = await createPriceList(commandContext(request), body.value as CreatePriceListInput);
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.code(201).header('location', `/price-lists/${encodeURIComponent(result.value.code)}`).send(result.value);
  });

  app.get('/price-lists/:code', async (request, reply) => {
    const path = parseInput(priceListPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);

    const ctx = commandContext(request);
    return reply.send(await getPriceList(ctx.db, ctx.companyId, path.value.code));
  });

  app.post('/price-lists/:code/prices', async (request, reply) => {
    const path = parseInput(priceListPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);
    const body = bodyObject(request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const input = { ...body.value, priceListCode: path.value.code } as SetPriceInput;
    const result = await setPrice(commandContext(request), input);
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.code(201).send(result.value);
  });

  app.post('/tax-rates', async (request, reply) => {
    const body = bodyObject(request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const result = await setTaxRate(commandContext(request), body.value as SetTaxRateInput);
    if (!result.ok) return sendRejection(reply, result.rejection);
    // The rate replaces any earlier one for the country and tax category.
    return reply.code(result.value.previous === null ? 201 : 200).send(result.value);
  });

  app.post('/warehouses', async (request, reply) => {
    const body = bodyObject(request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const result = await createWarehouse(commandContext(request), body.value as CreateWarehouseInput);
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.code(201).send(result.value);
  });
}
