import { useEffect, useState } from 'preact/hooks';
import { getSettings, updateSettings, type Settings } from '../../storage/settings';
import { checkDollars, checkMultiplier, checkRatePercent, formatDollars } from './fields';
import { Status, type StatusValue } from './Status';

type FieldName = 'account' | 'buyingPower' | 'multiplier' | 'rate';

/** Account & defaults: what the sizing rules and the pricing take unless a page says otherwise. */
export function AccountSection() {
  const [loaded, setLoaded] = useState(false);
  const [account, setAccount] = useState('');
  const [buyingPower, setBuyingPower] = useState('');
  const [multiplier, setMultiplier] = useState('100');
  const [rateKind, setRateKind] = useState<'parity' | 'manual'>('parity');
  const [rate, setRate] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [status, setStatus] = useState<StatusValue>(null);

  const show = (s: Settings) => {
    setAccount(formatDollars(s.accountSizeDollars));
    setBuyingPower(formatDollars(s.buyingPowerDollars));
    setMultiplier(String(s.contractMultiplier));
    setRateKind(s.rateSource.kind);
    setRate(s.rateSource.kind === 'manual' ? String(Math.round(s.rateSource.annualRate * 1e8) / 1e6) : '');
  };

  useEffect(() => {
    void getSettings().then(({ settings, problems }) => {
      show(settings);
      if (problems.length > 0)
        setStatus({ kind: 'error', text: `Some saved settings were unreadable: ${problems.join(' ')}` });
      setLoaded(true);
    });
  }, []);

  const onSubmit = async (ev: Event) => {
    ev.preventDefault();
    const a = checkDollars(account, 'Account size');
    const b = checkDollars(buyingPower, 'Buying power');
    const m = checkMultiplier(multiplier);
    const r = rateKind === 'manual' ? checkRatePercent(rate) : null;
    const next: Partial<Record<FieldName, string>> = {};
    if (!a.ok) next.account = a.message;
    if (!b.ok) next.buyingPower = b.message;
    if (!m.ok) next.multiplier = m.message;
    if (r && !r.ok) next.rate = r.message;
    setErrors(next);
    if (!a.ok || !b.ok || !m.ok || (r && !r.ok)) {
      setStatus({ kind: 'error', text: 'Not saved: correct the fields marked below.' });
      return;
    }
    const res = await updateSettings({
      accountSizeDollars: a.value,
      buyingPowerDollars: b.value,
      contractMultiplier: m.value,
      rateSource: r ? { kind: 'manual', annualRate: r.value / 100 } : { kind: 'parity' },
    });
    if (!res.ok) return setStatus({ kind: 'error', text: res.message });
    show(res.settings);
    setStatus({ kind: 'saved', text: `Saved at ${new Date().toLocaleTimeString()}.` });
  };

  const field = (
    id: FieldName,
    label: string,
    value: string,
    set: (v: string) => void,
    hint: string,
    opts: { disabled?: boolean } = {},
  ) => (
    <div class="hlo-field">
      <label for={`acct-${id}`}>{label}</label>
      <input
        id={`acct-${id}`}
        class="hl-input hl-num"
        inputMode="decimal"
        value={value}
        disabled={opts.disabled}
        aria-invalid={errors[id] ? 'true' : 'false'}
        aria-describedby={`acct-${id}-hint${errors[id] ? ` acct-${id}-error` : ''}`}
        onInput={(e) => set((e.currentTarget as HTMLInputElement).value)}
      />
      <span id={`acct-${id}-hint`} class="hl-hint">
        {hint}
      </span>
      {errors[id] && (
        <span id={`acct-${id}-error`} class="hl-error">
          {errors[id]}
        </span>
      )}
    </div>
  );

  return (
    <section class="hl-section" aria-labelledby="acct-title">
      <h2 id="acct-title" class="hl-title">
        Account &amp; defaults
      </h2>
      <form onSubmit={onSubmit} aria-busy={!loaded} noValidate>
        {field(
          'account',
          'Account size ($)',
          account,
          setAccount,
          'Caps Second Engine hedges (VXTH % of account). Empty: not set.',
        )}
        {field(
          'buyingPower',
          'Buying power ($)',
          buyingPower,
          setBuyingPower,
          'For the liquidity check (quick ratio). Empty: not set.',
        )}
        {field(
          'multiplier',
          'Contract multiplier ($ per point)',
          multiplier,
          setMultiplier,
          '100 for SPX, SPY and VIX options.',
        )}
        <fieldset class="hlo-field">
          <legend>Risk-free rate</legend>
          <label class="hlo-radio">
            <input
              type="radio"
              name="rate-kind"
              checked={rateKind === 'parity'}
              onChange={() => setRateKind('parity')}
            />
            From put-call parity on the chain (recommended)
          </label>
          <label class="hlo-radio">
            <input
              type="radio"
              name="rate-kind"
              checked={rateKind === 'manual'}
              onChange={() => setRateKind('manual')}
            />
            A rate I enter
          </label>
          {field('rate', 'Manual rate (% per year)', rate, setRate, 'Continuously compounded, e.g. 4.3 for 4.3%.', {
            disabled: rateKind !== 'manual',
          })}
        </fieldset>
        <div class="hlo-actions">
          <button type="submit" class="hl-btn" disabled={!loaded}>
            Save account settings
          </button>
          <Status value={status} />
        </div>
      </form>
    </section>
  );
}
