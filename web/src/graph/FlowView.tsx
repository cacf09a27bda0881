import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { GraphEdge, GraphNode, MoneyFlow } from '../api/types.ts';
import { Empty, Loading } from '../components/status.tsx';
import { useFormat, type Formatters } from '../i18n/format.ts';

const LinkGraph = lazy(() => import('./LinkGraph.tsx'));

/** A money flow as graph nodes and edges (parties; payments summed per pair and currency). */
export function flowGraph(flow: MoneyFlow, fmt: Formatters): { nodes: GraphNode[]; edges: GraphEdge[] } {
  return {
    nodes: flow.nodes.map((n) => ({ id: n.id, type: n.role, label: `${n.label}${n.country ? ` (${n.country})` : ''}`, hub: n.flagged })),
    edges: flow.edges.map((e) => ({
      source: e.from,
      target: e.to,
      kind: `${fmt.num(e.amount, 2)} ${e.currency} ×${e.count}`,
      strength: Math.min(1, 0.2 + Math.log10(1 + e.amountPhp) / 6),
    })),
  };
}

/** The money flow of a party or subject: the graph (double-click a party to open it), and the same payments as a table. */
export function FlowView({ flow, onPick }: { flow: MoneyFlow; onPick?: (partyId: string) => void }): ReactNode {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  // Only a new flow or language redraws the graph (the formatters object is new on every render).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const g = useMemo(() => flowGraph(flow, fmt), [flow, i18n.language]);
  const label = new Map(flow.nodes.map((n) => [n.id, n.label]));
  if (flow.edges.length === 0) return <Empty>{t('work2.noFlow')}</Empty>;
  return (
    <>
      <Suspense fallback={<Loading />}>
        <LinkGraph
          variant="money"
          nodes={g.nodes}
          edges={g.edges}
          label={t('work2.flowLabel', { parties: g.nodes.length, flows: g.edges.length })}
          onSelect={() => undefined}
          onExpand={(n) => onPick?.(n.id)}
        />
      </Suspense>
      <p className="muted small">{t('work2.flowHelp')}</p>
      <p className="legend small">
        <span className="swatch" style={{ background: '#1f6feb' }} /> {t('work2.flowThis')} <span className="swatch" style={{ background: '#2da44e' }} />{' '}
        {t('work2.flowPayer')} <span className="swatch" style={{ background: '#bc4c00' }} /> {t('work2.flowReceiver')}{' '}
        <span className="swatch" style={{ border: '2px solid #cf222e' }} /> {t('work2.flowFlagged')}
      </p>
      <table className="grid flow-table">
        <thead>
          <tr>
            <th scope="col">{t('work2.from')}</th>
            <th scope="col">{t('work2.to')}</th>
            <th scope="col" className="num">
              {t('work2.amount')}
            </th>
            <th scope="col" className="num">
              {t('work2.count')}
            </th>
            <th scope="col">{t('work2.firstLast')}</th>
          </tr>
        </thead>
        <tbody>
          {flow.edges.map((e, i) => (
            <tr key={i}>
              <td>
                {onPick ? (
                  <button type="button" className="link" onClick={() => onPick(e.from)}>
                    {label.get(e.from) ?? e.from}
                  </button>
                ) : (
                  (label.get(e.from) ?? e.from)
                )}
              </td>
              <td>
                {onPick ? (
                  <button type="button" className="link" onClick={() => onPick(e.to)}>
                    {label.get(e.to) ?? e.to}
                  </button>
                ) : (
                  (label.get(e.to) ?? e.to)
                )}
              </td>
              <td className="num">
                {fmt.num(e.amount, 2)} {e.currency}
                <div className="muted small">PHP {fmt.num(e.amountPhp, 0)}</div>
              </td>
              <td className="num">{fmt.num(e.count)}</td>
              <td className="small">
                {fmt.date(e.first)} – {fmt.date(e.last)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
