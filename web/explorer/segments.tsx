/**
 * Segments: the domain's segments with their counts; an editor for a rule in the segment text
 * language that checks (segmentFromText) and counts (segmentPreview, when the server has it) as you
 * type; the saved segment's members; a snapshot export through the export jobs (CSV of profiles).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { useSession } from './context.js';
import { ProfileList, type Row } from './search.js';

interface Seg { name: string; description: string | null; text: string; count: number }
interface ExportFile { name: string; rows: number; downloadPath: string }

export function SegmentsPage() {
  const { api, i18n, caps } = useSession();
  const [list, setList] = useState<Seg[] | null>(null);
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [check, setCheck] = useState<{ ok: boolean; message: string } | null>(null);
  const [members, setMembers] = useState<{ name: string; count: number; rows: Row[] } | null>(null);
  const [exported, setExported] = useState<ExportFile[] | 'running' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const edits = useRef(0);

  async function loadList(): Promise<void> {
    try {
      const d = await api.gql<{ segments: Seg[] }>('{ segments { name description text count } }');
      setList(d.segments);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function open(n: string): Promise<void> {
    setExported(null);
    try {
      const d = await api.gql<{ segment: (Seg & { members: { nodes: Row[] } }) | null }>(
        'query($n: String!) { segment(name: $n) { name text count members(first: 25) { nodes { id fullName businessName phoneNumber mobilePhoneNumber emailAddress accountNumber updatedAt } } } }',
        { n },
      );
      if (!d.segment) return;
      setName(d.segment.name);
      setText(d.segment.text);
      setMembers({ name: d.segment.name, count: d.segment.count, rows: d.segment.members.nodes });
      setCheck({ ok: true, message: i18n.t('countLive', { n: i18n.num(d.segment.count) }) });
    } catch (err) {
      setError((err as Error).message);
    }
  }

  useEffect(() => {
    void loadList();
    const m = /^#\/segments\/(.+)$/.exec(location.hash);
    if (m) void open(decodeURIComponent(m[1]!));
  }, []);

  // Check (and count) the rule as it is typed, the latest edit winning.
  useEffect(() => {
    if (!text.trim()) return setCheck(null);
    const mine = ++edits.current;
    const timer = setTimeout(async () => {
      try {
        if (caps.segmentPreview) {
          const d = await api.gql<{ segmentPreview: { count: number } }>('query($t: String!) { segmentPreview(text: $t) { count } }', { t: text });
          if (mine === edits.current) setCheck({ ok: true, message: i18n.t('countLive', { n: i18n.num(d.segmentPreview.count) }) });
        } else {
          await api.gql('query($t: String!) { segmentFromText(text: $t) }', { t: text });
          if (mine === edits.current) setCheck({ ok: true, message: i18n.t('countAfterSave') });
        }
      } catch (err) {
        if (mine === edits.current) setCheck({ ok: false, message: (err as ApiError).message });
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [text, caps.segmentPreview, i18n]);

  async function save(e: Event): Promise<void> {
    e.preventDefault();
    setError(null);
    try {
      await api.gql('mutation($input: PutSegmentInput!) { putSegment(input: $input) { name count } }', { input: { name: name.trim(), text } });
      await loadList();
      await open(name.trim());
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function exportSnapshot(): Promise<void> {
    if (!members) return;
    setExported('running');
    try {
      const d = await api.gql<{ startExport: { id: string } }>('mutation($input: StartExportInput!) { startExport(input: $input) { id } }', { input: { objectTypes: ['profile'], segment: members.name, format: 'CSV' } });
      for (let i = 0; i < 300; i++) {
        const j = await api.gql<{ job: { status: string; error: string | null; export: { files: ExportFile[] } | null } }>('query($id: ID!) { job(id: $id) { status error export { files { name rows downloadPath } } } }', { id: d.startExport.id });
        if (j.job.status === 'SUCCEEDED' && j.job.export) return setExported(j.job.export.files);
        if (j.job.status === 'FAILED' || j.job.status === 'CANCELLED') throw new Error(j.job.error ?? j.job.status);
        await new Promise((r) => setTimeout(r, 500));
      }
    } catch (err) {
      setExported(null);
      setError((err as Error).message);
    }
  }

  async function download(f: ExportFile): Promise<void> {
    const res = await fetch(f.downloadPath, { headers: { authorization: `Bearer ${api.key}` } });
    if (!res.ok) return setError(`${res.status}`);
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `${members?.name ?? 'segment'}-${f.name}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return (
    <section aria-labelledby="segments-title">
      <h1 id="segments-title">{i18n.t('segments')}</h1>
      {error && <p role="alert" class="error">{i18n.t('error', { msg: error })}</p>}
      <div class="two">
        <section class="panel" aria-label={i18n.t('segments')}>
          <button type="button" class="secondary" onClick={() => { setName(''); setText(''); setMembers(null); setExported(null); }}>{i18n.t('newSegment')}</button>
          <table>
            <thead><tr><th scope="col">{i18n.t('segmentName')}</th><th scope="col">{i18n.t('count')}</th></tr></thead>
            <tbody>
              {list?.map((s) => (
                <tr key={s.name}><td><a href={`#/segments/${encodeURIComponent(s.name)}`} onClick={() => void open(s.name)}>{s.name}</a></td><td>{i18n.num(s.count)}</td></tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="panel">
          <form onSubmit={(e) => void save(e)}>
            <label for="segment-name">{i18n.t('segmentName')}</label>
            <input id="segment-name" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} pattern="[A-Za-z][A-Za-z0-9_\-]{0,63}" required />
            <label for="segment-rule">{i18n.t('segmentRule')}</label>
            <textarea id="segment-rule" rows={4} value={text} aria-describedby="segment-help segment-check" onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
            <p id="segment-help" class="help">{i18n.t('segmentRuleHelp')}</p>
            <p id="segment-check" role="status" class={check ? (check.ok ? 'ok' : 'error') : undefined}>{check?.message ?? ''}</p>
            <button type="submit" disabled={!check?.ok || !name.trim()}>{i18n.t('saveSegment')}</button>
          </form>
          {members && (
            <>
              <h2>{i18n.t('members')}: {members.name} ({i18n.num(members.count)})</h2>
              <ProfileList rows={members.rows} />
              <button type="button" onClick={() => void exportSnapshot()} disabled={exported === 'running'}>{exported === 'running' ? i18n.t('exporting') : i18n.t('exportSnapshot')}</button>
              {Array.isArray(exported) && exported.map((f) => <button type="button" class="secondary" key={f.name} onClick={() => void download(f)}>{i18n.t('download', { name: f.name, rows: i18n.num(f.rows) })}</button>)}
            </>
          )}
        </section>
      </div>
    </section>
  );
}
