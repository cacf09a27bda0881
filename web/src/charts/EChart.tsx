// One echarts chart with PNG and CSV download; only the parts of echarts we use are bundled.
import { useEffect, useRef, type ReactNode } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, TitleComponent, AriaComponent } from 'echarts/components';
import { SVGRenderer, CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { saveCsv, saveFile } from '../components/download.ts';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, TitleComponent, AriaComponent, SVGRenderer, CanvasRenderer]);

/** Props: the chart options, an accessible title, the CSV behind it and file names. */
export interface EChartProps {
  option: EChartsCoreOption;
  title: string;
  fileBase: string;
  csv: { header: string[]; rows: Array<Array<string | number>> };
  pngLabel: string;
  csvLabel: string;
  height?: number;
}

/** A chart in a figure with its downloads. */
export default function EChart({ option, title, fileBase, csv, pngLabel, csvLabel, height = 280 }: EChartProps): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const onResize = (): void => c.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      c.dispose();
      chart.current = undefined;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, animation: false, ...option }, true);
  }, [option]);
  return (
    <figure className="chart">
      <figcaption>
        <span>{title}</span>
        <span className="spacer" />
        <button
          type="button"
          onClick={() => {
            const url = chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
            if (url) saveFile(`${fileBase}.png`, url);
          }}
        >
          {pngLabel}
        </button>
        <button type="button" onClick={() => saveCsv(`${fileBase}.csv`, csv.header, csv.rows)}>
          {csvLabel}
        </button>
      </figcaption>
      <div ref={box} style={{ height }} role="img" aria-label={title} />
    </figure>
  );
}
