/**
 * How the plan writes money (plan/format.ts): whole dollars grouped as Intl's en-US format groups them, which it
 * writes itself below 10¹⁵ (a plan question writes dozens of amounts). The same strings as Intl, character for
 * character, over a wide spread of amounts, signs and roundings.
 */
import { describe, expect, it } from 'vitest';
import { money, signedMoney } from '../../../src/engine/alvh/plan/format';

const intl = new Intl.NumberFormat('en-US');
const viaIntl = (x: number) => `$${intl.format(Math.round(x))}`;

describe('money', () => {
  it("writes every amount as Intl's en-US format does", () => {
    const xs: number[] = [
      0,
      -0,
      0.4,
      -0.4,
      0.5,
      -0.5,
      1.5,
      -1.5,
      999,
      999.5,
      -999.5,
      1000,
      -1000,
      1e15 - 1,
      -(1e15 - 1),
    ];
    xs.push(1e15, -1e15, 1e21, 1.5e22, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    for (let e = 0; e < 16; e++) for (const m of [1, 1.234567, 5.5, 9.99999]) xs.push(m * 10 ** e, -m * 10 ** e);
    let x = 1;
    for (let i = 0; i < 5000; i++) {
      x = (x * 48271) % 2147483647;
      xs.push(((x / 2147483647 - 0.5) * 10 ** (i % 14)) | 0, (x / 2147483647 - 0.5) * 10 ** (i % 16));
    }
    for (const v of xs) {
      expect(money(v)).toBe(viaIntl(v));
      expect(signedMoney(v)).toBe(`${v >= 0 ? '+' : '−'}${viaIntl(Math.abs(v))}`);
    }
  });
});
