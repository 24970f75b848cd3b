export * from './org.schema.js';
export * from './history.schema.js';
export * from './cases.schema.js';
export * from './clocks.schema.js';
export * from './escalations.schema.js';
export * from './webhooks.schema.js';
export * from './portal.schema.js';
export * from './letters.schema.js';
