/**
 * What a statement sets, transaction-locally, to tell the migrations' NOTIFY triggers that its
 * caller notifies the workers itself once it has committed (server/work/after-commit-notifier.ts).
 */
export const NOTIFY_SETTING = 'accessbot.notify';
export const NOTIFY_AFTER_COMMIT = 'after_commit';
