// A worker thread does not inherit the main thread's TypeScript loader: register it, then load the
// composing thread.
import { register } from 'tsx/esm/api';

register();
await import('./compose-thread.ts');
