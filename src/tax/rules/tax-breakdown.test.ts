import { describe, it, expect } from 'vitest';
import { Dec, toMinorUnits, fromMinorUnits } from '../../money/index.js';
import {
  computeTaxBreakdown,
  splitTaxInclusiveLines,
  type TaxBreakdownRow,
  type TaxInclusiveLine,
} from './tax-breakdown.js';

const standard19 = { vatCategoryCode: 'S', ratePercent: new Dec('19') };
const reduced7 = { vatCategoryCode: 'S', ratePercent: new Dec('7') };

function net(lineNetMinor: bigint, tax: { vatCategoryCode: string; ratePercent: Dec }) {
  return { lineNetMinor, ...tax };
}

function gross(lineGrossMinor: bigint, tax: { vatCategoryCode: string; ratePercent: Dec }): TaxInclusiveLine {
  return { lineGrossMinor, ...tax };
}

function plainRows(rows: TaxBreakdownRow[]) {
  return rows.map((row) => ({ ...row, ratePercent: row.ratePercent.toString() }));
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}

/** Rounds each line's tax on its own, the tax-inclusive rounding that the module avoids. */
function naiveLineTax(line: TaxInclusiveLine, currency: string): bigint {
  const tax = fromMinorUnits(line.lineGrossMinor, currency)
    .times(line.ratePercent)
    .dividedBy(line.ratePercent.plus(100));
  return toMinorUnits(tax, currency);
}

/** Checks net + tax = gross for every line, every group and the document. */
function expectSplitAddsUp(lines: TaxInclusiveLine[], currency: string) {
  const split = splitTaxInclusiveLines(lines, currency);
  expect(split.lineNetMinor).toHaveLength(lines.length);

  for (const row of split.breakdown) {
    const groupGross = sum(
      lines
        .filter((line) => line.vatCategoryCode === row.vatCategoryCode && line.ratePercent.equals(row.ratePercent))
        .map((line) => line.lineGrossMinor),
    );
    expect(row.taxableMinor + row.taxMinor).toBe(groupGross);

    const groupNets = lines
      .map((line, index) => ({ line, net: split.lineNetMinor[index] ?? 0n }))
      .filter(({ line }) => line.vatCategoryCode === row.vatCategoryCode && line.ratePercent.equals(row.ratePercent))
      .map(({ net: lineNet }) => lineNet);
    expect(sum(groupNets)).toBe(row.taxableMinor);
  }

  const documentGross = sum(lines.map((line) => line.lineGrossMinor));
  const documentTax = sum(split.breakdown.map((row) => row.taxMinor));
  expect(sum(split.lineNetMinor) + documentTax).toBe(documentGross);
  return split;
}

describe('computeTaxBreakdown', () => {
  it('rounds tax once per group', () => {
    // 2.45 × 19 % = 0.4655 per line: per-line rounding gives 0.47 + 0.47 = 0.94,
    // while the group 4.90 × 19 % = 0.931 gives 0.93.
    const lines = [net(245n, standard19), net(245n, standard19)];
    const naive = sum(lines.map((line) => toMinorUnits(fromMinorUnits(line.lineNetMinor, 'EUR').times('0.19'), 'EUR')));
    expect(naive).toBe(94n);

    expect(plainRows(computeTaxBreakdown(lines, 'EUR'))).toEqual([
      { vatCategoryCode: 'S', ratePercent: '19', taxableMinor: 490n, taxMinor: 93n },
    ]);
  });

  it('groups by category and rate value', () => {
    const lines = [
      net(1000n, standard19),
      net(500n, { vatCategoryCode: 'S', ratePercent: new Dec('19.00') }),
      net(300n, reduced7),
    ];
    expect(plainRows(computeTaxBreakdown(lines, 'EUR'))).toEqual([
      { vatCategoryCode: 'S', ratePercent: '7', taxableMinor: 300n, taxMinor: 21n },
      { vatCategoryCode: 'S', ratePercent: '19', taxableMinor: 1500n, taxMinor: 285n },
    ]);
  });

  it('sorts rows by category then rate', () => {
    const zero = new Dec(0);
    const lines = [
      net(100n, standard19),
      net(100n, { vatCategoryCode: 'Z', ratePercent: zero }),
      net(100n, { vatCategoryCode: 'E', ratePercent: zero }),
      net(100n, reduced7),
      net(100n, { vatCategoryCode: 'AE', ratePercent: zero }),
    ];
    const expected = ['AE 0', 'E 0', 'S 7', 'S 19', 'Z 0'];
    const order = (rows: TaxBreakdownRow[]) => rows.map((row) => `${row.vatCategoryCode} ${row.ratePercent.toString()}`);

    expect(order(computeTaxBreakdown(lines, 'EUR'))).toEqual(expected);
    expect(order(computeTaxBreakdown([...lines].reverse(), 'EUR'))).toEqual(expected);
  });

  it('computes zero tax for zero-rate and exempt groups', () => {
    const lines = [
      net(1234n, { vatCategoryCode: 'Z', ratePercent: new Dec(0) }),
      net(5678n, { vatCategoryCode: 'E', ratePercent: new Dec(0) }),
      net(1n, { vatCategoryCode: 'E', ratePercent: new Dec(0) }),
    ];
    expect(plainRows(computeTaxBreakdown(lines, 'EUR'))).toEqual([
      { vatCategoryCode: 'E', ratePercent: '0', taxableMinor: 5679n, taxMinor: 0n },
      { vatCategoryCode: 'Z', ratePercent: '0', taxableMinor: 1234n, taxMinor: 0n },
    ]);
  });

  it('rounds JPY to whole yen', () => {
    const lines = [net(1005n, { vatCategoryCode: 'S', ratePercent: new Dec('10') }), net(1000n, { vatCategoryCode: 'S', ratePercent: new Dec('8') })];
    expect(plainRows(computeTaxBreakdown(lines, 'JPY'))).toEqual([
      { vatCategoryCode: 'S', ratePercent: '8', taxableMinor: 1000n, taxMinor: 80n },
      { vatCategoryCode: 'S', ratePercent: '10', taxableMinor: 1005n, taxMinor: 101n },
    ]);
  });

  it('rounds BHD and KWD to three decimals', () => {
    const lines = [net(1235n, { vatCategoryCode: 'S', ratePercent: new Dec('10') })];
    // 1.235 BHD × 10 % = 0.1235, half away from zero to 0.124.
    expect(computeTaxBreakdown(lines, 'BHD')[0]?.taxMinor).toBe(124n);
    expect(computeTaxBreakdown(lines, 'KWD')[0]?.taxMinor).toBe(124n);
  });

  it('mirrors an invoice for a credit note', () => {
    expect(computeTaxBreakdown([net(250n, standard19)], 'EUR')[0]?.taxMinor).toBe(48n);
    // -2.50 × 19 % = -0.475 rounds away from zero, to -0.48.
    expect(computeTaxBreakdown([net(-250n, standard19)], 'EUR')[0]?.taxMinor).toBe(-48n);
    expect(plainRows(computeTaxBreakdown([net(-245n, standard19), net(-245n, standard19)], 'EUR'))).toEqual([
      { vatCategoryCode: 'S', ratePercent: '19', taxableMinor: -490n, taxMinor: -93n },
    ]);
  });

  it('nets positive and negative lines before rounding', () => {
    const lines = [net(1000n, standard19), net(-245n, standard19)];
    expect(computeTaxBreakdown(lines, 'EUR')[0]).toMatchObject({ taxableMinor: 755n, taxMinor: 143n });
  });

  it('returns no rows for no lines', () => {
    expect(computeTaxBreakdown([], 'EUR')).toEqual([]);
  });

  it('rejects invalid input', () => {
    expect(() => computeTaxBreakdown([net(100n, { vatCategoryCode: 'X', ratePercent: new Dec(19) })], 'EUR')).toThrow(
      /"X" on line 1/,
    );
    expect(() => computeTaxBreakdown([net(100n, standard19), net(100n, { vatCategoryCode: 'S', ratePercent: new Dec(-1) })], 'EUR')).toThrow(
      /-1 % on line 2/,
    );
    expect(() => computeTaxBreakdown([net(100n, { vatCategoryCode: 'E', ratePercent: new Dec(19) })], 'EUR')).toThrow(
      /category E requires 0 %/,
    );
    expect(() => computeTaxBreakdown([], 'XYZ')).toThrow(/"XYZ"/);
  });
});

describe('splitTaxInclusiveLines', () => {
  it('avoids the cent gained by per-line rounding', () => {
    // 1.00 incl. 7 %: tax 0.0654 per line rounds to 0.07, twice 0.14.
    // Per document: 2.00 × 7 / 107 = 0.1308, so 0.13.
    const lines = [gross(100n, reduced7), gross(100n, reduced7)];
    expect(sum(lines.map((line) => naiveLineTax(line, 'EUR')))).toBe(14n);

    const split = expectSplitAddsUp(lines, 'EUR');
    expect(plainRows(split.breakdown)).toEqual([
      { vatCategoryCode: 'S', ratePercent: '7', taxableMinor: 187n, taxMinor: 13n },
    ]);
    expect(split.lineNetMinor).toEqual([93n, 94n]);
  });

  it('avoids the cent lost by per-line rounding', () => {
    // 1.20 incl. 19 %: tax 0.1916 per line rounds to 0.19, four times 0.76.
    // Per document: 4.80 × 19 / 119 = 0.7664, so 0.77.
    const lines = [gross(120n, standard19), gross(120n, standard19), gross(120n, standard19), gross(120n, standard19)];
    expect(sum(lines.map((line) => naiveLineTax(line, 'EUR')))).toBe(76n);

    const split = expectSplitAddsUp(lines, 'EUR');
    expect(split.breakdown[0]).toMatchObject({ taxableMinor: 403n, taxMinor: 77n });
    expect(split.lineNetMinor).toEqual([100n, 101n, 101n, 101n]);
  });

  it('keeps line order across groups', () => {
    const lines = [gross(119n, standard19), gross(107n, reduced7), gross(238n, standard19)];
    const split = expectSplitAddsUp(lines, 'EUR');
    expect(split.lineNetMinor).toEqual([100n, 100n, 200n]);
    expect(plainRows(split.breakdown)).toEqual([
      { vatCategoryCode: 'S', ratePercent: '7', taxableMinor: 100n, taxMinor: 7n },
      { vatCategoryCode: 'S', ratePercent: '19', taxableMinor: 300n, taxMinor: 57n },
    ]);
  });

  it('leaves zero-rate and exempt lines untaxed', () => {
    const lines = [
      gross(999n, { vatCategoryCode: 'Z', ratePercent: new Dec(0) }),
      gross(501n, { vatCategoryCode: 'E', ratePercent: new Dec(0) }),
    ];
    const split = expectSplitAddsUp(lines, 'EUR');
    expect(split.lineNetMinor).toEqual([999n, 501n]);
    expect(plainRows(split.breakdown)).toEqual([
      { vatCategoryCode: 'E', ratePercent: '0', taxableMinor: 501n, taxMinor: 0n },
      { vatCategoryCode: 'Z', ratePercent: '0', taxableMinor: 999n, taxMinor: 0n },
    ]);
  });

  it('rounds JPY per document', () => {
    // 500 yen incl. 10 %: 45.45 per line rounds to 45, three times 135.
    // Per document: 1500 × 10 / 110 = 136.36, so 136.
    const tax10 = { vatCategoryCode: 'S', ratePercent: new Dec('10') };
    const lines = [gross(500n, tax10), gross(500n, tax10), gross(500n, tax10)];
    expect(sum(lines.map((line) => naiveLineTax(line, 'JPY')))).toBe(135n);

    const split = expectSplitAddsUp(lines, 'JPY');
    expect(split.breakdown[0]).toMatchObject({ taxableMinor: 1364n, taxMinor: 136n });
    expect(split.lineNetMinor).toEqual([454n, 455n, 455n]);
  });

  it('rounds BHD and KWD to three decimals', () => {
    const tax10 = { vatCategoryCode: 'S', ratePercent: new Dec('10') };
    const lines = [gross(1234n, tax10), gross(5678n, tax10)];
    for (const currency of ['BHD', 'KWD']) {
      // 6.912 × 10 / 110 = 0.62836, so 0.628.
      const split = expectSplitAddsUp(lines, currency);
      expect(split.breakdown[0], currency).toMatchObject({ taxableMinor: 6284n, taxMinor: 628n });
      expect(split.lineNetMinor, currency).toEqual([1122n, 5162n]);
    }
  });

  it('mirrors an invoice for a credit note', () => {
    const lines = [gross(120n, standard19), gross(120n, standard19), gross(333n, reduced7), gross(120n, standard19)];
    const invoice = expectSplitAddsUp(lines, 'EUR');
    const creditNote = expectSplitAddsUp(
      lines.map((line) => ({ ...line, lineGrossMinor: -line.lineGrossMinor })),
      'EUR',
    );

    expect(creditNote.lineNetMinor).toEqual(invoice.lineNetMinor.map((amount) => -amount));
    expect(plainRows(creditNote.breakdown)).toEqual(
      plainRows(invoice.breakdown).map((row) => ({ ...row, taxableMinor: -row.taxableMinor, taxMinor: -row.taxMinor })),
    );
  });

  it('taxes each line of a mixed-sign group', () => {
    // A 10.00 line and a -9.99 correction: the group gross is 0.01 and its tax 0,
    // but each line still carries its own tax, 1.60 and -1.60.
    const split = expectSplitAddsUp([gross(1000n, standard19), gross(-999n, standard19)], 'EUR');
    expect(split.breakdown[0]).toMatchObject({ taxableMinor: 1n, taxMinor: 0n });
    expect(split.lineNetMinor).toEqual([840n, -839n]);
  });

  it('splits a mixed-sign group that sums to zero', () => {
    const split = expectSplitAddsUp([gross(119n, standard19), gross(-119n, standard19)], 'EUR');
    expect(split.breakdown[0]).toMatchObject({ taxableMinor: 0n, taxMinor: 0n });
    expect(split.lineNetMinor).toEqual([100n, -100n]);
  });

  it('may differ from the tax-exclusive formula', () => {
    // 0.16 incl. 19 %: tax 0.0255 rounds to 0.03, net 0.13; but 0.13 × 19 % = 0.0247 would round to 0.02.
    const split = expectSplitAddsUp([gross(16n, standard19)], 'EUR');
    expect(split.breakdown[0]).toMatchObject({ taxableMinor: 13n, taxMinor: 3n });
  });

  it('adds up in random cases', () => {
    const seed = 7301;
    let state = seed;
    // Park-Miller generator: products stay below 2^53, so every step is exact.
    const nextInt = (max: number) => {
      state = (state * 48271) % 2147483647;
      return state % max;
    };
    const taxes = [standard19, reduced7, { vatCategoryCode: 'S', ratePercent: new Dec('5.5') }, { vatCategoryCode: 'Z', ratePercent: new Dec(0) }];

    for (let caseIndex = 0; caseIndex < 300; caseIndex += 1) {
      const lineCount = 1 + nextInt(8);
      const lines = Array.from({ length: lineCount }, () => {
        const amount = BigInt(nextInt(100_000));
        const signed = nextInt(5) === 0 ? -amount : amount;
        return gross(signed, taxes[nextInt(taxes.length)] ?? standard19);
      });

      const split = splitTaxInclusiveLines(lines, 'EUR');
      const label = `seed ${seed}, case ${caseIndex}`;
      const documentGross = sum(lines.map((line) => line.lineGrossMinor));
      expect(sum(split.lineNetMinor) + sum(split.breakdown.map((row) => row.taxMinor)), label).toBe(documentGross);

      // Each line's tax share stays within one cent of its exact tax.
      lines.forEach((line, index) => {
        const share = line.lineGrossMinor - (split.lineNetMinor[index] ?? 0n);
        const exact = new Dec(line.lineGrossMinor.toString()).times(line.ratePercent).dividedBy(line.ratePercent.plus(100));
        expect(exact.minus(share.toString()).abs().lessThan(1), `${label}, line ${index + 1}`).toBe(true);
      });
    }
  });

  it('rejects invalid input', () => {
    expect(() => splitTaxInclusiveLines([gross(100n, { vatCategoryCode: 'Q', ratePercent: new Dec(0) })], 'EUR')).toThrow(
      /"Q" on line 1/,
    );
    expect(() => splitTaxInclusiveLines([gross(100n, standard19)], 'XYZ')).toThrow(/"XYZ"/);
  });
});
