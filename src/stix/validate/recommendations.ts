import { childPath } from '../issues.ts';
import type { ValidationContext } from './context.ts';

type Obj = Readonly<Record<string, unknown>>;

const LOWER_HYPHEN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function isRecord(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * SHOULD-level conventions that the OASIS validator reports as warnings: kill-chain names and
 * phases in lowercase with hyphens (§2.13), ISO 3166-1 alpha-2 countries (§4.10), lowercase
 * protocol names (§6.12), Windows priority classes ending in `_CLASS` (§6.13.2).
 */
export function checkRecommendations(o: Obj, path: string, ctx: ValidationContext): void {
  const warn = (p: string, message: string): void => ctx.sink.warn(p, 'STYLE_RECOMMENDATION', message);
  if (Array.isArray(o.kill_chain_phases)) {
    o.kill_chain_phases.forEach((phase: unknown, i) => {
      if (!isRecord(phase)) return;
      for (const key of ['kill_chain_name', 'phase_name']) {
        const value = phase[key];
        if (typeof value === 'string' && !LOWER_HYPHEN.test(value)) {
          warn(
            childPath(childPath(childPath(path, 'kill_chain_phases'), i), key),
            `${key} should be lowercase with hyphens`,
          );
        }
      }
    });
  }
  if (o.type === 'location' && typeof o.country === 'string' && !/^[A-Z]{2}$/.test(o.country)) {
    warn(childPath(path, 'country'), 'country should be an ISO 3166-1 alpha-2 code');
  }
  if (o.type === 'network-traffic' && Array.isArray(o.protocols)) {
    o.protocols.forEach((protocol: unknown, i) => {
      if (typeof protocol === 'string' && protocol !== protocol.toLowerCase()) {
        warn(childPath(childPath(path, 'protocols'), i), 'protocol names should be lowercase');
      }
    });
  }
  const processExt = isRecord(o.extensions) ? o.extensions['windows-process-ext'] : undefined;
  if (
    isRecord(processExt) &&
    typeof processExt.priority === 'string' &&
    !processExt.priority.endsWith('_CLASS')
  ) {
    warn(
      childPath(childPath(childPath(path, 'extensions'), 'windows-process-ext'), 'priority'),
      'priority should end in _CLASS',
    );
  }
}
