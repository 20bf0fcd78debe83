export * from './demo-messages';
export * from './partner.client';
export * from './lifecycle-payloads';
