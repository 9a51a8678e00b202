import { openQuantity, type LineQuantities } from './line-progress.js';

/**
 * The sales order lifecycle. Only the state is stored, and an order moves
 * only along ORDER_TRANSITIONS. Each transition's action name is what the
 * order's history row records.
 */
export const ORDER_STATES = ['draft', 'on_hold', 'confirmed', 'closed', 'cancelled'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const ORDER_ACTIONS = ['submit', 'hold', 'release', 'reject', 'cancel', 'close', 'reopen'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

export const INITIAL_ORDER_STATE: OrderState = 'draft';
export const TERMINAL_ORDER_STATES: readonly OrderState[] = ['closed', 'cancelled'];

/** Order facts that the guards read: the count of active holds and the line counters. */
export interface OrderSnapshot {
  activeHoldCount: number;
  lines: readonly LineQuantities[];
}

/** A named condition on a transition. The name appears in a guard_failed rejection. */
export interface OrderGuard {
  name: string;
  test: (snapshot: OrderSnapshot) => boolean;
}

export interface OrderTransition {
  from: OrderState;
  action: OrderAction;
  to: OrderState;
  guard?: OrderGuard;
}

export const ORDER_GUARDS = {
  noActiveHolds: { name: 'no_active_holds', test: (snapshot) => snapshot.activeHoldCount === 0 },
  hasActiveHolds: { name: 'has_active_holds', test: (snapshot) => snapshot.activeHoldCount > 0 },
  nothingShippedOrInvoiced: {
    name: 'nothing_shipped_or_invoiced',
    test: (snapshot) => snapshot.lines.every((line) => line.shipped.isZero() && line.invoiced.isZero()),
  },
  noOpenQuantity: {
    name: 'no_open_quantity',
    test: (snapshot) => snapshot.lines.every((line) => openQuantity(line).isZero()),
  },
  hasOpenQuantity: {
    name: 'has_open_quantity',
    test: (snapshot) => snapshot.lines.some((line) => openQuantity(line).greaterThan(0)),
  },
} satisfies Record<string, OrderGuard>;

const guards = ORDER_GUARDS;

/**
 * Rows sharing a state and action must have guards that exclude each other,
 * such as submit with and without active holds. An order that has shipped or
 * been invoiced cannot be cancelled as a whole. Its open quantities are
 * cancelled on the lines instead, and the order then closes.
 */
export const ORDER_TRANSITIONS: readonly OrderTransition[] = [
  { from: 'draft', action: 'submit', to: 'confirmed', guard: guards.noActiveHolds },
  { from: 'draft', action: 'submit', to: 'on_hold', guard: guards.hasActiveHolds },
  // A quantity change on a confirmed order failed a check, which added a hold.
  { from: 'confirmed', action: 'hold', to: 'on_hold', guard: guards.hasActiveHolds },
  { from: 'on_hold', action: 'release', to: 'confirmed', guard: guards.noActiveHolds },
  { from: 'on_hold', action: 'reject', to: 'cancelled', guard: guards.nothingShippedOrInvoiced },
  { from: 'draft', action: 'cancel', to: 'cancelled', guard: guards.nothingShippedOrInvoiced },
  { from: 'on_hold', action: 'cancel', to: 'cancelled', guard: guards.nothingShippedOrInvoiced },
  { from: 'confirmed', action: 'cancel', to: 'cancelled', guard: guards.nothingShippedOrInvoiced },
  { from: 'confirmed', action: 'close', to: 'closed', guard: guards.noOpenQuantity },
  // A quantity increase on a closed order opens it again.
  { from: 'closed', action: 'reopen', to: 'confirmed', guard: guards.hasOpenQuantity },
];

/** The only exits from a terminal state. */
const TERMINAL_EXITS: readonly Pick<OrderTransition, 'from' | 'action' | 'to'>[] = [
  { from: 'closed', action: 'reopen', to: 'confirmed' },
];

export type TransitionPlan =
  | { ok: true; to: OrderState }
  | {
      ok: false;
      code: 'invalid_transition' | 'guard_failed';
      facts: { from: OrderState; action: OrderAction; guard?: string };
    };

/**
 * Plans an action on an order in state `from`. Returns the target state of
 * the first row whose guard passes, or a rejection that names the first
 * guard that failed.
 */
export function planTransition(
  from: OrderState,
  action: OrderAction,
  snapshot: OrderSnapshot,
  table: readonly OrderTransition[] = ORDER_TRANSITIONS,
): TransitionPlan {
  const candidates = table.filter((transition) => transition.from === from && transition.action === action);
  if (candidates.length === 0) {
    return { ok: false, code: 'invalid_transition', facts: { from, action } };
  }

  let failedGuard: string | undefined;
  for (const transition of candidates) {
    if (transition.guard === undefined || transition.guard.test(snapshot)) {
      return { ok: true, to: transition.to };
    }
    failedGuard ??= transition.guard.name;
  }
  return { ok: false, code: 'guard_failed', facts: { from, action, guard: failedGuard } };
}

/**
 * Checks the transition table and throws with every problem found. Run it at
 * start-up so that a bad edit to the table stops the process before any
 * order moves. The table must name only known states and actions, reach
 * every state from draft, never lead back to draft, let every state reach
 * closed or cancelled, and leave those terminal states only by closed →
 * reopen → confirmed. Rows that share a state and action must all have
 * guards with different names.
 */
export function validateTransitionTable(table: readonly OrderTransition[] = ORDER_TRANSITIONS): void {
  const problems: string[] = [];
  const label = (transition: OrderTransition) => `${transition.from} --${transition.action}--> ${transition.to}`;

  for (const transition of table) {
    for (const state of [transition.from, transition.to]) {
      if (!(ORDER_STATES as readonly string[]).includes(state)) problems.push(`${label(transition)}: unknown state "${state}"`);
    }
    if (!(ORDER_ACTIONS as readonly string[]).includes(transition.action)) {
      problems.push(`${label(transition)}: unknown action "${transition.action}"`);
    }
    if (transition.guard !== undefined && transition.guard.name.trim() === '') {
      problems.push(`${label(transition)}: guard has no name`);
    }
    if (transition.to === INITIAL_ORDER_STATE) {
      problems.push(`${label(transition)}: no transition may lead back to ${INITIAL_ORDER_STATE}`);
    }
    const isTerminalExit = TERMINAL_ORDER_STATES.includes(transition.from);
    const isAllowedExit = TERMINAL_EXITS.some(
      (exit) => exit.from === transition.from && exit.action === transition.action && exit.to === transition.to,
    );
    if (isTerminalExit && !isAllowedExit) {
      problems.push(`${label(transition)}: ${transition.from} is terminal`);
    }
  }

  problems.push(...findAmbiguousRows(table, label));
  problems.push(...findStatesWithoutPaths(table));

  if (problems.length > 0) {
    throw new Error(`Invalid order transition table:\n- ${problems.join('\n- ')}`);
  }
}

function findAmbiguousRows(
  table: readonly OrderTransition[],
  label: (transition: OrderTransition) => string,
): string[] {
  const problems: string[] = [];
  const rowsByStart = new Map<string, OrderTransition[]>();
  for (const transition of table) {
    const key = `${transition.from} ${transition.action}`;
    rowsByStart.set(key, [...(rowsByStart.get(key) ?? []), transition]);
  }

  for (const rows of rowsByStart.values()) {
    if (rows.length < 2) continue;
    const guardNames = rows.map((row) => row.guard?.name);
    if (guardNames.some((name) => name === undefined) || new Set(guardNames).size !== rows.length) {
      problems.push(`${rows.map(label).join(' and ')}: rows with the same state and action need guards with different names`);
    }
  }
  return problems;
}

function findStatesWithoutPaths(table: readonly OrderTransition[]): string[] {
  const problems: string[] = [];
  const reachable = closure([INITIAL_ORDER_STATE], table, (transition) => [transition.from, transition.to]);
  const canFinish = closure(TERMINAL_ORDER_STATES, table, (transition) => [transition.to, transition.from]);

  for (const state of ORDER_STATES) {
    if (!reachable.has(state)) {
      problems.push(`state ${state} cannot be reached from ${INITIAL_ORDER_STATE}`);
    }
    if (!canFinish.has(state)) {
      problems.push(`state ${state} cannot reach ${TERMINAL_ORDER_STATES.join(' or ')}`);
    }
  }
  return problems;
}

/** Returns the states reachable from `start` along the table's edges, oriented by `edge` as [source, target]. */
function closure(
  start: readonly OrderState[],
  table: readonly OrderTransition[],
  edge: (transition: OrderTransition) => [OrderState, OrderState],
): Set<OrderState> {
  const found = new Set<OrderState>(start);
  let grew = true;
  while (grew) {
    grew = false;
    for (const transition of table) {
      const [source, target] = edge(transition);
      if (found.has(source) && !found.has(target)) {
        found.add(target);
        grew = true;
      }
    }
  }
  return found;
}
