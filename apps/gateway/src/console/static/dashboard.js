// The supervisor dashboard (数据大屏): plain browser JavaScript over GET /console/api/dashboard, charts by
// Apache ECharts (served from this origin). zh-CN by default, English through the console's own switch.
'use strict';

const REFRESH_MS = 15_000;
const LEVELS = ['VERY_SATISFIED', 'SATISFIED', 'BASIC_SATISFIED', 'DISSATISFIED', 'VERY_DISSATISFIED'];
const COLORS = { outgoing: '#3ba1ff', incoming: '#36d399', completion: '#ffc53d', onTime: '#73d13d', used: '#4fd1ff', promised: '#9b8cff', statutory: '#5b6f99', window: '#3ba1ff', handling: '#ff9f43' };

const TEXT = {
  'zh-CN': {
    title: '跨域通办数据大屏', preset: '统计周期', presetLabel: '快捷选择', month: '本月', last30: '近30天', year: '本年', custom: '自定义', from: '起', to: '止', apply: '查询',
    updated: '更新于', back: '返回工作台', lang: 'English', kpis: '总体指标', byPartner: '按合作地区 · 办件量', partnerRates: '按合作地区 · 办结率与按时办结率',
    satisfaction: '好差评 · 满意度分布', byItem: '按事项 · 办件量', itemRates: '按事项 · 办结率与按时办结率', days: '按事项 · 平均用时（工作日）',
    overdue: '超期办件', atRisk: '临期办件', partner: '合作地区', item: '事项', outgoing: '代收发出', incoming: '收到待办', completion: '办结率', onTime: '按时办结率',
    used: '平均用时', promised: '承诺时限', statutory: '法定时限', window: '窗口服务（一次一评）', handling: '办件办理（一事一评）',
    levels: { VERY_SATISFIED: '非常满意', SATISFIED: '满意', BASIC_SATISFIED: '基本满意', DISSATISFIED: '不满意', VERY_DISSATISFIED: '非常不满意' },
    kpi: {
      outgoing: '代收发出（件）', incoming: '收到待办（件）', completion: '办结率', onTime: '按时办结率', used: '平均用时（工作日）', saved: '较承诺时限提速',
      overdue: '超期（件）', atRisk: '临期（件）',
    },
    concludedOf: (c, t) => `已办结 ${c} / ${t}`, onTimeOf: (o, c) => `按时 ${o} / ${c}`, limits: (p, s) => `承诺 ${p} · 法定 ${s}`, vsStatutory: (x) => `较法定 ${x}`,
    split: (o, i) => `发出 ${o} · 收到 ${i}`, running: '办理中，全部周期', ratings: (n) => `共 ${n} 条评价`,
    cols: { caseNumber: '办件编号', item: '事项', partner: '合作地区', due: '到期', left: '剩余' },
    colTitles: { due: '承诺办结日期', left: '剩余工作日（负数为已超期）' },
    dir: { outgoing: '发出', incoming: '收到' }, left: (n) => (n === null ? '—' : n < 0 ? `超 ${-n}` : `${n}`), none: '暂无',
    cases: '件', table: (title) => `${title}（数据表）`, group: '分组',
    signIn: '请先登录工作台。', signInLink: '前往登录', notSupervisor: '数据大屏仅限督查人员（SUPERVISOR）查看。', failed: '数据加载失败，稍后自动重试。', badPeriod: '统计周期无效：起始日期须不晚于截止日期，且跨度不超过三年。',
    footnote: (d) => `口径：以收件日期落在统计周期内的办件为准。办结率 = 已办结（准予或不予）/ 收件总数；按时办结率 = 不晚于承诺办结时间办结的件数 / 有承诺时限的已办结件数；用时按办理地工作日计，自受理起、不含暂停计时；提速 = 1 − 用时合计 / 承诺时限合计。满意度取每件每类评价的最新一次。超期、临期（承诺办结时间在 ${d} 个工作日内）列出当前办理中的办件，不受统计周期限制。每 15 秒自动刷新。`,
  },
  en: {
    title: 'Cross-region cases · dashboard', preset: 'Period', presetLabel: 'Preset', month: 'This month', last30: 'Last 30 days', year: 'This year', custom: 'Custom', from: 'From', to: 'To', apply: 'Show',
    updated: 'Updated at', back: 'Back to the desk', lang: '中文', kpis: 'Key figures', byPartner: 'Cases by partner', partnerRates: 'Completion and on-time rates by partner',
    satisfaction: 'Satisfaction (applicant ratings)', byItem: 'Cases by service item', itemRates: 'Completion and on-time rates by item', days: 'Average working days by item',
    overdue: 'Overdue cases', atRisk: 'Cases at risk', partner: 'Partner', item: 'Service item', outgoing: 'Collected for partners', incoming: 'Received from partners', completion: 'Completion rate', onTime: 'On-time rate',
    used: 'Working days used', promised: 'Promised limit', statutory: 'Statutory limit', window: 'Window service (per visit)', handling: 'Case handling (per case)',
    levels: { VERY_SATISFIED: 'Very satisfied', SATISFIED: 'Satisfied', BASIC_SATISFIED: 'Basically satisfied', DISSATISFIED: 'Dissatisfied', VERY_DISSATISFIED: 'Very dissatisfied' },
    kpi: {
      outgoing: 'Collected for partners', incoming: 'Received from partners', completion: 'Completion rate', onTime: 'On-time rate', used: 'Avg working days used', saved: 'Faster than promised',
      overdue: 'Overdue', atRisk: 'At risk',
    },
    concludedOf: (c, t) => `${c} of ${t} concluded`, onTimeOf: (o, c) => `${o} of ${c} on time`, limits: (p, s) => `promised ${p} · statutory ${s}`, vsStatutory: (x) => `vs statutory ${x}`,
    split: (o, i) => `out ${o} · in ${i}`, running: 'running, any period', ratings: (n) => `${n} ratings`,
    cols: { caseNumber: 'Case number', item: 'Item', partner: 'Partner', due: 'Due', left: 'Left' },
    colTitles: { due: 'Promised by (date)', left: 'Working days left (over = overdue)' },
    dir: { outgoing: 'out', incoming: 'in' }, left: (n) => (n === null ? '—' : n < 0 ? `${-n} over` : `${n}`), none: 'None',
    cases: 'cases', table: (title) => `${title} (data table)`, group: 'Group',
    signIn: 'Sign in to the desk console first.', signInLink: 'Sign in', notSupervisor: 'The dashboard is for supervisors (SUPERVISOR role).', failed: 'Could not load the figures; retrying automatically.', badPeriod: 'Invalid period: from must not be after to, and at most three years apart.',
    footnote: (d) => `Cases count by collection date within the period. Completion rate = concluded (approved or denied) / collected; on-time rate = concluded by the promised date / concluded with a promised date; working days in the approving district's calendar from acceptance, pauses excluded; faster than promised = 1 − Σ days used / Σ promised limit. Satisfaction: each case's latest rating per kind. Overdue and at-risk (promised date within ${d} working days) list running cases, whatever the period. Refreshes every 15 s.`,
  },
};

const $ = (id) => document.getElementById(id);
let lang = localStorage.getItem('tongban.lang') === 'en' ? 'en' : 'zh-CN';
const t = (key) => TEXT[lang][key];
const charts = {};
let last = null;

/** Dates in China Standard Time (+08:00), whatever the screen's own time zone. */
const cstDate = (ms) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const today = () => cstDate(Date.now());
const PRESETS = {
  month: () => ({ from: `${today().slice(0, 8)}01`, to: today() }),
  '30d': () => ({ from: cstDate(Date.now() - 29 * 86_400_000), to: today() }),
  year: () => ({ from: `${today().slice(0, 4)}-01-01`, to: today() }),
};

const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x) => (x === null || x === undefined ? '—' : x.toLocaleString(lang));
const nameOf = (x) => (lang === 'zh-CN' ? x.name : x.nameEn);
/** Axis labels: the district without its city ("深圳市罗湖区" → "罗湖区"; "Luohu District, Shenzhen" → "Luohu"). */
const shortName = (x) => (lang === 'zh-CN' ? x.name.replace(/^[^市]{2,3}市(?=.{2,})/, '') : x.nameEn.split(',')[0].replace(/ (District|Area)$/, ''));

function applyLanguage() {
  document.documentElement.lang = lang;
  document.title = `${lang === 'zh-CN' ? '通办' : 'Tongban'} · ${t('title')}`;
  for (const el of document.querySelectorAll('[data-i18n]')) {
    const value = t(el.dataset.i18n);
    if (typeof value === 'string') el.textContent = value;
  }
  $('lang').textContent = t('lang');
  $('period').setAttribute('aria-label', t('preset'));
}

async function load() {
  // A preset follows the calendar: a wall screen left on over midnight moves to the new day (or month).
  if ($('preset').value !== 'custom') usePreset($('preset').value);
  const q = new URLSearchParams({ from: $('from').value, to: $('to').value });
  let response;
  try {
    response = await fetch(`/console/api/dashboard?${q}`, { credentials: 'same-origin' });
  } catch {
    return notice(t('failed'));
  }
  if (response.status === 401) return notice(t('signIn'), true);
  if (response.status === 403) return notice(t('notSupervisor'));
  if (response.status === 400) return notice(t('badPeriod'));
  if (!response.ok) return notice(t('failed'));
  last = await response.json();
  $('notice').hidden = true;
  $('board').hidden = false;
  render(last);
}

function notice(text, withSignIn = false) {
  const el = $('notice');
  el.replaceChildren(text);
  if (withSignIn) {
    el.append(' ', Object.assign(document.createElement('a'), { href: '/console/', textContent: t('signInLink') }));
    $('board').hidden = true;
  }
  el.hidden = false;
}

function render(view) {
  $('district').textContent = nameOf(view.district);
  $('updated').textContent = new Date(view.generatedAt).toLocaleTimeString(lang, { hour12: false });
  $('updated').dateTime = view.generatedAt;
  renderKpis(view);
  const partners = view.byPartner;
  const items = view.byItem;
  const rate = (x) => (x === null ? null : Math.round(x * 1000) / 10);
  const axisPct = { type: 'value', max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { color: '#1d3a6b' } } };

  chart('c-partners', t('byPartner'), {
    xAxis: { type: 'category', data: partners.map((p) => shortName(p.partner)), axisLabel: { interval: 0, width: 90, overflow: 'break' } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#1d3a6b' } } },
    series: [
      bar(t('outgoing'), partners.map((p) => p.outgoing.total), COLORS.outgoing),
      bar(t('incoming'), partners.map((p) => p.incoming.total), COLORS.incoming),
    ],
  });
  describe('d-partners', t('byPartner'), [t('partner'), t('outgoing'), t('incoming')], partners.map((p) => [nameOf(p.partner), num(p.outgoing.total), num(p.incoming.total)]));

  chart('c-partner-rates', t('partnerRates'), {
    xAxis: { type: 'category', data: partners.map((p) => shortName(p.partner)), axisLabel: { interval: 0, width: 90, overflow: 'break' } },
    yAxis: axisPct,
    series: [bar(t('completion'), partners.map((p) => rate(p.all.completionRate)), COLORS.completion, '%'), bar(t('onTime'), partners.map((p) => rate(p.all.onTimeRate)), COLORS.onTime, '%')],
  });
  describe('d-partner-rates', t('partnerRates'), [t('partner'), t('completion'), t('onTime')], partners.map((p) => [nameOf(p.partner), pct(p.all.completionRate), pct(p.all.onTimeRate)]));

  const sat = view.totals.all.satisfaction;
  const rated = LEVELS.reduce((n, l) => n + sat.WINDOW_SERVICE[l] + sat.CASE_HANDLING[l], 0);
  chart('c-satisfaction', t('satisfaction'), {
    title: { text: t('ratings')(rated), right: 8, top: 0, textStyle: { fontSize: 12, color: '#9fb6dd', fontWeight: 'normal' } },
    xAxis: { type: 'category', data: LEVELS.map((l) => t('levels')[l]), axisLabel: { interval: 0, width: 70, overflow: 'break', lineHeight: 13 } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#1d3a6b' } } },
    series: [bar(t('window'), LEVELS.map((l) => sat.WINDOW_SERVICE[l]), COLORS.window), bar(t('handling'), LEVELS.map((l) => sat.CASE_HANDLING[l]), COLORS.handling)],
  });
  describe('d-satisfaction', t('satisfaction'), [t('group'), t('window'), t('handling')], LEVELS.map((l) => [t('levels')[l], num(sat.WINDOW_SERVICE[l]), num(sat.CASE_HANDLING[l])]));

  const itemAxis = { type: 'category', inverse: true, data: items.map((i) => nameOf(i.item)), axisLabel: { width: 140, overflow: 'break', lineHeight: 14 } };
  chart('c-items', t('byItem'), {
    yAxis: itemAxis,
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#1d3a6b' } } },
    series: [bar(t('outgoing'), items.map((i) => i.outgoing.total), COLORS.outgoing), bar(t('incoming'), items.map((i) => i.incoming.total), COLORS.incoming)],
  });
  describe('d-items', t('byItem'), [t('item'), t('outgoing'), t('incoming')], items.map((i) => [nameOf(i.item), num(i.outgoing.total), num(i.incoming.total)]));

  chart('c-item-rates', t('itemRates'), {
    yAxis: itemAxis,
    xAxis: { ...axisPct },
    series: [bar(t('completion'), items.map((i) => rate(i.all.completionRate)), COLORS.completion, '%'), bar(t('onTime'), items.map((i) => rate(i.all.onTimeRate)), COLORS.onTime, '%')],
  });
  describe('d-item-rates', t('itemRates'), [t('item'), t('completion'), t('onTime')], items.map((i) => [nameOf(i.item), pct(i.all.completionRate), pct(i.all.onTimeRate)]));

  chart('c-days', t('days'), {
    yAxis: itemAxis,
    xAxis: { type: 'value', splitLine: { lineStyle: { color: '#1d3a6b' } } },
    series: [
      bar(t('used'), items.map((i) => i.all.avgWorkingDaysUsed), COLORS.used),
      bar(t('promised'), items.map((i) => i.all.avgPromisedWorkingDays), COLORS.promised),
      bar(t('statutory'), items.map((i) => i.all.avgStatutoryWorkingDays), COLORS.statutory),
    ],
  });
  describe('d-days', t('days'), [t('item'), t('used'), t('promised'), t('statutory'), t('kpi').saved], items.map((i) => [nameOf(i.item), num(i.all.avgWorkingDaysUsed), num(i.all.avgPromisedWorkingDays), num(i.all.avgStatutoryWorkingDays), pct(i.all.timeSavedVsPromised)]));

  renderList('overdue', 'n-overdue', view.overdue);
  renderList('at-risk', 'n-at-risk', view.atRisk);
  document.querySelector('.footnote').textContent = t('footnote')(view.atRiskWorkingDays);
}

function renderKpis(view) {
  const { all, outgoing, incoming } = view.totals;
  const k = t('kpi');
  const cards = [
    [k.outgoing, num(outgoing.total), t('concludedOf')(num(outgoing.concluded), num(outgoing.total))],
    [k.incoming, num(incoming.total), t('concludedOf')(num(incoming.concluded), num(incoming.total))],
    [k.completion, pct(all.completionRate), t('split')(pct(outgoing.completionRate), pct(incoming.completionRate))],
    [k.onTime, pct(all.onTimeRate), t('onTimeOf')(num(all.onTime), num(all.concludedWithDue))],
    [k.used, num(all.avgWorkingDaysUsed), t('limits')(num(all.avgPromisedWorkingDays), num(all.avgStatutoryWorkingDays))],
    [k.saved, pct(all.timeSavedVsPromised), t('vsStatutory')(pct(all.timeSavedVsStatutory))],
    [k.overdue, num(view.overdue.count), t('running'), 'bad'],
    [k.atRisk, num(view.atRisk.count), t('running'), 'warn'],
  ];
  $('kpis').replaceChildren(
    ...cards.map(([label, value, sub, tone]) => {
      const box = document.createElement('div');
      const dd = Object.assign(document.createElement('dd'), { className: tone || '' });
      dd.append(value, Object.assign(document.createElement('small'), { textContent: sub }));
      box.append(Object.assign(document.createElement('dt'), { textContent: label }), dd);
      return box;
    }),
  );
}

function bar(name, data, color, unit = '') {
  return {
    name,
    type: 'bar',
    data,
    barMaxWidth: 26,
    itemStyle: { color, borderRadius: 2 },
    label: { show: true, position: 'top', color: '#d6e4ff', fontSize: 11, formatter: (p) => (p.value === null || p.value === undefined ? '' : `${p.value}${unit}`) },
  };
}

/** One ECharts chart per container, created once and updated in place; the container's label is its title. */
function chart(id, title, option) {
  const el = $(id);
  el.setAttribute('aria-label', title);
  charts[id] ??= echarts.init(el, 'dark', { renderer: 'canvas' });
  const horizontal = option.yAxis?.type === 'category';
  if (horizontal) for (const s of option.series) s.label.position = 'right';
  charts[id].setOption(
    {
      backgroundColor: 'transparent',
      textStyle: { fontFamily: getComputedStyle(document.documentElement).fontFamily },
      // Rich-text tooltips are drawn on the canvas: no HTML with inline styles, which the CSP would refuse.
      tooltip: { trigger: 'axis', renderMode: 'richText', axisPointer: { type: 'shadow' } },
      legend: { top: 0, left: 0, textStyle: { color: '#9fb6dd' }, itemWidth: 12, itemHeight: 8 },
      grid: { left: 8, right: horizontal ? 44 : 12, top: 34, bottom: 4, containLabel: true },
      animationDuration: 400,
      ...option,
    },
    { notMerge: true },
  );
}

/** The chart's data as a table for screen readers (the canvas says nothing to them). */
function describe(id, title, headers, rows) {
  const table = document.createElement('table');
  table.createCaption().textContent = t('table')(title);
  const head = table.createTHead().insertRow();
  for (const h of headers) head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: h }));
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((cell, i) => {
      const el = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) el.scope = 'row';
      el.textContent = cell;
      tr.append(el);
    });
  }
  $(id).replaceChildren(table);
}

function renderList(tableId, countId, list) {
  $(countId).textContent = num(list.count);
  const c = t('cols');
  const table = $(tableId);
  const head = document.createElement('tr');
  const full = t('colTitles');
  for (const [h, title] of [[c.caseNumber], [c.item], [c.partner], [c.due, full.due], [c.left, full.left]]) {
    // Short headings fit the wall; the full wording is the heading's accessible name and tooltip.
    head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: h, ...(title ? { title, ariaLabel: title } : {}) }));
  }
  table.tHead.replaceChildren(head);
  const rows = list.cases.map((e) => {
    const tr = document.createElement('tr');
    const cell = (text, className = '', title = text) => Object.assign(document.createElement('td'), { textContent: text, className, title });
    // Direction as a tag before the partner: collected for it (发出) or received from it (收到).
    const partner = cell(shortName(e.partner));
    partner.prepend(Object.assign(document.createElement('span'), { className: `dir ${e.direction}`, textContent: t('dir')[e.direction] }), ' ');
    tr.append(cell(e.caseNumber), cell(nameOf(e.item)), partner, cell(cstDate(Date.parse(e.promisedDueAt)).slice(5), '', cstDate(Date.parse(e.promisedDueAt))), cell(t('left')(e.workingDaysLeft), 'days'));
    return tr;
  });
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('td'), { colSpan: 5, className: 'empty', textContent: t('none') }));
    rows.push(tr);
  }
  table.tBodies[0].replaceChildren(...rows);
}

function usePreset(name) {
  $('preset').value = name;
  if (!PRESETS[name]) return;
  const { from, to } = PRESETS[name]();
  $('from').value = from;
  $('to').value = to;
}

document.addEventListener('DOMContentLoaded', () => {
  applyLanguage();
  usePreset('month');
  $('preset').addEventListener('change', () => {
    if ($('preset').value !== 'custom') {
      usePreset($('preset').value);
      load();
    }
  });
  for (const id of ['from', 'to']) $(id).addEventListener('input', () => ($('preset').value = 'custom'));
  $('period').addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
    localStorage.setItem('tongban.lang', lang);
    applyLanguage();
    if (last) render(last);
  });
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  // Live: every 15 s while the screen is shown, and at once when it comes back.
  setInterval(() => {
    if (!document.hidden) load();
  }, REFRESH_MS);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) load();
  });
  load();
});
