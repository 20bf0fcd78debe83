// 好差评 at the window: a full-screen page the applicant uses on the hall's tablet. The clerk opens it
// for a case (rate.html?case=…&target=WINDOW_SERVICE) from a signed-in console session.
'use strict';

const LEVELS = [
  ['VERY_SATISFIED', '😄', '非常满意'],
  ['SATISFIED', '🙂', '满意'],
  ['BASIC_SATISFIED', '😐', '基本满意'],
  ['DISSATISFIED', '🙁', '不满意'],
  ['VERY_DISSATISFIED', '😠', '非常不满意'],
];
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
  for (const [code, face, name] of LEVELS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'radio');
    button.setAttribute('aria-checked', 'false');
    button.dataset.level = code;
    button.innerHTML = `<span class="face" aria-hidden="true">${face}</span>`;
    button.append(name);
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
      headers: { 'content-type': 'application/json', 'x-csrf-token': sessionStorage.getItem('tongban.csrf') || '' },
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
