import { Request, Response, Router } from 'express';

/**
 * One named check; it rejects with a reason when the component is not healthy, and may resolve to
 * facts about it (the channel's height), which a 200 answer lists under `checks`.
 */
export interface HealthCheck {
  component: string;
  check(): Promise<void | Record<string, unknown>>;
}

/** What /healthz and /readyz run. */
export interface HealthOptions {
  /** /healthz: the process is alive and its peer connection works. */
  liveness: HealthCheck[];
  /** /readyz: requests can be served now (liveness checks are run too). */
  readiness: HealthCheck[];
  /** True once shutdown began: /readyz then answers 503 so load balancers stop sending traffic. */
  isShuttingDown?: () => boolean;
  /** Upper bound for each check, in ms (default 3000). */
  checkTimeoutMs?: number;
}

/** A failed check, in Fabric's operations-service format (`failed_checks[]`). */
interface FailedCheck {
  component: string;
  reason: string;
}

/** A check's outcome: its failure, or the facts it found (if any). */
type Outcome = { failed: FailedCheck } | { facts?: Record<string, unknown> };

/** Runs `check` but gives up after `timeoutMs`, so a hung dependency cannot hang the probe. */
async function runWithTimeout(check: HealthCheck, timeoutMs: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`health check timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return { facts: (await Promise.race([check.check(), timeout])) ?? undefined };
  } catch (err) {
    return {
      failed: { component: check.component, reason: err instanceof Error ? err.message : String(err) },
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Answers like Fabric's operations /healthz: 200 {status: OK} or 503 with the failed checks. */
async function respond(
  res: Response,
  checks: HealthCheck[],
  timeoutMs: number,
  extra: FailedCheck[] = [],
): Promise<void> {
  const results = await Promise.all(checks.map((check) => runWithTimeout(check, timeoutMs)));
  const failed = [...extra, ...results.flatMap((r) => ('failed' in r ? [r.failed] : []))];
  const facts: Record<string, Record<string, unknown>> = {};
  results.forEach((r, i) => {
    if ('facts' in r && r.facts !== undefined) facts[checks[i].component] = r.facts;
  });
  const time = new Date().toISOString();
  res.setHeader('Cache-Control', 'no-store');
  if (failed.length > 0) res.status(503).json({ status: 'Service Unavailable', time, failed_checks: failed });
  else if (Object.keys(facts).length > 0) res.status(200).json({ status: 'OK', time, checks: facts });
  else res.status(200).json({ status: 'OK', time });
}

/**
 * `GET /healthz` (liveness: peer connection) and `GET /readyz` (readiness: chaincode answers, the
 * channel's height).
 */
export function healthRouter(options: HealthOptions): Router {
  const router = Router();
  const timeoutMs = options.checkTimeoutMs ?? 3000;
  router.get('/healthz', async (_req: Request, res: Response) => {
    await respond(res, options.liveness, timeoutMs);
  });
  router.get('/readyz', async (_req: Request, res: Response) => {
    const draining = options.isShuttingDown?.() ? [{ component: 'gateway', reason: 'shutting down' }] : [];
    await respond(res, [...options.liveness, ...options.readiness], timeoutMs, draining);
  });
  return router;
}
