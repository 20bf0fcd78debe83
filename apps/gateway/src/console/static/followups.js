// 差评回访: the supervisor's list of cases whose latest rating is bad, to call the applicant back.
// Runs beside console.js and uses its globals (TEXT, t, lang, api, show, openCase, stateName).
'use strict';

Object.assign(TEXT['zh-CN'], {
  followUps: '差评回访', followUpsHint: '最近一次评价为不满意或非常不满意的办件，请回访申请人并整改。', ratingTarget: '评价对象',
  ratingLevel: '评价', ratingComment: '意见', ratedAt: '评价时间', noFollowUps: '暂无差评',
  targets: { WINDOW_SERVICE: '窗口服务（一次一评）', CASE_HANDLING: '办件办理（一事一评）' },
  levels: { VERY_SATISFIED: '非常满意', SATISFIED: '满意', BASIC_SATISFIED: '基本满意', DISSATISFIED: '不满意', VERY_DISSATISFIED: '非常不满意' },
  round: (n) => (n === 2 ? '（二次评价）' : ''),
});
Object.assign(TEXT.en, {
  followUps: 'Bad-rating follow-ups', followUpsHint: 'Cases whose latest rating is dissatisfied or very dissatisfied: call the applicant back and put it right.',
  ratingTarget: 'Rated', ratingLevel: 'Rating', ratingComment: 'Comment', ratedAt: 'Rated at', noFollowUps: 'No bad ratings',
  targets: { WINDOW_SERVICE: 'Window service', CASE_HANDLING: 'Case handling' },
  levels: { VERY_SATISFIED: 'Very satisfied', SATISFIED: 'Satisfied', BASIC_SATISFIED: 'Basically satisfied', DISSATISFIED: 'Dissatisfied', VERY_DISSATISFIED: 'Very dissatisfied' },
  round: (n) => (n === 2 ? ' (re-rating)' : ''),
});

async function loadFollowUps() {
  const response = await api('/console/api/follow-ups');
  if (!response.ok) return;
  const { followUps } = await response.json();
  const body = $('followups-table').tBodies[0];
  body.replaceChildren();
  for (const f of followUps) {
    const row = body.insertRow();
    row.tabIndex = 0;
    row.dataset.caseNumber = f.caseNumber;
    const cells = [f.caseNumber, f.itemName, f.partner, t('targets')[f.target] || f.target, `${t('levels')[f.level] || f.level}${t('round')(f.round)}`, f.comment || '—', new Date(f.ratedAt).toLocaleString(lang, { timeZone: 'Asia/Shanghai', hour12: false })];
    for (const text of cells) row.insertCell().textContent = text;
  }
  if (followUps.length === 0) body.insertRow().insertCell().textContent = t('noFollowUps');
}

document.addEventListener('tongban:staff', (event) => {
  $('followups-open').hidden = !event.detail.staff.roles.includes('SUPERVISOR');
});

document.addEventListener('DOMContentLoaded', () => {
  $('followups-open').addEventListener('click', async () => {
    show('followups-view');
    await loadFollowUps();
    $('followups-title').tabIndex = -1;
    $('followups-title').focus();
  });
  $('followups-back').addEventListener('click', () => show('cases-view'));
  const body = $('followups-table').tBodies[0];
  const open = (event) => {
    const row = event.target.closest('tr');
    if (row?.dataset.caseNumber && (event.type === 'click' || event.key === 'Enter')) openCase(row.dataset.caseNumber);
  };
  body.addEventListener('click', open);
  body.addEventListener('keydown', open);
  $('lang').addEventListener('click', () => {
    if (!$('followups-view').hidden) loadFollowUps();
  });
});
