/** The trader's session (see session.ts): one module that the worker, the CLI and the tests drive. */
export * from './state';
export * from './compute';
export * from './session';
export * from './pageView';
export * from './hedges';
export * from './pageOffer';
export * from './heldPosition';
