import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startAccessbot, startPlayground, stopAll } from './processes';

/**
 * Seed 002's tutorial in a real Teams client emulator: run inside a private network namespace
 * (see playground-tutorial.test.ts). User1 browses and requests the Web project package with a
 * justification; Admin1 approves from the approval card; User1 sees the outcome. Prints one
 * JSON line with what happened; exits non-zero on failure.
 */
const artifacts = process.argv[2] ?? path.join(os.tmpdir(), 'accessbot-e2e');
const BOT_PORT = 3978;
const PACKAGE = 'Web project access package';
const timeout = 20_000;

const card = (page: Page, text: string) =>
  page.locator('.ac-adaptiveCard', { hasText: text }).last();

async function say(page: Page, text: string) {
  const input = page.locator('[data-lexical-editor="true"]');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessbot-walk-'));
  const started = Date.now();
  const steps: Array<[string, number]> = [];
  const step = (name: string) => steps.push([name, Date.now() - started]);
  await startAccessbot(dir, BOT_PORT);
  const [requesterUrl, approverUrl] = await Promise.all([
    startPlayground(dir, 'user1', 56150, BOT_PORT),
    startPlayground(dir, 'admin1', 56151, BOT_PORT),
  ]);
  step('started');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const requester = await context.newPage();
    const approver = await context.newPage();
    await Promise.all([requester.goto(requesterUrl), approver.goto(approverUrl)]);

    // Admin1 says hello first: Teams lets a bot message only people who talked to it.
    await say(approver, 'help');
    await card(approver, 'Send one of these').waitFor({ timeout });
    step('approver known');

    await say(requester, 'packages');
    const list = card(requester, PACKAGE);
    await list.waitFor({ timeout });
    await list.getByRole('button', { name: 'Request' }).first().click();
    const form = card(requester, `Request ${PACKAGE}`);
    await form.waitFor({ timeout });
    await form.locator('textarea, input[type="text"]').first().fill('Working on web project');
    await form.getByRole('button', { name: 'Submit request' }).click();
    await card(requester, 'Waiting for approval').waitFor({ timeout });
    step('requested');

    const approval = card(approver, 'asks for');
    await approval.waitFor({ timeout });
    await approval.screenshot({ path: path.join(artifacts, 'approval-card.png') });
    await approval.locator('textarea, input[type="text"]').first().fill('Approved for web project');
    await approval.getByRole('button', { name: 'Approve' }).click();
    await card(approver, 'Decided by').waitFor({ timeout });
    step('approved');

    await card(requester, 'Approved').waitFor({ timeout });
    step('requester told');

    // The demo's group has no API to call: Admin1 adds the member by hand and says so.
    const task = card(approver, 'Access to set up by hand');
    await task.waitFor({ timeout });
    await task.getByRole('button', { name: 'Done' }).click();
    await card(approver, 'Done: access set up').waitFor({ timeout });
    step('granted by hand');
    await card(requester, 'access granted').waitFor({ timeout });
    step('requester sees access granted');
    await requester.screenshot({ path: path.join(artifacts, 'requester.png') });
    process.stdout.write(`${JSON.stringify({ ok: true, steps })}\n`);
  } finally {
    await browser.close();
  }
}

main()
  .catch((err: Error) => {
    process.stdout.write(`${JSON.stringify({ ok: false, error: err.message })}\n`);
    process.exitCode = 1;
  })
  .finally(stopAll);
