export type { DeliveryConfig, DeliveryDeps, FactsLoader, WebhookRetryOptions } from './config';
export { checkRecipient } from './address';
export { deliverEmail } from './email';
export { messageIdFor } from './email-message';
export { createMailTransport, emlFileName, type MailTransport } from './mail-transport';
export { deliverNotice, dismissNotice, listNotices, markNoticeRead } from './notices';
export { getOutboxRow } from './outbox';
export { completeTask, deliverTask, findTask, listTasks, snoozeTask, type TaskView } from './tasks';
export {
  buildUnsubscribeUrl,
  createUnsubscribeToken,
  findSuppression,
  suppressEmail,
  unsubscribeUser,
  verifyUnsubscribeToken,
} from './unsubscribe';
export { deliverWebhook, signWebhook, verifyWebhookSignature, webhookPayload } from './webhook';
export { createSignalsFactsLoader } from './signals-facts';
