import { describe, expect, it } from 'vitest';
import { parseFredCsv } from '../../../src/engine/macro/fred';

const ok = (text: string) => {
  const r = parseFredCsv(text, 'x.csv');
  if (!r.ok) throw new Error(r.reason);
  return r.series;
};
const reason = (text: string) => {
  const r = parseFredCsv(text, 'x.csv');
  if (r.ok) throw new Error('accepted');
  return r.reason;
};

describe('FRED CSV layouts', () => {
  it('reads the current layout with blank cells as missing', () => {
    const s = ok('observation_date,T10Y2Y\n2020-03-16,0.46\n2020-03-17,\n2020-03-18,0.62\n');
    expect(s).toEqual({
      id: 'T10Y2Y',
      frequency: 'daily',
      missing: 1,
      observations: [
        { date: '2020-03-16', value: 0.46 },
        { date: '2020-03-17', value: null },
        { date: '2020-03-18', value: 0.62 },
      ],
    });
  });
  it('reads the older layout with "." for missing, a BOM and CRLF line ends', () => {
    const s = ok('\uFEFFDATE,BAMLH0A0HYM2\r\n1996-12-31,3.13\r\n1997-01-01,.\r\n1997-01-02,3.06\r\n');
    expect(s.id).toBe('BAMLH0A0HYM2');
    expect(s.observations.map((o) => o.value)).toEqual([3.13, null, 3.06]);
    expect(s.missing).toBe(1);
  });
  it('reads a re-export with a quoted header, monthly', () => {
    const s = ok('"Date","TWEXBMTH"\n1973-01-01,33.9689\n1973-02-01,32.5799\n1973-03-01,31.7\n');
    expect(s.frequency).toBe('monthly');
    expect(s.observations[2]).toEqual({ date: '1973-03-01', value: 31.7 });
  });
  it('takes a market closure of a week in a daily series (September 2001)', () => {
    expect(ok('observation_date,X\n2001-09-10,1\n2001-09-17,2\n2001-09-18,3\n').frequency).toBe('daily');
  });
});

describe('refused, with the line named', () => {
  it('an unknown header', () => {
    expect(reason('when,value\n2020-01-01,1\n')).toMatch(/x\.csv line 1: expected a FRED header/);
  });
  it('unsorted or repeated dates', () => {
    expect(reason('DATE,X\n2020-01-02,1\n2020-01-01,2\n')).toMatch(/line 3: 2020-01-01 comes before 2020-01-02/);
    expect(reason('DATE,X\n2020-01-02,1\n2020-01-02,2\n')).toMatch(/line 3: 2020-01-02 repeats/);
  });
  it('a value that is not a number, and a bad date', () => {
    expect(reason('DATE,X\n2020-01-02,1\n2020-01-03,n/a\n')).toMatch(/line 3: "n\/a" is not a number/);
    expect(reason('DATE,X\n2020-13-02,1\n')).toMatch(/line 2: "2020-13-02" is not a date/);
    expect(reason('DATE,X\n2020-01-02,1,2\n')).toMatch(/line 2: expected date,value, got 3 cells/);
  });
  it('mixed frequencies', () => {
    const text = 'DATE,X\n2020-01-01,1\n2020-02-01,2\n2020-03-01,3\n2020-03-02,4\n2020-04-01,5\n';
    expect(reason(text)).toMatch(/line 5: 2020-03-02 after 2020-03-01 is not a monthly step/);
  });
  it('a file with no value at all', () => {
    expect(reason('DATE,X\n')).toMatch(/no observation/);
    expect(reason('DATE,X\n2020-01-01,.\n2020-01-02,.\n')).toMatch(/every value is missing/);
  });
});
