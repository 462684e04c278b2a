// The bench's judgement of (b)/(a) (bench/lib/report.mjs): scenarios measured in turns are compared
// round by round too, so a host that speeds up between two runs cannot make a pass of a fail.
import { afterEach, describe, expect, it, vi } from 'vitest';

type Row = { key: string; label: string; rps: number; p50: number; p99: number; cpuUsPerRequest: number; statuses: Record<string, number>; roundRps?: number[] };
const report = await import('../../bench/lib/report.mjs' as string) as {
  inTurnsRatio(x: Partial<Row>, y: Partial<Row>): number;
  printReport(input: { rows: Row[]; notes: string[]; targetTokens: number; backgroundTokens: number; loadBefore: string; placement: string }): void;
};

const row = (key: string, rps: number, roundRps: number[], cpuUsPerRequest = 1e6 / rps): Row =>
  ({ key, label: key, rps, p50: 0.5, p99: 2, cpuUsPerRequest, statuses: { 200: 1 }, roundRps });

function printed(rows: Row[], targetTokens = 1000): string {
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  try {
    report.printReport({ rows, notes: [], targetTokens, backgroundTokens: 1000, loadBefore: '0 0 0', placement: 'test' });
  } finally {
    write.mockRestore();
  }
  return out;
}

describe('the bench report', () => {
  afterEach(() => { process.exitCode = undefined; });

  it('takes the median of the rounds\' ratios', () => {
    expect(report.inTurnsRatio({ roundRps: [10, 30, 20] }, { roundRps: [20, 20, 20] })).toBe(1);
    expect(report.inTurnsRatio({ roundRps: [10957, 12851, 12945, 23774] }, { roundRps: [17957, 16963, 18294, 18662] })).toBeCloseTo(0.733, 3);
    expect(report.inTurnsRatio({}, { roundRps: [1] })).toBeNaN();
  });

  it('fails (b)/(a) when only the best runs pass: three slow rounds, then one fast just after the baseline\'s', () => {
    const out = printed([row('a', 18662, [17957, 16963, 18294, 18662]), row('b', 23774, [10957, 12851, 12945, 23774])]);
    expect(out).toMatch(/FAIL\s+\(b\)\/\(a\) ≥ 0\.85\s+0\.73, the lower of: best runs 1\.27; median of the rounds' ratios 0\.73 \(4 rounds\)/);
    expect(process.exitCode).toBe(1);
  });

  it('judges (bN) against (b0) the same way, with a million tokens', () => {
    const out = printed([row('a', 40000, [40000]), row('b', 36000, [36000]),
      row('b0', 30000, [30000, 20000, 29000, 28000]), row('bN', 29000, [29000, 14000, 21000, 20000])], 1_000_000);
    expect(out).toMatch(/FAIL\s+\(b\) with 1,000,000 tokens within 20% of 1,000\s+0\.72 × \(\(bN\) 29,000 vs \(b0\) 30,000 req\/s at best, in turns; the lower of: best runs 0\.97; median of the rounds' ratios 0\.72 \(4 rounds\)\)/);
  });

  it('passes it when every round agrees', () => {
    const out = printed([row('a', 40000, [39000, 40000, 38000]), row('b', 36000, [35000, 36000, 34500])]);
    expect(out).toMatch(/PASS\s+\(b\)\/\(a\) ≥ 0\.85\s+0\.90, the lower of: best runs 0\.90; median of the rounds' ratios 0\.90/);
  });
});
