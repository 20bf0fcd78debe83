// 好差评 at the window: a full-screen page the applicant uses on the hall's tablet. The clerk opens it
// for a case (rate.html?case=…&target=WINDOW_SERVICE) from a signed-in console session.
'use strict';

// Faces drawn as SVG (mouth curve from +1 smile to -1 frown): a hall tablet may have no emoji font.
const LEVELS = [
  ['VERY_SATISFIED', 1, '非常满意'],
  ['SATISFIED', 0.5, '满意'],
  ['BASIC_SATISFIED', 0, '基本满意'],
  ['DISSATISFIED', -0.5, '不满意'],
  ['VERY_DISSATISFIED', -1, '非常不满意'],
];
const SVG = 'http://www.w3.org/2000/svg';

function face(curve) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 48 48');
  svg.setAttribute('class', 'face');
  svg.setAttribute('aria-hidden', 'true');
  const part = (name, attrs) => {
    const el = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    svg.append(el);
  };
  part('circle', { cx: 24, cy: 24, r: 21, class: 'face-head' });
  part('circle', { cx: 17, cy: 19, r: 2.6, class: 'face-eye' });
  part('circle', { cx: 31, cy: 19, r: 2.6, class: 'face-eye' });
  part('path', { d: `M14 ${31 - curve * 3} Q24 ${31 + curve * 7} 34 ${31 - curve * 3}`, class: 'face-mouth' });
  return svg;
}

/** The session's CSRF token: this tab may have been opened without the console's session storage. */
async function csrfToken() {
  const kept = sessionStorage.getItem('tongban.csrf');
  if (kept) return kept;
  const me = await fetch('/console/api/me', { credentials: 'same-origin' });
  return me.ok ? (await me.json()).csrfToken : '';
}
// Indicator codes of the rating system, shown by name (the codes travel, the names do not).
const INDICATORS = [
  ['EFFICIENCY', '办事效率高'],
  ['ATTITUDE', '服务态度好'],
  ['ONE_VISIT', '一次办成'],
  ['FEWER_MATERIALS', '材料精简'],
  ['CLEAR_GUIDANCE', '指引清楚'],
  ['WAITING_TIME', '等候时间长'],
];

const params = new URLSearchParams(location.search);
const caseNumber = params.get('case') || '';
const target = params.get('target') === 'CASE_HANDLING' ? 'CASE_HANDLING' : 'WINDOW_SERVICE';
let level = null;
const indicators = new Set();

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('case').textContent = `办件编号 ${caseNumber}`;
  const levels = document.querySelector('.levels');
  for (const [code, curve, name] of LEVELS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'radio');
    button.setAttribute('aria-checked', 'false');
    button.dataset.level = code;
    button.append(face(curve), name);
    button.addEventListener('click', () => {
      level = code;
      for (const b of levels.children) b.setAttribute('aria-checked', String(b === button));
      document.getElementById('submit').disabled = false;
    });
    levels.append(button);
  }
  const chips = document.querySelector('.chips');
  for (const [code, name] of INDICATORS) {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.setAttribute('aria-pressed', 'false');
    chip.textContent = name;
    chip.addEventListener('click', () => {
      if (indicators.has(code)) indicators.delete(code);
      else indicators.add(code);
      chip.setAttribute('aria-pressed', String(indicators.has(code)));
    });
    chips.append(chip);
  }
  document.getElementById('submit').addEventListener('click', async () => {
    const comment = document.getElementById('comment').value.trim();
    const response = await fetch(`/console/api/cases/${encodeURIComponent(caseNumber)}/rating`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': await csrfToken() },
      body: JSON.stringify({ target, level, indicatorCodes: [...indicators], ...(comment ? { comment } : {}) }),
    });
    const result = document.getElementById('result');
    if (response.ok) {
      result.textContent = '感谢您的评价！';
      document.getElementById('submit').disabled = true;
    } else {
      const body = await response.json().catch(() => ({}));
      result.textContent = `未能提交：${body.detail || response.status}`;
    }
  });
});
