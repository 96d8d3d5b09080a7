// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { act } from 'preact/test-utils';
import {
  anyNotificationOn,
  getMarkPositionRows,
  getNotifyShortDelta,
  getNotifyStageChange,
  getUnreadLineOnPage,
} from '../../../src/storage/pagePrefs';
import { PageSection } from '../../../src/ui/options/PageSection';
import { click, mount, type, unlabelled, waitFor } from './dom';

let unmount: (() => void) | null = null;
beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  vi.restoreAllMocks();
  unmount?.();
  unmount = null;
});

const box = (root: ParentNode, name: string) => root.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;

it('On the broker’s page: the row marks start off, the unread-chain line on; each box writes its preference', async () => {
  const m = mount(<PageSection />);
  unmount = m.unmount;
  const marks = box(m.root, 'mark-position-rows');
  const line = box(m.root, 'unread-line-on-page');
  await waitFor(() => expect(marks.disabled || line.disabled).toBe(false));
  expect(marks.checked).toBe(false);
  expect(line.checked).toBe(true);
  expect(unlabelled(m.root)).toEqual([]);
  await click(line);
  await expect.poll(() => getUnreadLineOnPage()).toBe(false);
  expect(await fakeBrowser.storage.local.get('unreadLineOnPage')).toEqual({ unreadLineOnPage: false });
  await click(marks);
  await expect.poll(() => getMarkPositionRows()).toBe(true);
  // A fresh page shows what is stored.
  unmount();
  const again = mount(<PageSection />);
  unmount = again.unmount;
  await waitFor(() => expect(box(again.root, 'unread-line-on-page').disabled).toBe(false));
  expect(box(again.root, 'unread-line-on-page').checked).toBe(false);
  expect(box(again.root, 'mark-position-rows').checked).toBe(true);
});

it('stage notifications: the permission is asked on the click; refused, the box stays off and says why; given, it is on', async () => {
  const ask = vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValueOnce(false).mockResolvedValueOnce(true);
  const m = mount(<PageSection />);
  unmount = m.unmount;
  const notify = box(m.root, 'notify-stage-change');
  await waitFor(() => expect(notify.disabled).toBe(false));
  expect(notify.checked).toBe(false);
  await click(notify);
  await waitFor(() =>
    expect(m.root.querySelector('[role="alert"]')?.textContent).toBe(
      'The browser did not allow notifications, so they stay off. Try again to be asked again.',
    ),
  );
  expect(notify.checked).toBe(false);
  expect(await getNotifyStageChange()).toBe(false);
  await click(notify);
  await expect.poll(() => getNotifyStageChange()).toBe(true);
  await waitFor(() => expect(notify.checked).toBe(true));
  expect(m.root.querySelector('[role="alert"]')).toBeNull();
  expect(ask).toHaveBeenCalledWith({ permissions: ['notifications'] });
  ask.mockRestore();
});

const change = async (el: HTMLInputElement) => {
  await act(() => {
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
};

it('short-strike delta: the threshold is checked as typed; 1.5 is refused with the reason and cannot be turned on', async () => {
  const ask = vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true);
  const m = mount(<PageSection />);
  unmount = m.unmount;
  const on = box(m.root, 'notify-short-delta');
  const field = box(m.root, 'short-delta-threshold');
  await waitFor(() => expect(on.disabled).toBe(false));
  expect(on.checked).toBe(false);
  expect(field.value).toBe('0.30');
  expect(unlabelled(m.root)).toEqual([]);

  await type(field, '1.5');
  await change(field);
  const message = 'Too high: the largest delta allowed is 0.95 (a delta is at most 1).';
  await waitFor(() => expect(m.root.querySelector('#short-delta-err')?.textContent).toBe(message));
  expect(field.getAttribute('aria-invalid')).toBe('true');
  expect(field.getAttribute('aria-describedby')).toBe('short-delta-err');
  await click(on);
  await waitFor(() => expect(on.checked).toBe(false));
  expect(ask).not.toHaveBeenCalled();
  // Nothing stored: the default still holds, and the typed text is kept for the trader to fix.
  expect(await fakeBrowser.storage.local.get('notifyShortDelta')).toEqual({});
  expect(field.value).toBe('1.5');

  await type(field, '0.25');
  await change(field);
  await waitFor(() => expect(m.root.querySelector('#short-delta-err')).toBeNull());
  await expect.poll(() => getNotifyShortDelta()).toEqual({ on: false, threshold: 0.25 });
  await click(on);
  await expect.poll(() => getNotifyShortDelta()).toEqual({ on: true, threshold: 0.25 });
  expect(ask).toHaveBeenCalledWith({ permissions: ['notifications'] });
  await waitFor(() => expect(on.checked).toBe(true));
  // A fresh page shows what is stored.
  unmount();
  const again = mount(<PageSection />);
  unmount = again.unmount;
  await waitFor(() => expect(box(again.root, 'notify-short-delta').checked).toBe(true));
  expect(box(again.root, 'short-delta-threshold').value).toBe('0.25');
});

it('short-strike delta: refused by the browser, it stays off and says why', async () => {
  vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(false);
  const m = mount(<PageSection />);
  unmount = m.unmount;
  const on = box(m.root, 'notify-short-delta');
  await waitFor(() => expect(on.disabled).toBe(false));
  await click(on);
  await waitFor(() =>
    expect(m.root.querySelector('[role="alert"]')?.textContent).toBe(
      'The browser did not allow notifications, so they stay off. Try again to be asked again.',
    ),
  );
  expect(on.checked).toBe(false);
  expect((await getNotifyShortDelta()).on).toBe(false);
});

it('the two notifications share the permission: it is given back only when both are off, in either order', async () => {
  vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true);
  const remove = vi.spyOn(fakeBrowser.permissions, 'remove').mockResolvedValue(true);
  const m = mount(<PageSection />);
  unmount = m.unmount;
  const stage = box(m.root, 'notify-stage-change');
  const delta = box(m.root, 'notify-short-delta');
  await waitFor(() => expect(stage.disabled || delta.disabled).toBe(false));
  for (const [first, second] of [
    [stage, delta],
    [delta, stage],
  ] as const) {
    await click(stage);
    await click(delta);
    await waitFor(() => expect([stage.checked, delta.checked]).toEqual([true, true]));
    await expect
      .poll(async () => [await getNotifyStageChange(), (await getNotifyShortDelta()).on])
      .toEqual([true, true]);
    remove.mockClear();
    await click(first);
    await waitFor(() => expect(first.checked).toBe(false));
    await expect.poll(() => anyNotificationOn()).toBe(true);
    expect(remove).not.toHaveBeenCalled(); // the other one still needs it
    await click(second);
    await waitFor(() => expect(remove).toHaveBeenCalledWith({ permissions: ['notifications'] }));
    expect(remove).toHaveBeenCalledTimes(1);
    expect(await anyNotificationOn()).toBe(false);
  }
});
