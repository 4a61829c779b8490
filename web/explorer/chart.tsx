/**
 * Contacts per channel over time: stacked bars in hand-written SVG (no chart library). Buckets are
 * days, weeks or months, whichever keeps the contacts' span within about 30 bars.
 */
import type { Contact } from './profile.js';
import { useSession } from './context.js';

const CHANNELS = ['VOICE', 'CHAT', 'EMAIL', 'SMS', 'TASK', 'WEB', 'SOCIAL', 'OTHER'];
const DAY = 86_400_000;

type Unit = 'day' | 'week' | 'month';

function bucketStart(t: number, unit: Unit): number {
  const d = new Date(t);
  if (unit === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return unit === 'week' ? day - ((d.getUTCDay() + 6) % 7) * DAY : day;
}

function next(t: number, unit: Unit): number {
  if (unit === 'day') return t + DAY;
  if (unit === 'week') return t + 7 * DAY;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export function ContactChart({ contacts }: { contacts: Contact[] }) {
  const { i18n } = useSession();
  if (contacts.length === 0) return <p class="muted">{i18n.t('none')}</p>;
  const times = contacts.map((c) => Date.parse(c.initiatedAt));
  const min = Math.min(...times);
  const max = Math.max(...times);
  const spanDays = Math.max(1, Math.ceil((max - min) / DAY) + 1);
  const unit: Unit = spanDays <= 31 ? 'day' : spanDays <= 7 * 30 ? 'week' : 'month';
  const buckets: { start: number; counts: Map<string, number>; total: number }[] = [];
  for (let t = bucketStart(min, unit); t <= max; t = next(t, unit)) buckets.push({ start: t, counts: new Map(), total: 0 });
  const index = new Map(buckets.map((b, i) => [b.start, i]));
  for (const c of contacts) {
    const b = buckets[index.get(bucketStart(Date.parse(c.initiatedAt), unit))!]!;
    b.counts.set(c.channel, (b.counts.get(c.channel) ?? 0) + 1);
    b.total++;
  }
  const used = CHANNELS.filter((ch) => contacts.some((c) => c.channel === ch));
  const top = Math.max(...buckets.map((b) => b.total));
  const W = 600, H = 150, pad = 24;
  const bw = (W - pad) / buckets.length;
  const step = Math.ceil(buckets.length / 6); // about six date labels
  const y = (n: number) => ((H - 20) * n) / top;
  const fmt = new Intl.DateTimeFormat(i18n.locale, unit === 'month' ? { year: 'numeric', month: 'short', timeZone: 'UTC' } : { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const label = i18n.t('chartSummary', { n: i18n.num(contacts.length), days: i18n.num(spanDays) });
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H + 18}`} role="img" aria-label={`${i18n.t('chart')}: ${label}`}>
        <line x1={pad} y1={H} x2={W} y2={H} class="axis" />
        <text x={pad - 4} y={H - y(top) + 4} class="tick" text-anchor="end">{i18n.num(top)}</text>
        <text x={pad - 4} y={H} class="tick" text-anchor="end">0</text>
        {buckets.map((b, i) => {
          let base = H;
          const x = pad + i * bw + 1;
          return (
            <g key={b.start}>
              {used.map((ch) => {
                const n = b.counts.get(ch) ?? 0;
                if (!n) return null;
                const h = y(n);
                base -= h;
                return <rect key={ch} x={x} y={base} width={Math.max(1, bw - 2)} height={h} class={`bar ch-${ch.toLowerCase()}`}><title>{`${fmt.format(b.start)} · ${i18n.label(ch)}: ${i18n.num(n)}`}</title></rect>;
              })}
              {(i === 0 || i === buckets.length - 1 || (i % step === 0 && buckets.length - 1 - i >= step / 2)) && <text x={x + bw / 2} y={H + 14} class="tick" text-anchor="middle">{fmt.format(b.start)}</text>}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {label}
        <ul class="legend">{used.map((ch) => <li key={ch}><span class={`swatch ch-${ch.toLowerCase()}`} aria-hidden="true" />{i18n.label(ch)}</li>)}</ul>
      </figcaption>
    </figure>
  );
}
