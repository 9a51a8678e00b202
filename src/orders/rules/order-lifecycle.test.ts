import { describe, it, expect } from 'vitest';
import { Dec } from '../../money/index.js';
import type { LineQuantities } from './line-progress.js';
import {
  ORDER_ACTIONS,
  ORDER_GUARDS,
  ORDER_STATES,
  ORDER_TRANSITIONS,
  planTransition,
  validateTransitionTable,
  type OrderAction,
  type OrderSnapshot,
  type OrderState,
  type OrderTransition,
} from './order-lifecycle.js';

function line(counters: Partial<Record<keyof LineQuantities, string>>): LineQuantities {
  return {
    ordered: new Dec(counters.ordered ?? '10'),
    reserved: new Dec(counters.reserved ?? '0'),
    shipped: new Dec(counters.shipped ?? '0'),
    invoiced: new Dec(counters.invoiced ?? '0'),
    returned: new Dec(counters.returned ?? '0'),
    cancelled: new Dec(counters.cancelled ?? '0'),
  };
}

const fresh: OrderSnapshot = { activeHoldCount: 0, lines: [line({}), line({ reserved: '10' })] };
const withHolds: OrderSnapshot = { ...fresh, activeHoldCount: 2 };
const partlyShipped: OrderSnapshot = { activeHoldCount: 0, lines: [line({ shipped: '4' }), line({})] };
const partlyInvoiced: OrderSnapshot = { activeHoldCount: 0, lines: [line({ shipped: '4', invoiced: '4' })] };
const complete: OrderSnapshot = {
  activeHoldCount: 0,
  lines: [line({ shipped: '10', invoiced: '10' }), line({ shipped: '6', cancelled: '4', invoiced: '6' })],
};
const reopened: OrderSnapshot = { activeHoldCount: 0, lines: [line({ ordered: '12', shipped: '10', invoiced: '10' })] };

describe('ORDER_TRANSITIONS', () => {
  it('passes validation', () => {
    expect(() => validateTransitionTable()).not.toThrow();
  });

  it('names only known states and actions', () => {
    for (const transition of ORDER_TRANSITIONS) {
      expect(ORDER_STATES).toContain(transition.from);
      expect(ORDER_STATES).toContain(transition.to);
      expect(ORDER_ACTIONS).toContain(transition.action);
    }
  });
});

describe('planTransition', () => {
  const allowed: [from: OrderState, action: OrderAction, snapshot: OrderSnapshot, to: OrderState][] = [
    ['draft', 'submit', fresh, 'confirmed'],
    ['draft', 'submit', withHolds, 'on_hold'],
    ['confirmed', 'hold', withHolds, 'on_hold'],
    ['on_hold', 'release', fresh, 'confirmed'],
    ['on_hold', 'reject', withHolds, 'cancelled'],
    ['draft', 'cancel', fresh, 'cancelled'],
    ['on_hold', 'cancel', withHolds, 'cancelled'],
    ['confirmed', 'cancel', fresh, 'cancelled'],
    ['confirmed', 'close', complete, 'closed'],
    ['closed', 'reopen', reopened, 'confirmed'],
  ];

  for (const [from, action, snapshot, to] of allowed) {
    it(`moves ${from} by ${action} to ${to}`, () => {
      expect(planTransition(from, action, snapshot)).toEqual({ ok: true, to });
    });
  }

  const blocked: [from: OrderState, action: OrderAction, snapshot: OrderSnapshot, guard: string][] = [
    ['confirmed', 'hold', fresh, 'has_active_holds'],
    ['on_hold', 'release', withHolds, 'no_active_holds'],
    ['on_hold', 'reject', { ...partlyShipped, activeHoldCount: 1 }, 'nothing_shipped_or_invoiced'],
    ['draft', 'cancel', partlyShipped, 'nothing_shipped_or_invoiced'],
    ['on_hold', 'cancel', { ...partlyInvoiced, activeHoldCount: 1 }, 'nothing_shipped_or_invoiced'],
    ['confirmed', 'cancel', partlyShipped, 'nothing_shipped_or_invoiced'],
    ['confirmed', 'cancel', partlyInvoiced, 'nothing_shipped_or_invoiced'],
    ['confirmed', 'close', partlyShipped, 'no_open_quantity'],
    ['confirmed', 'close', fresh, 'no_open_quantity'],
    ['closed', 'reopen', complete, 'has_open_quantity'],
  ];

  for (const [from, action, snapshot, guard] of blocked) {
    it(`blocks ${from} by ${action} on ${guard}`, () => {
      expect(planTransition(from, action, snapshot)).toEqual({
        ok: false,
        code: 'guard_failed',
        facts: { from, action, guard },
      });
    });
  }

  it('rejects actions the table lacks', () => {
    const invalid: [OrderState, OrderAction][] = [
      ['draft', 'release'],
      ['draft', 'close'],
      ['draft', 'hold'],
      ['confirmed', 'submit'],
      ['confirmed', 'reopen'],
      ['on_hold', 'close'],
      ['on_hold', 'hold'],
      ['closed', 'cancel'],
      ['closed', 'submit'],
      ...ORDER_ACTIONS.map((action): [OrderState, OrderAction] => ['cancelled', action]),
    ];
    for (const [from, action] of invalid) {
      expect(planTransition(from, action, fresh), `${from} ${action}`).toEqual({
        ok: false,
        code: 'invalid_transition',
        facts: { from, action },
      });
    }
  });
});

describe('validateTransitionTable', () => {
  const withRows = (...rows: OrderTransition[]) => [...ORDER_TRANSITIONS, ...rows];

  it('rejects an unknown state', () => {
    const table = withRows({ from: 'confirmed', action: 'close', to: 'archived' as OrderState });
    expect(() => validateTransitionTable(table)).toThrow(/unknown state "archived"/);
  });

  it('rejects an unknown action', () => {
    const table = withRows({ from: 'confirmed', action: 'ship' as OrderAction, to: 'closed' });
    expect(() => validateTransitionTable(table)).toThrow(/unknown action "ship"/);
  });

  it('rejects an exit from cancelled', () => {
    const table = withRows({ from: 'cancelled', action: 'reopen', to: 'confirmed' });
    expect(() => validateTransitionTable(table)).toThrow(/cancelled --reopen--> confirmed: cancelled is terminal/);
  });

  it('rejects other exits from closed', () => {
    const table = withRows({ from: 'closed', action: 'cancel', to: 'cancelled', guard: ORDER_GUARDS.nothingShippedOrInvoiced });
    expect(() => validateTransitionTable(table)).toThrow(/closed --cancel--> cancelled: closed is terminal/);
  });

  it('rejects a way back to draft', () => {
    const table = withRows({ from: 'on_hold', action: 'reject', to: 'draft' });
    expect(() => validateTransitionTable(table)).toThrow(/lead back to draft/);
  });

  it('rejects an unreachable state', () => {
    const table = ORDER_TRANSITIONS.filter((transition) => transition.to !== 'on_hold');
    expect(() => validateTransitionTable(table)).toThrow(/state on_hold cannot be reached from draft/);
  });

  it('rejects a state that cannot finish', () => {
    const table = ORDER_TRANSITIONS.filter((transition) => transition.from !== 'on_hold');
    expect(() => validateTransitionTable(table)).toThrow(/state on_hold cannot reach closed or cancelled/);
  });

  it('rejects an unguarded shared start', () => {
    const table = withRows({ from: 'draft', action: 'submit', to: 'cancelled' });
    expect(() => validateTransitionTable(table)).toThrow(/same state and action need guards/);
  });

  it('rejects repeated guard names on a shared start', () => {
    const table = withRows({ from: 'draft', action: 'submit', to: 'cancelled', guard: ORDER_GUARDS.noActiveHolds });
    expect(() => validateTransitionTable(table)).toThrow(/same state and action need guards/);
  });

  it('rejects a guard without a name', () => {
    const table = withRows({ from: 'confirmed', action: 'hold', to: 'on_hold', guard: { name: ' ', test: () => true } });
    expect(() => validateTransitionTable(table)).toThrow(/guard has no name/);
  });

  it('lists every problem', () => {
    const table = withRows(
      { from: 'cancelled', action: 'reopen', to: 'confirmed' },
      { from: 'confirmed', action: 'close', to: 'archived' as OrderState },
    );
    expect(() => validateTransitionTable(table)).toThrow(/cancelled is terminal[\s\S]*unknown state "archived"|unknown state "archived"[\s\S]*cancelled is terminal/);
  });
});
