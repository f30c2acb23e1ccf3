import type { FirstReplyFigures, OperationsReport } from '@pier/contracts';
import type { TFunction } from 'i18next';

/** ECharts options (plain objects, so building them needs no chart code) and CSV rows of each report chart. */
export type ReportChart = {
  key: string;
  title: string;
  option: Record<string, unknown>;
  csv: (string | number | null)[][];
  height?: number;
};

const ACCENT = '#2563eb';
const grid = { left: 8, right: 24, top: 24, bottom: 8, containLabel: true };
const axisLabel = { color: '#475569', fontSize: 11 };

function horizontalBars(labels: string[], values: number[], formatter?: string) {
  return {
    grid,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', axisLabel: { ...axisLabel, ...(formatter ? { formatter } : {}) }, minInterval: 1 },
    yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { ...axisLabel, width: 140, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        data: values,
        itemStyle: { color: ACCENT },
        barMaxWidth: 18,
        label: { show: true, position: 'right', fontSize: 11, ...(formatter ? { formatter: formatter.replace('{value}', '{c}') } : {}) },
      },
    ],
  };
}

export function reportCharts(r: OperationsReport, t: TFunction<'operations'>, countryName: (code: string) => string): ReportChart[] {
  const count = t('reports.count');
  const volume = (
    key: string,
    title: string,
    list: OperationsReport['volume']['byMailbox'],
    label: (l: string) => string,
  ): ReportChart => ({
    key,
    title,
    option: horizontalBars(
      list.map((c) => label(c.label)),
      list.map((c) => c.count),
    ),
    csv: [[title, count], ...list.map((c) => [label(c.label), c.count])],
    height: Math.max(140, 40 + list.length * 26),
  });
  const figures: FirstReplyFigures[] = [...r.firstReply.byMailbox, ...r.firstReply.byTeam];
  const figureName = (f: FirstReplyFigures) => (f.scope === 'team' ? `${f.name} ·` : f.name);
  const weekdays = t('reports.weekdaysShort', { returnObjects: true }) as string[];
  const maxHeat = Math.max(1, ...r.busiestHours.map((h) => h.count));
  const buckets = r.backlogByAge.map((b) => t(`reports.buckets.${b.bucket}`));
  return [
    {
      key: 'by-day',
      title: `${t('reports.volume')} · ${t('reports.byDay')}`,
      option: {
        grid,
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: r.volume.byDay.map((d) => d.day.slice(5)), axisLabel },
        yAxis: { type: 'value', minInterval: 1, axisLabel },
        series: [{ type: 'bar', data: r.volume.byDay.map((d) => d.count), itemStyle: { color: ACCENT }, barMaxWidth: 24 }],
      },
      csv: [[t('reports.byDay'), count], ...r.volume.byDay.map((d) => [d.day, d.count])],
    },
    volume('by-mailbox', `${t('reports.volume')} · ${t('reports.byMailbox')}`, r.volume.byMailbox, (l) => l),
    volume('by-team', `${t('reports.volume')} · ${t('reports.byTeam')}`, r.volume.byTeam, (l) => l || t('reports.noTeam')),
    volume('by-agent', `${t('reports.volume')} · ${t('reports.byAgent')}`, r.volume.byAgent, (l) => l || t('reports.noAgent')),
    volume('by-country', `${t('reports.volume')} · ${t('reports.byCountry')}`, r.volume.byCountry, (l) =>
      l ? `${countryName(l)} (${l})` : t('reports.unknownCountry'),
    ),
    {
      key: 'first-reply',
      title: t('reports.firstReply'),
      option: {
        grid: { ...grid, top: 32 },
        legend: { top: 0, textStyle: axisLabel },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', axisLabel: { ...axisLabel, formatter: '{value} h' } },
        yAxis: { type: 'category', data: [t('reports.overall'), ...figures.map(figureName)], inverse: true, axisLabel },
        series: [
          {
            name: t('reports.median'),
            type: 'bar',
            data: [r.firstReply.overall, ...figures].map((f) => f.medianHours),
            itemStyle: { color: ACCENT },
            barMaxWidth: 14,
            label: { show: true, position: 'right', fontSize: 10, formatter: '{c} h' },
          },
          {
            name: t('reports.p90'),
            type: 'bar',
            data: [r.firstReply.overall, ...figures].map((f) => f.p90Hours),
            itemStyle: { color: '#93c5fd' },
            barMaxWidth: 14,
            label: { show: true, position: 'right', fontSize: 10, formatter: '{c} h' },
          },
        ],
      },
      csv: [
        ['', t('reports.median'), t('reports.p90'), t('reports.conversations')],
        ...[r.firstReply.overall, ...figures].map((f, i) => [
          i === 0 ? t('reports.overall') : figureName(f),
          f.medianHours,
          f.p90Hours,
          f.conversations,
        ]),
      ],
      height: Math.max(160, 60 + (figures.length + 1) * 34),
    },
    {
      key: 'compliance',
      title: t('reports.compliance'),
      option: horizontalBars(
        [t('reports.overall'), ...figures.map(figureName)],
        [r.firstReply.overall, ...figures].map((f) => (f.compliance === null ? 0 : Math.round(f.compliance * 1000) / 10)),
        '{value} %',
      ),
      csv: [
        ['', '%', t('reports.onTime'), t('reports.late'), t('reports.conversations')],
        ...[r.firstReply.overall, ...figures].map((f, i) => [
          i === 0 ? t('reports.overall') : figureName(f),
          f.compliance === null ? null : Math.round(f.compliance * 1000) / 10,
          f.met,
          f.missed,
          f.conversations,
        ]),
      ],
      height: Math.max(140, 40 + (figures.length + 1) * 26),
    },
    {
      key: 'heatmap',
      title: t('reports.heatmap'),
      option: {
        grid: { ...grid, bottom: 48 },
        tooltip: { position: 'top' },
        xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), splitArea: { show: true }, axisLabel },
        yAxis: { type: 'category', data: weekdays, inverse: true, splitArea: { show: true }, axisLabel },
        visualMap: {
          min: 0,
          max: maxHeat,
          calculable: false,
          orient: 'horizontal',
          left: 'center',
          bottom: 0,
          itemHeight: 120,
          inRange: { color: ['#eff6ff', ACCENT] },
          textStyle: axisLabel,
        },
        series: [{ type: 'heatmap', data: r.busiestHours.map((h) => [h.hour, h.weekday, h.count]), label: { show: false } }],
      },
      csv: [
        [t('reports.hours'), ...weekdays],
        ...Array.from({ length: 24 }, (_, h) => [
          h,
          ...weekdays.map((_, w) => r.busiestHours.find((x) => x.weekday === w && x.hour === h)?.count ?? 0),
        ]),
      ],
      height: 300,
    },
    {
      key: 'backlog',
      title: t('reports.backlog'),
      option: {
        grid,
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: buckets, axisLabel },
        yAxis: { type: 'value', minInterval: 1, axisLabel },
        series: [
          {
            type: 'bar',
            data: r.backlogByAge.map((b) => b.count),
            itemStyle: { color: '#f59e0b' },
            barMaxWidth: 32,
            label: { show: true, position: 'top', fontSize: 11 },
          },
        ],
      },
      csv: [[t('reports.backlog'), t('reports.conversations')], ...r.backlogByAge.map((b, i) => [buckets[i] ?? b.bucket, b.count])],
    },
  ];
}
