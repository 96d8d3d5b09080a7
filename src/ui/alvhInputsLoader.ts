/**
 * The overlay frame hands the worker what the hedge plan needs from storage: the imported VIX history, the
 * trader's rulebook, the account, the macro series, the macro calendar (FOMC, CPI, PPI… dates) and the
 * advance–decline series. Reloaded whenever one changes.
 */
import type { Remote } from 'comlink';
import { browser } from 'wxt/browser';
import type { AlvhInputs, EngineApi } from '../worker/engine';
import { loadRulebook, loadVixHistory, RULEBOOK_KEY, VIX_HISTORY_KEY } from '../storage/alvhInputs';
import { getSettings, SETTINGS_KEY } from '../storage/settings';
import { loadMacroSeries, MACRO_SERIES_KEY } from '../storage/macroSeries';
import { loadMacroCalendar, MACRO_CALENDAR_KEY } from '../storage/macroCalendar';
import { ADVANCE_DECLINE_KEY, loadAdvanceDecline } from '../storage/advanceDecline';

export interface LoadedInputs {
  /** The stored inputs (a VIX chain and held hedges come from elsewhere and are left as they are). */
  inputs: Pick<
    AlvhInputs,
    'vixHistory' | 'vixSightings' | 'rulebook' | 'account' | 'macroSeries' | 'macroEvents' | 'advanceDecline'
  >;
  /** Problems with stored data, for the overlay to say (nothing is deleted). */
  problems: string[];
}

export async function loadAlvhInputs(): Promise<LoadedInputs> {
  const [history, rulebook, settings, macro, calendar, breadth] = await Promise.all([
    loadVixHistory(),
    loadRulebook(),
    getSettings(),
    loadMacroSeries(),
    loadMacroCalendar(),
    loadAdvanceDecline(),
  ]);
  const problems = [
    history.problem,
    rulebook.problem,
    macro.problem,
    calendar.problem,
    breadth.problem,
    ...settings.problems,
  ].filter((p): p is string => Boolean(p));
  const { accountSizeDollars: size, buyingPowerDollars: bp } = settings.settings;
  return {
    inputs: {
      vixHistory: history.bars,
      vixSightings: [],
      rulebook: rulebook.rulebook,
      macroSeries: macro.series,
      macroEvents: calendar.events,
      advanceDecline: breadth.rows,
      // Either figure may be missing: the session lets one stand for the other, and says when it assumes both.
      account: size === null && bp === null ? null : { sizeDollars: size, buyingPowerDollars: bp },
    },
    problems,
  };
}

const WATCHED = [
  VIX_HISTORY_KEY,
  RULEBOOK_KEY,
  SETTINGS_KEY,
  MACRO_SERIES_KEY,
  MACRO_CALENDAR_KEY,
  ADVANCE_DECLINE_KEY,
].map((k) => k.replace(/^local:/, ''));

/** Feeds the worker now and on every change; returns a function that stops the feeding (e.g. for a restarted worker). */
export function feedAlvhInputs(engine: Remote<EngineApi>, onProblems: (problems: string[]) => void): () => void {
  const feed = async () => {
    const { inputs, problems } = await loadAlvhInputs();
    onProblems(problems);
    await engine.setAlvhInputs(inputs);
  };
  void feed();
  const onChanged = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && Object.keys(changes).some((k) => WATCHED.includes(k))) void feed();
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}
