/**
 * The floor: the best hand-written SQL for each benchmark query (one statement, LATERAL joins,
 * json_agg building the response in Postgres) behind a bare node:http handler. It parses the
 * GraphQL request body only to pick the query (by operationName) and its variables.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { exitOnSignal, ready } from './common.js';

const sql = postgres(process.env.BENCH_DATABASE_URL!, { max: 10, onnotice: () => {} });
const domainId = process.env.BENCH_DOMAIN_ID!;

const DESK = `
select json_build_object('profiles', json_build_object('nodes', coalesce(json_agg(json_build_object(
         'id', p.id, 'firstName', p.first_name, 'lastName', p.last_name, 'phoneNumber', p.phone_number, 'emailAddress', p.email_address,
         'contacts', json_build_object('nodes', c.list),
         'cases', json_build_object('nodes', k.list),
         'orders', json_build_object('nodes', o.list)
       ) order by p.created_at desc, p.id desc), '[]'::json)))::text as data
from (select * from profiles where domain_id = $1 order by created_at desc, id desc limit 50) p
cross join lateral (
  select coalesce(json_agg(json_build_object('channel', x.channel, 'initiatedAt', x.initiated_at, 'queue', x.queue, 'agentId', x.agent_id) order by x.initiated_at desc, x.id desc), '[]'::json) as list
  from (select * from contacts where domain_id = $1 and profile_id = p.id order by initiated_at desc, id desc limit 10) x) c
cross join lateral (
  select coalesce(json_agg(json_build_object('title', x.title, 'status', x.status) order by x.created_at desc, x.id desc), '[]'::json) as list
  from (select * from cases where domain_id = $1 and profile_id = p.id order by created_at desc, id desc limit 10) x) k
cross join lateral (
  select coalesce(json_agg(json_build_object('orderId', x.order_id, 'totalPrice', x.total_price::text, 'status', x.status) order by x.ordered_at desc, x.id desc), '[]'::json) as list
  from (select * from orders where domain_id = $1 and profile_id = p.id order by ordered_at desc, id desc limit 10) x) o`;

const PHONE = `
select json_build_object('searchProfiles', json_build_object('nodes', coalesce(json_agg(json_build_object(
         'id', p.id, 'firstName', p.first_name, 'lastName', p.last_name, 'phoneNumber', p.phone_number, 'emailAddress', p.email_address
       ) order by p.id), '[]'::json)))::text as data
from profile_keys k join profiles p on p.domain_id = k.domain_id and p.id = k.profile_id
where k.domain_id = $1 and k.key_name = '_phone' and k.value = $2`;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { operationName?: string; variables?: Record<string, string> };
        const rows =
          body.operationName === 'Phone'
            ? await sql.unsafe<{ data: string }[]>(PHONE, [domainId, body.variables?.phone ?? ''], { prepare: true })
            : await sql.unsafe<{ data: string }[]>(DESK, [domainId], { prepare: true });
        const text = `{"data":${rows[0]!.data}}`;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      }
    })();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`));
exitOnSignal(async () => {
  server.close();
  server.closeIdleConnections();
  await sql.end({ timeout: 2 });
});
