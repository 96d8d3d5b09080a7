// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { getMarkPositionRows, getUnreadLineOnPage } from '../../../src/storage/pagePrefs';
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
