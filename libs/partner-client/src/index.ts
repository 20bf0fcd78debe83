export * from './demo-messages';
export * from './partner.client';
