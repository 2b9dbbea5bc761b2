import type { GenerationList, GenerationRecord } from '../../../shared/contracts.ts';
import { FORMATS } from '../../../shared/plans.ts';
import type { HistoryFilters } from '../data/load-dashboard.ts';
import { Alert } from './form.tsx';

function withParams(path: string, params: Record<string, string | undefined>, hash = ''): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return `${path}${text ? `?${text}` : ''}${hash}`;
}

/** Links to the API's CSV/JSON export with the dashboard's current filters. */
export function exportLink(filters: HistoryFilters, format: 'csv' | 'json'): string {
  return withParams('/v1/generations', {
    format,
    q: filters.q,
    outputFormat: filters.format,
    from: filters.from,
    to: filters.to,
  });
}

function formatDateTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** How a generation counts: charged, free re-run, still running, or interrupted (never charged). */
export function chargeLabel(item: GenerationRecord): { text: string; kind: string } {
  if (item.status === 'released' || item.status === 'expired') {
    return item.completedAt === null
      ? { text: 'Interrupted — not charged', kind: 'interrupted' }
      : { text: 'Reported late — not charged', kind: 'interrupted' };
  }
  if (item.status === 'issued' && item.expiresAt) {
    return { text: item.charged ? 'Running — counts once done' : 'Running — free re-run', kind: 'pending' };
  }
  return item.charged ? { text: 'Charged', kind: 'charged' } : { text: 'Free re-run', kind: 'free' };
}

function ChargeTag(props: { item: GenerationRecord }) {
  const label = chargeLabel(props.item);
  return <span class={`tag ${label.kind}`}>{label.text}</span>;
}

/** Properties of {@link HistoryPanel}. */
export interface HistoryPanelProps {
  history: GenerationList;
  filters: HistoryFilters;
  filterError?: string | undefined;
}

function Filters(props: { filters: HistoryFilters }) {
  const f = props.filters;
  return (
    <form class="filters" method="get" action="/dashboard" aria-label="Filter generations">
      <div class="field">
        <label for="history-q">Spec title</label>
        <input id="history-q" type="search" name="q" value={f.q} maxlength={200} />
      </div>
      <div class="field">
        <label for="history-format">Format</label>
        <select id="history-format" name="format">
          <option value="">Any format</option>
          {FORMATS.map((format) => (
            <option value={format} selected={f.format === format}>
              {format}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="history-from">From</label>
        <input id="history-from" type="date" name="from" value={f.from} />
      </div>
      <div class="field">
        <label for="history-to">To</label>
        <input id="history-to" type="date" name="to" value={f.to} />
      </div>
      <div class="actions">
        <button type="submit">Filter</button>
        <a href="/dashboard#history">Clear</a>
      </div>
    </form>
  );
}

/** Generation history: filters, table, pagination and export links. */
export function HistoryPanel(props: HistoryPanelProps) {
  const { items, nextCursor } = props.history;
  const f = props.filters;
  const filtered = Boolean(f.q || f.format || f.from || f.to);
  return (
    <section class="card" id="history" aria-labelledby="history-title">
      <h2 id="history-title">Generation history</h2>
      {props.filterError ? <Alert kind="error">{props.filterError}</Alert> : null}
      <Filters filters={f} />
      {items.length === 0 ? (
        <p>
          {filtered
            ? 'No generations match these filters.'
            : 'No generations yet. Run specmint generate with your spec (see “Get started”) and they will appear here.'}
        </p>
      ) : (
        <div class="table-wrap">
          <table class="cards">
            <caption class="visually-hidden">Your generations, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Spec</th>
                <th scope="col" class="optional">
                  Hash
                </th>
                <th scope="col">Formats</th>
                <th scope="col" class="num">
                  Tests
                </th>
                <th scope="col">Charged</th>
                <th scope="col">Date</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr data-generation-id={item.id}>
                  <td data-label="Spec">{item.specTitle}</td>
                  <td class="optional" data-label="Hash">
                    <code title={item.specHash}>{item.specHash.slice(0, 12)}</code>
                  </td>
                  <td data-label="Formats">
                    <span>
                      {item.formats.map((format) => (
                        <span class="tag">{format}</span>
                      ))}
                    </span>
                  </td>
                  <td class="num" data-label="Tests">
                    {item.tests === null ||
                    item.status === 'released' ||
                    (item.status === 'expired' && item.completedAt === null)
                      ? '—'
                      : String(item.tests)}
                  </td>
                  <td data-label="Charged">
                    <ChargeTag item={item} />
                  </td>
                  <td data-label="Date">
                    <time datetime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label="History pages">
        {f.cursor ? (
          <a href={withParams('/dashboard', { ...f, cursor: undefined }, '#history')}>Newest</a>
        ) : (
          <span />
        )}
        {nextCursor ? (
          <a href={withParams('/dashboard', { ...f, cursor: nextCursor }, '#history')} rel="next">
            Older generations
          </a>
        ) : null}
      </nav>
      <p class="actions">
        Export {filtered ? 'the filtered' : 'all'} history:
        <a href={exportLink(f, 'csv')} download>
          CSV
        </a>
        <a href={exportLink(f, 'json')} download>
          JSON
        </a>
      </p>
    </section>
  );
}
