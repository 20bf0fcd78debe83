// The desk console (跨域通办窗口): plain browser JavaScript against /console/api, zh-CN by default.
// No framework and no build step: the screens are few, and the CSP allows only this file.
'use strict';

const TEXT = {
  'zh-CN': {
    title: '通办 · 跨域通办窗口', dashboard: '数据大屏', signIn: '登录', username: '用户名', password: '密码', totp: '动态验证码（6位）', logout: '退出',
    cases: '办件', outgoing: '代收发出', incoming: '收到待办', partner: '合作地区', state: '状态', all: '全部', overdueOnly: '仅超期',
    apply: '筛选', caseNumber: '办件编号', item: '事项', due: '承诺时限', more: '更多', back: '返回列表', allowed: '可办理的操作',
    timeline: '办理过程', daysLeft: (n) => (n >= 0 ? `剩 ${n} 个工作日` : `已超期 ${-n} 个工作日`), noDue: '未受理',
    badLogin: '用户名、密码或动态验证码不正确', locked: '账号已锁定，请稍后再试', limited: '尝试过于频繁，请稍后再试', lang: 'English',
    none: '暂无办件', rate: '请申请人评价（好差评）', payload: '消息内容（JSON，按需修改后发送）', send: '签名并发送', sent: '已受理，回执已签发', refused: '被拒绝', officer: '经办人', receipt: '回执',
    ledger: { CHECKPOINTED: '已存证（账本检查点已签）', SEQUENCED: '已入账，待检查点', PENDING: '待入账' },
    statuses: { ACCEPTED: '网关已受理', QUEUED: '待投递', DELIVERED: '已投递', ACKNOWLEDGED: '对方已确认', DEAD_LETTERED: '投递失败' }, facts: { state: '状态', collecting: '收件地', approving: '办理地', promised: '承诺办结', statutory: '法定办结' },
  },
  en: {
    title: 'Tongban · cross-region desk', dashboard: 'Dashboard', signIn: 'Sign in', username: 'User name', password: 'Password', totp: 'One-time code (6 digits)', logout: 'Sign out',
    cases: 'Cases', outgoing: 'Collected for partners', incoming: 'Received from partners', partner: 'Partner', state: 'State', all: 'All',
    overdueOnly: 'Overdue only', apply: 'Filter', caseNumber: 'Case number', item: 'Item', due: 'Promised by', more: 'More', back: 'Back to the list',
    allowed: 'Actions open to you', timeline: 'Timeline', daysLeft: (n) => (n >= 0 ? `${n} working days left` : `overdue by ${-n} working days`),
    noDue: 'not accepted yet', badLogin: 'Wrong user name, password or one-time code', locked: 'The account is locked; try again later',
    limited: 'Too many attempts; try again later', lang: '中文', none: 'No cases', rate: 'Applicant rating (好差评)', payload: 'Message content (JSON; edit, then send)',
    send: 'Sign and send', sent: 'Accepted; receipt issued', refused: 'Refused', officer: 'officer', receipt: 'receipt',
    ledger: { CHECKPOINTED: 'on the ledger (signed checkpoint)', SEQUENCED: 'on the ledger, checkpoint pending', PENDING: 'not on the ledger yet' },
    statuses: { ACCEPTED: 'accepted by the gateway', QUEUED: 'queued', DELIVERED: 'delivered', ACKNOWLEDGED: 'acknowledged by the partner', DEAD_LETTERED: 'delivery failed' },
    facts: { state: 'State', collecting: 'Collecting district', approving: 'Approving district', promised: 'Promised by', statutory: 'Statutory limit' },
  },
};
const STATES = ['COLLECTED', 'DISPATCHED', 'ACKNOWLEDGED', 'SUPPLEMENT_REQUESTED', 'ACCEPTED', 'NOT_ACCEPTED', 'IN_REVIEW', 'SUSPENDED', 'APPROVED', 'DENIED', 'CONCLUDED', 'RESULT_RETURNED', 'RESULT_IN_TRANSIT', 'DELIVERED', 'WITHDRAWN', 'TERMINATED'];
const STATE_ZH = { COLLECTED: '已收件', DISPATCHED: '已流转待签收', ACKNOWLEDGED: '已签收', SUPPLEMENT_REQUESTED: '待补正', ACCEPTED: '已受理', NOT_ACCEPTED: '不予受理', IN_REVIEW: '审查中', SUSPENDED: '暂停计时', APPROVED: '准予', DENIED: '不予', CONCLUDED: '已办结', RESULT_RETURNED: '结果已回传', RESULT_IN_TRANSIT: '结果寄递中', DELIVERED: '已出件', WITHDRAWN: '已撤回', TERMINATED: '异常终止' };

const $ = (id) => document.getElementById(id);
let lang = localStorage.getItem('tongban.lang') || 'zh-CN';
let csrf = sessionStorage.getItem('tongban.csrf') || '';
let direction = 'outgoing';
let next = null;

const t = (key) => TEXT[lang][key];
const stateName = (s) => (lang === 'zh-CN' ? STATE_ZH[s] || s : s);

function applyLanguage() {
  document.documentElement.lang = lang;
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  $('lang').textContent = t('lang');
  const stateSelect = $('filter-state');
  const chosen = stateSelect.value;
  stateSelect.replaceChildren(new Option(t('all'), ''), ...STATES.map((s) => new Option(stateName(s), s)));
  stateSelect.value = chosen;
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    credentials: 'same-origin',
    headers: { ...(options.body ? { 'content-type': 'application/json' } : {}), ...(options.method && options.method !== 'GET' ? { 'x-csrf-token': csrf } : {}) },
  });
  if (response.status === 401 && !path.endsWith('/login')) showLogin();
  return response;
}

function show(view) {
  for (const id of ['login-view', 'cases-view', 'case-view', 'collect-view', 'followups-view']) $(id).hidden = id !== view;
  $('logout').hidden = view === 'login-view';
}

function showLogin() {
  $('who').textContent = '';
  $('dashboard-link').hidden = true;
  $('followups-open').hidden = true;
  show('login-view');
  $('username').focus();
}

async function start() {
  applyLanguage();
  const me = await api('/console/api/me');
  if (!me.ok) return showLogin();
  // A reload or a new tab: the session is the cookie's, and the CSRF token comes with it.
  const staff = await me.json();
  csrf = staff.csrfToken;
  sessionStorage.setItem('tongban.csrf', csrf);
  await enter(staff);
}

let me = null;

async function enter(staff) {
  me = staff;
  $('who').textContent = `${staff.displayName}（${staff.username}）`;
  $('dashboard-link').hidden = !staff.roles.includes('SUPERVISOR'); // the big screen is for supervisors
  const catalogue = await (await api('/console/api/catalogue')).json();
  $('filter-partner').replaceChildren(new Option(t('all'), ''), ...catalogue.partners.map((p) => new Option(lang === 'zh-CN' ? p.name : p.nameEn, p.id)));
  // Every item of the district's agreements, once (the same item may be agreed with several partners).
  const items = new Map(catalogue.partners.flatMap((p) => p.items.map((i) => [i.implementationCode, i])));
  $('filter-item').replaceChildren(new Option(t('all'), ''), ...[...items.values()].map((i) => new Option(lang === 'zh-CN' ? i.name : i.nameEn, i.implementationCode)));
  // Other screens (collect.js) learn who signed in and what the district collects.
  document.dispatchEvent(new CustomEvent('tongban:staff', { detail: { staff, catalogue } }));
  show('cases-view');
  await loadCases(true);
}

async function loadCases(reset) {
  if (reset) next = null;
  const q = new URLSearchParams({ direction, limit: '50' });
  if ($('filter-partner').value) q.set('partner', $('filter-partner').value);
  if ($('filter-state').value) q.set('state', $('filter-state').value);
  if ($('filter-item').value) q.set('item', $('filter-item').value);
  if ($('filter-overdue').checked) q.set('overdue', 'true');
  if (!reset && next) q.set('after', next);
  const page = await (await api(`/console/api/cases?${q}`)).json();
  const body = $('cases-table').tBodies[0];
  if (reset) body.replaceChildren();
  for (const c of page.cases) {
    const row = body.insertRow();
    row.tabIndex = 0;
    row.dataset.caseNumber = c.caseNumber;
    for (const text of [c.caseNumber, c.item.name, districtName(c.partnerName, c.partner), stateName(c.state)]) row.insertCell().textContent = text;
    const due = row.insertCell();
    due.textContent = c.workingDaysLeft === null ? (c.promisedDueAt ? c.promisedDueAt.slice(0, 10) : t('noDue')) : t('daysLeft')(c.workingDaysLeft);
    if (c.workingDaysLeft !== null && c.workingDaysLeft < 0) due.className = 'overdue';
  }
  if (reset && page.cases.length === 0) body.insertRow().insertCell().textContent = t('none');
  next = page.next;
  $('more').hidden = !next;
}

async function openCase(caseNumber) {
  const response = await api(`/console/api/cases/${encodeURIComponent(caseNumber)}`);
  if (!response.ok) return;
  const c = await response.json();
  $('case-title').textContent = `${c.caseNumber} · ${c.item.name}`;
  const f = t('facts');
  const names = c.districtNames || {};
  const facts = [
    [f.state, stateName(c.state)],
    [f.collecting, districtName(names[c.collectingDistrict], c.collectingDistrict)],
    [f.approving, districtName(names[c.approvingDistrict], c.approvingDistrict)],
    [f.promised, localTime(c.deadlines.promisedDueAt)],
    [f.statutory, localTime(c.deadlines.statutoryDueAt)],
  ];
  $('case-facts').replaceChildren(...facts.flatMap(([k, v]) => [Object.assign(document.createElement('dt'), { textContent: k }), Object.assign(document.createElement('dd'), { textContent: v })]));
  $('case-actions').replaceChildren(
    ...c.allowedActions.map((type) => {
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: TongbanSteps.label(type, lang) });
      button.dataset.messageType = type;
      button.addEventListener('click', () => openStep(c.caseNumber, type));
      return button;
    }),
  );
  if (c.allowedActions.includes('case.evaluation') && c.collectingDistrict === me?.district) {
    const rate = Object.assign(document.createElement('a'), { href: `/console/rate.html?case=${encodeURIComponent(c.caseNumber)}&target=WINDOW_SERVICE`, textContent: t('rate'), target: '_blank', className: 'button' });
    $('case-actions').append(rate);
  }
  $('step-form').hidden = true;
  current = c.caseNumber;
  $('case-timeline').replaceChildren(...c.timeline.map(timelineEntry));
  show('case-view');
  $('back').focus();
}

function districtName(names, id) {
  return names ? `${lang === 'zh-CN' ? names.name : names.nameEn}（${id}）` : id;
}

/** An instant as the hall reads it (China Standard Time), or a dash. */
function localTime(iso) {
  return iso ? new Date(iso).toLocaleString(lang, { timeZone: 'Asia/Shanghai', hour12: false }) : '—';
}

/** One message on the case page: when, what, who, the gateway's receipt and whether the ledger proves it yet. */
function timelineEntry(m) {
  const li = document.createElement('li');
  li.title = m.messageType;
  const at = localTime(m.acceptedAt);
  const head = Object.assign(document.createElement('strong'), { textContent: TongbanSteps.label(m.messageType, lang) });
  const parts = [`${at}`, `${m.sender} → ${m.recipient}`];
  if (m.officer) parts.push(`${t('officer')}: ${m.officer}`);
  parts.push(t('statuses')[m.status] || m.status);
  const line = Object.assign(document.createElement('span'), { textContent: ` ${parts.join(' · ')}` });
  const proof = Object.assign(document.createElement('span'), { className: 'proof' });
  const ledger = m.ledger?.status ?? 'PENDING';
  proof.textContent = t('ledger')[ledger] + (m.ledger?.leafIndex != null ? ` #${m.ledger.leafIndex}` : '');
  proof.classList.add(ledger === 'CHECKPOINTED' ? 'ok' : 'pending');
  const receipt = Object.assign(document.createElement('code'), { className: 'receipt', textContent: m.receiptDigest ? `${t('receipt')} ${m.receiptDigest.slice(7, 19)}…` : '' });
  if (m.receiptDigest) receipt.title = m.receiptDigest;
  li.append(head, line, ' ', receipt, ' ', proof);
  return li;
}

let current = null;
let stepType = null;

// The form itself (drawn from the step's contract, prefilled from its template) is step-forms.js.
async function openStep(caseNumber, type) {
  stepType = type;
  $('step-result').textContent = '';
  await TongbanSteps.open({ caseNumber, type, lang, api, csrf: () => csrf });
}

document.addEventListener('DOMContentLoaded', () => {
  $('step-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    // null: the form (or the JSON) has problems, which step-forms.js has shown.
    const payload = TongbanSteps.payload();
    if (!payload) return;
    const send = event.submitter;
    if (send) send.disabled = true; // one click, one message
    try {
      const response = await api(`/console/api/cases/${encodeURIComponent(current)}/messages`, { method: 'POST', body: JSON.stringify({ messageType: stepType, payload }) });
      const body = await response.json();
      if (response.ok) {
        await openCase(current);
        $('step-result').textContent = `${t('sent')}: ${body.messageId}`;
      } else {
        TongbanSteps.refused(body);
      }
    } finally {
      if (send) send.disabled = false;
    }
  });
  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('login-error').textContent = '';
    const response = await api('/console/api/login', {
      method: 'POST',
      body: JSON.stringify({ username: $('username').value, password: $('password').value, totp: $('totp').value }),
    });
    const body = await response.json();
    if (!response.ok) {
      $('login-error').textContent = response.status === 423 ? t('locked') : response.status === 429 ? t('limited') : t('badLogin');
      return;
    }
    csrf = body.csrfToken;
    sessionStorage.setItem('tongban.csrf', csrf);
    $('password').value = '';
    $('totp').value = '';
    await enter(body.staff);
  });
  $('logout').addEventListener('click', async () => {
    await api('/console/api/logout', { method: 'POST' });
    sessionStorage.removeItem('tongban.csrf');
    showLogin();
  });
  $('lang').addEventListener('click', async () => {
    lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
    localStorage.setItem('tongban.lang', lang);
    applyLanguage();
    if (!$('cases-view').hidden) await loadCases(true);
  });
  for (const tab of document.querySelectorAll('[role=tab]')) {
    tab.addEventListener('click', async () => {
      direction = tab.dataset.direction;
      for (const other of document.querySelectorAll('[role=tab]')) other.setAttribute('aria-selected', String(other === tab));
      await loadCases(true);
    });
  }
  $('filters').addEventListener('submit', async (event) => {
    event.preventDefault();
    await loadCases(true);
  });
  $('more').addEventListener('click', () => loadCases(false));
  const body = $('cases-table').tBodies[0];
  body.addEventListener('click', (event) => {
    const row = event.target.closest('tr');
    if (row?.dataset.caseNumber) openCase(row.dataset.caseNumber);
  });
  body.addEventListener('keydown', (event) => {
    const row = event.target.closest('tr');
    if (event.key === 'Enter' && row?.dataset.caseNumber) openCase(row.dataset.caseNumber);
  });
  $('back').addEventListener('click', () => {
    show('cases-view');
    $('cases-table').focus();
  });
  start();
});
