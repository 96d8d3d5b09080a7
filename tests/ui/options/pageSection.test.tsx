// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { getMarkPositionRows, getNotifyStageChange, getUnreadLineOnPage } from '../../../src/storage/pagePrefs';
import { PageSection } from '../../../src/ui/options/PageSection';
import { click, mount, unlabelled, waitFor } from './dom';

let unmount: (() => void) | null = null;
beforeEach(() => fakeBrowser.reset());
afterEach(() => {
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
