import pino from 'pino';
import { apiRouters } from '../app';
import { ChaincodeClient } from '../chaincode/client';
import { RecordsService } from '../records/service';
import { EventStreams } from '../events/streams';
import { FakeBlockSource } from '../testing/blocks';
import { API_ROUTES, RESPONSES, routeKey } from './routes';
import { OfflineTransactions } from '../fabric/offline';

const unused = async (): Promise<never> => {
  throw new Error('not called');
};
const client: ChaincodeClient = { evaluate: unused, submit: unused };
const records: RecordsService = { registerRecord: unused, getRecord: unused, verifyHash: unused };

/** `METHOD /path` of every route Express really has, from the routers' stacks. */
function mountedRoutes(): string[] {
  const found: string[] = [];
  const routers = apiRouters({
    records,
    chaincode: { user: client, admin: client },
    transactions: { lookup: unused },
    events: new EventStreams({ source: new FakeBlockSource(), chaincode: 'egov', defaultContract: 'ledger' }),
    offline: new OfflineTransactions({} as never, {
      mspId: 'M',
      channel: 'c',
      chaincode: 'cc',
      transientEndorsers: [],
    }),
    logger: pino({ level: 'silent' }),
  });
  for (const [prefix, router] of routers) {
    for (const layer of router.stack) {
      const route = layer.route as { path: string; methods: Record<string, boolean> } | undefined;
      if (!route) continue;
      for (const method of Object.keys(route.methods)) {
        found.push(`${method.toUpperCase()} ${route.path === '/' ? prefix : prefix + route.path}`);
      }
    }
  }
  return found.sort();
}

describe('API_ROUTES', () => {
  it('describes exactly the routes the app mounts', () => {
    const described = API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
    expect(described).toEqual(mountedRoutes());
  });

  it('gives every route its own success body description, not the generic one', () => {
    const generic = API_ROUTES.filter((route) => RESPONSES[routeKey(route)] === undefined);
    expect(generic.map(routeKey)).toEqual([]);
  });

  it('describes every path parameter with a schema', () => {
    for (const route of API_ROUTES) {
      const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]).sort();
      expect([route.path, Object.keys(route.params?.shape ?? {}).sort()]).toEqual([route.path, names]);
    }
  });
});
