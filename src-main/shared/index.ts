export * from './commands';
export * from './errors';
export * from './events';
export * from './model';
export * from './result';
export * from './bridge';
