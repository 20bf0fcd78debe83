// The print-friendly 收件凭证. Its facts come from the collecting tab's session storage (put there when
// the case was sent), so the query password is never in a URL, a log or the server's records.
'use strict';

const FORMS = { ORIGINAL: '原件', COPY: '复印件', ELECTRONIC: '电子材料', E_CERTIFICATE: '电子证照' };

document.addEventListener('DOMContentLoaded', () => {
  const caseNumber = new URLSearchParams(location.search).get('case') || '';
  const stored = sessionStorage.getItem(`tongban.intake.${caseNumber}`) || (window.opener && window.opener.sessionStorage.getItem(`tongban.intake.${caseNumber}`));
  if (!stored) {
    document.getElementById('receipt-missing').hidden = false;
    return;
  }
  const r = JSON.parse(stored);
  document.getElementById('receipt-hall').textContent = r.hallName;
  const facts = [
    ['办件编号', r.caseNumber],
    ['查询密码', r.queryPassword],
    ['办理事项', r.item.name],
    ['办理地', `${r.partner.name}（${r.partner.id}）`],
    ['收件时间', new Date(r.collectedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })],
    ['预计办结', r.expectedBy ? new Date(r.expectedBy).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '以办理地受理通知为准'],
    ['结果送达', r.resultByMail ? '邮寄送达' : '窗口领取'],
  ];
  if (r.originalsMailed) facts.push(['原件寄递', `${r.originalsMailed.carrier} ${r.originalsMailed.waybillNumber}`]);
  document.getElementById('receipt-facts').replaceChildren(
    ...facts.flatMap(([k, v]) => [Object.assign(document.createElement('dt'), { textContent: k }), Object.assign(document.createElement('dd'), { textContent: v })]),
  );
  const body = document.querySelector('#receipt-materials tbody');
  for (const m of r.materials) {
    const row = body.insertRow();
    for (const text of [m.name, FORMS[m.form] || m.form, String(m.count)]) row.insertCell().textContent = text;
  }
  if (r.owed.length) {
    document.getElementById('receipt-owed').hidden = false;
    document.querySelector('#receipt-owed ul').replaceChildren(...r.owed.map((m) => Object.assign(document.createElement('li'), { textContent: m.name })));
  }
  document.getElementById('receipt-officer').textContent = r.officer;
  document.getElementById('print').addEventListener('click', () => window.print());
});
