import { describe, it, expect } from 'vitest';
import { Dec } from '../../money/index.js';
import {
  backorderQuantity,
  billingStatus,
  deliveryStatus,
  openQuantity,
  orderBillingStatus,
  orderDeliveryStatus,
  type LineQuantities,
} from './line-progress.js';

type Counters = Partial<Record<keyof LineQuantities, string>>;

function line(counters: Counters): LineQuantities {
  return {
    ordered: new Dec(counters.ordered ?? '10'),
    reserved: new Dec(counters.reserved ?? '0'),
    shipped: new Dec(counters.shipped ?? '0'),
    invoiced: new Dec(counters.invoiced ?? '0'),
    returned: new Dec(counters.returned ?? '0'),
    cancelled: new Dec(counters.cancelled ?? '0'),
  };
}

describe('openQuantity', () => {
  it('subtracts shipped and cancelled', () => {
    expect(openQuantity(line({})).toString()).toBe('10');
    expect(openQuantity(line({ shipped: '3', cancelled: '2' })).toString()).toBe('5');
    expect(openQuantity(line({ shipped: '10' })).toString()).toBe('0');
    expect(openQuantity(line({ ordered: '2.5', shipped: '1.25' })).toString()).toBe('1.25');
  });

  it('ignores reserved and invoiced', () => {
    expect(openQuantity(line({ reserved: '10', invoiced: '4', shipped: '4' })).toString()).toBe('6');
  });

  it('is zero when over-shipped', () => {
    expect(openQuantity(line({ shipped: '11' })).toString()).toBe('0');
  });
});

describe('backorderQuantity', () => {
  it('subtracts reserved, shipped and cancelled', () => {
    expect(backorderQuantity(line({})).toString()).toBe('10');
    expect(backorderQuantity(line({ reserved: '4' })).toString()).toBe('6');
    expect(backorderQuantity(line({ reserved: '4', shipped: '3', cancelled: '1' })).toString()).toBe('2');
    expect(backorderQuantity(line({ reserved: '10' })).toString()).toBe('0');
  });

  it('never goes below zero', () => {
    expect(backorderQuantity(line({ reserved: '8', shipped: '5' })).toString()).toBe('0');
  });
});

describe('deliveryStatus', () => {
  it('derives from shipped against ordered minus cancelled', () => {
    expect(deliveryStatus(line({}))).toBe('not_shipped');
    expect(deliveryStatus(line({ reserved: '10' }))).toBe('not_shipped');
    expect(deliveryStatus(line({ shipped: '0.001' }))).toBe('partially_shipped');
    expect(deliveryStatus(line({ shipped: '9' }))).toBe('partially_shipped');
    expect(deliveryStatus(line({ shipped: '10' }))).toBe('shipped');
    expect(deliveryStatus(line({ shipped: '12' }))).toBe('shipped');
  });

  it('counts a cancelled rest as shipped', () => {
    expect(deliveryStatus(line({ shipped: '4', cancelled: '6' }))).toBe('shipped');
  });

  it('is not_shipped when cancelled in full', () => {
    expect(deliveryStatus(line({ cancelled: '10' }))).toBe('not_shipped');
  });
});

describe('billingStatus', () => {
  it('derives from invoiced against ordered minus cancelled and returned', () => {
    expect(billingStatus(line({ shipped: '10' }))).toBe('not_invoiced');
    expect(billingStatus(line({ shipped: '5', invoiced: '5' }))).toBe('partially_invoiced');
    expect(billingStatus(line({ shipped: '10', invoiced: '10' }))).toBe('invoiced');
  });

  it('leaves returned goods unbilled', () => {
    expect(billingStatus(line({ shipped: '10', returned: '2', invoiced: '8' }))).toBe('invoiced');
    expect(billingStatus(line({ shipped: '10', returned: '2', invoiced: '10' }))).toBe('invoiced');
  });

  it('counts a cancelled rest as invoiced', () => {
    expect(billingStatus(line({ shipped: '4', cancelled: '6', invoiced: '4' }))).toBe('invoiced');
  });
});

describe('orderDeliveryStatus', () => {
  it('combines line statuses', () => {
    expect(orderDeliveryStatus([line({}), line({})])).toBe('not_shipped');
    expect(orderDeliveryStatus([line({ shipped: '10' }), line({})])).toBe('partially_shipped');
    expect(orderDeliveryStatus([line({ shipped: '10' }), line({ shipped: '3' })])).toBe('partially_shipped');
    expect(orderDeliveryStatus([line({ shipped: '10' }), line({ shipped: '10' })])).toBe('shipped');
  });

  it('leaves out lines cancelled in full', () => {
    expect(orderDeliveryStatus([line({ shipped: '10' }), line({ cancelled: '10' })])).toBe('shipped');
    expect(orderDeliveryStatus([line({ cancelled: '10' })])).toBe('not_shipped');
  });

  it('is not_shipped without lines', () => {
    expect(orderDeliveryStatus([])).toBe('not_shipped');
  });
});

describe('orderBillingStatus', () => {
  it('combines line statuses', () => {
    expect(orderBillingStatus([line({ shipped: '10' })])).toBe('not_invoiced');
    expect(orderBillingStatus([line({ shipped: '10', invoiced: '10' }), line({})])).toBe('partially_invoiced');
    expect(orderBillingStatus([line({ shipped: '10', invoiced: '10' }), line({ shipped: '10', invoiced: '10' })])).toBe('invoiced');
  });

  it('leaves out lines cancelled in full', () => {
    expect(orderBillingStatus([line({ shipped: '10', invoiced: '10' }), line({ cancelled: '10' })])).toBe('invoiced');
  });

  it('keeps invoiced lines that were returned in full', () => {
    expect(orderBillingStatus([line({ shipped: '10', invoiced: '10', returned: '10' })])).toBe('invoiced');
  });

  it('is not_invoiced without lines', () => {
    expect(orderBillingStatus([])).toBe('not_invoiced');
  });
});
