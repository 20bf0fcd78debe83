// 收件 at the cross-region window: pick the partner and item, tick the checklist, upload scans with
// progress, enter the applicant (ID check digits verified as typed), send, print the 收件凭证.
// Runs beside console.js and uses its globals (TEXT, t, lang, api, show, csrf, openCase).
'use strict';

Object.assign(TEXT['zh-CN'], {
  collectNew: '收件（新办件）', collectWhat: '代收事项', collectPartner: '办理地（合作地区）', checklist: '材料清单', material: '材料',
  requirement: '要求', received: '收取方式', copies: '份数', scan: '扫描件', applicant: '申请人', applicantKind: '申请人类型',
  naturalPerson: '自然人', legalPerson: '法人或其他组织', familyName: '姓', givenName: '名', orgName: '单位名称', legalRep: '法定代表人',
  idType: '证件类型', idNumber: '证件号码', mobile: '手机号码', delivery: '结果送达与原件寄递', byMail: '结果邮寄送达', mailAddress: '邮寄地址',
  postcode: '邮政编码', waybill: '原件寄递运单号', carrier: '寄递企业', collectSubmit: '签名并流转', collectDone: '已流转，回执已签发',
  printReceipt: '打印收件凭证', collectAgain: '再收一件', mandatory: '必要', tolerable: '容缺', optional: '非必要', original: '需原件',
  notReceived: '未收取', forms: { ORIGINAL: '原件', COPY: '复印件', ELECTRONIC: '电子材料', E_CERTIFICATE: '电子证照' },
  idTypes: { 111: '居民身份证', '001': '统一社会信用代码', 414: '普通护照', 990: '其他' },
  idOk: '校验位正确', idBad: '校验位不正确，请与证件核对', limits: (p, s, courier) => `承诺时限 ${p}，法定时限 ${s}${courier ? '，支持邮寄' : ''}`,
  units: { WORKING_DAYS: '个工作日', NATURAL_DAYS: '个自然日', HOURS: '小时', MINUTES: '分钟', MONTHS: '个月' },
  uploading: '上传中', uploaded: '已上传', uploadFailed: '上传失败', needsScan: '电子材料需上传扫描件',
  summary: { caseNumber: '办件编号', queryPassword: '查询密码（仅显示一次）', expectedBy: '预计办结', messageId: '流转消息', receipt: '网关回执' },
});
Object.assign(TEXT.en, {
  collectNew: 'Collect a case', collectWhat: 'What is collected', collectPartner: 'Approving district (partner)', checklist: 'Material checklist',
  material: 'Material', requirement: 'Requirement', received: 'Received as', copies: 'Copies', scan: 'Scan', applicant: 'Applicant',
  applicantKind: 'Applicant kind', naturalPerson: 'Natural person', legalPerson: 'Legal person or organisation', familyName: 'Family name',
  givenName: 'Given name', orgName: 'Organisation name', legalRep: 'Legal representative', idType: 'ID type', idNumber: 'ID number', mobile: 'Mobile',
  delivery: 'Result delivery and mailed originals', byMail: 'Mail the result', mailAddress: 'Postal address', postcode: 'Postcode',
  waybill: 'Waybill of the mailed originals', carrier: 'Carrier', collectSubmit: 'Sign and send', collectDone: 'Sent; receipt issued',
  printReceipt: 'Print the intake receipt', collectAgain: 'Collect another', mandatory: 'mandatory', tolerable: 'tolerable (容缺)', optional: 'optional',
  original: 'original needed', notReceived: 'not received', forms: { ORIGINAL: 'Original', COPY: 'Copy', ELECTRONIC: 'Electronic', E_CERTIFICATE: 'E-certificate' },
  idTypes: { 111: 'Resident ID card', '001': 'Unified social credit code', 414: 'Passport', 990: 'Other' },
  idOk: 'check digit correct', idBad: 'check digit wrong: compare with the card', limits: (p, s, courier) => `promised ${p}, statutory ${s}${courier ? ', courier available' : ''}`,
  units: { WORKING_DAYS: 'working days', NATURAL_DAYS: 'days', HOURS: 'hours', MINUTES: 'minutes', MONTHS: 'months' },
  uploading: 'uploading', uploaded: 'uploaded', uploadFailed: 'upload failed', needsScan: 'an electronic material needs its scan',
  summary: { caseNumber: 'Case number', queryPassword: 'Query password (shown once)', expectedBy: 'Expected by', messageId: 'Hand-off message', receipt: 'Gateway receipt' },
});

/** GB 11643-1999: weights 2^(17-i) mod 11, check character from (12 - sum mod 11) mod 11, 10 → X. */
function residentIdValid(id) {
  if (!/^[0-9]{17}[0-9X]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (2 ** (17 - i) % 11);
  return '10X98765432'[sum % 11] === id[17];
}

/** GB 32100-2015: 31 characters without I, O, S, V, Z; weights 3^i mod 31; check = 31 - sum mod 31. */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function usccValid(code) {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(code[i]) * (3 ** i % 31);
  return USCC_CHARS[(31 - (sum % 31)) % 31] === code[17];
}

const collect = { partners: [], uploads: new Map() };

function localized(entry) {
  return lang === 'zh-CN' ? entry.name : entry.nameEn || entry.name;
}

function limitText(limit) {
  return `${limit.value} ${t('units')[limit.unit] || limit.unit}`;
}

function fillPartners() {
  const chosen = $('collect-partner').value;
  $('collect-partner').replaceChildren(...collect.partners.map((p) => new Option(`${localized(p)}（${p.id}）`, p.id)));
  if (chosen) $('collect-partner').value = chosen;
  fillItems();
}

function currentPartner() {
  return collect.partners.find((p) => p.id === $('collect-partner').value);
}

function currentItem() {
  return currentPartner()?.items.find((i) => i.implementationCode === $('collect-item').value);
}

function fillItems() {
  const partner = currentPartner();
  const chosen = $('collect-item').value;
  $('collect-item').replaceChildren(...(partner?.items ?? []).map((i) => new Option(localized(i), i.implementationCode)));
  if (chosen && partner?.items.some((i) => i.implementationCode === chosen)) $('collect-item').value = chosen;
  fillChecklist();
}

/** One row per material of the partner's list for the item: how it was received, copies, the scan. */
function fillChecklist() {
  const item = currentItem();
  collect.uploads.clear();
  const body = $('collect-checklist').tBodies[0];
  body.replaceChildren();
  if (!item) return;
  $('collect-limits').textContent = t('limits')(limitText(item.promisedLimit), limitText(item.statutoryLimit), item.supportsCourier);
  $('by-mail').disabled = !item.supportsCourier;
  if (!item.supportsCourier) $('by-mail').checked = false;
  for (const m of item.materials) {
    const row = body.insertRow();
    row.dataset.code = m.code;
    const name = row.insertCell();
    name.textContent = localized(m);
    name.id = `material-${m.code}`;
    const tags = [m.mandatory ? (m.tolerable ? t('tolerable') : t('mandatory')) : t('optional')];
    if (m.originalRequired) tags.push(t('original'));
    row.insertCell().textContent = tags.join(' · ');
    const form = document.createElement('select');
    form.className = 'material-form';
    form.setAttribute('aria-label', `${localized(m)} ${t('received')}`);
    form.append(new Option(t('notReceived'), ''), ...['ORIGINAL', 'COPY', 'ELECTRONIC', 'E_CERTIFICATE'].map((f) => new Option(t('forms')[f], f)));
    // The usual case: mandatory papers are brought; originals the partner must examine are kept for mailing.
    form.value = m.mandatory && !m.tolerable ? (m.originalRequired ? 'ORIGINAL' : 'COPY') : '';
    form.addEventListener('change', updateOriginals);
    row.insertCell().append(form);
    const count = Object.assign(document.createElement('input'), { type: 'number', min: '1', max: '1000', value: String(m.copies || 1), className: 'material-count' });
    count.setAttribute('aria-label', `${localized(m)} ${t('copies')}`);
    row.insertCell().append(count);
    const scanCell = row.insertCell();
    const file = Object.assign(document.createElement('input'), { type: 'file', accept: 'application/pdf,image/*', className: 'material-file' });
    file.setAttribute('aria-label', `${localized(m)} ${t('scan')}`);
    const progress = Object.assign(document.createElement('progress'), { max: 100, value: 0, hidden: true });
    progress.setAttribute('aria-label', `${localized(m)} ${t('uploading')}`);
    const status = Object.assign(document.createElement('span'), { className: 'hint' });
    status.setAttribute('aria-live', 'polite');
    file.addEventListener('change', () => uploadScan(m.code, file, progress, status, form));
    scanCell.append(file, progress, status);
  }
  updateOriginals();
}

/** Streams the scan to the gateway (hashed as it arrives) and remembers its reference for the material. */
async function uploadScan(code, input, progress, status, form) {
  const file = input.files[0];
  collect.uploads.delete(code);
  if (!file) return;
  progress.hidden = false;
  progress.value = 0;
  status.textContent = t('uploading');
  try {
    const reference = await window.TongbanUpload.upload(file, csrf, (fraction) => {
      progress.value = Math.round(fraction * 100);
    });
    collect.uploads.set(code, reference);
    progress.value = 100;
    status.textContent = `${t('uploaded')} ${reference.digest.slice(7, 19)}…`;
    if (!form.value) form.value = 'ELECTRONIC';
  } catch (error) {
    status.textContent = `${t('uploadFailed')}: ${error.message}`;
  }
}

/** The waybill is asked for only when an original the partner must examine is being kept. */
function updateOriginals() {
  const item = currentItem();
  const keeping = Boolean(item) && [...$('collect-checklist').tBodies[0].rows].some((row) => row.querySelector('.material-form').value === 'ORIGINAL' && item.materials.find((m) => m.code === row.dataset.code)?.originalRequired);
  $('originals-fields').hidden = !keeping;
}

function fillIdTypes() {
  const chosen = $('id-type').value || '111';
  $('id-type').replaceChildren(...Object.entries(t('idTypes')).map(([code, name]) => new Option(`${name}（${code}）`, code)));
  $('id-type').value = chosen;
}

function checkIdNumber() {
  const type = $('id-type').value;
  const value = $('id-number').value.trim().toUpperCase();
  const checked = type === '111' ? residentIdValid : type === '001' ? usccValid : null;
  if (!checked || value === '') {
    $('id-check').textContent = '';
    $('id-number').removeAttribute('aria-invalid');
    return true;
  }
  const ok = checked(value);
  $('id-check').textContent = ok ? `✓ ${t('idOk')}` : `✗ ${t('idBad')}`;
  $('id-check').className = ok ? 'hint ok' : 'hint error';
  $('id-number').setAttribute('aria-invalid', String(!ok));
  return ok;
}

function kind() {
  return document.querySelector('input[name=kind]:checked').value;
}

function application() {
  const item = currentItem();
  const materials = [];
  for (const row of $('collect-checklist').tBodies[0].rows) {
    const form = row.querySelector('.material-form').value;
    if (!form) continue;
    const file = collect.uploads.get(row.dataset.code);
    materials.push({ code: row.dataset.code, form, count: Number(row.querySelector('.material-count').value) || 1, ...(file ? { file } : {}) });
  }
  const applicant = kind() === 'NATURAL_PERSON'
    ? { kind: 'NATURAL_PERSON', familyName: $('family-name').value.trim(), givenName: $('given-name').value.trim() }
    : { kind: 'LEGAL_PERSON', organizationName: $('org-name').value.trim(), legalRepresentative: { name: $('legal-rep').value.trim() } };
  Object.assign(applicant, { idType: $('id-type').value, idNumber: $('id-number').value.trim().toUpperCase() });
  if ($('mobile').value.trim()) applicant.mobile = $('mobile').value.trim();
  return {
    partner: $('collect-partner').value,
    itemCode: item?.implementationCode ?? '',
    applicant,
    materials,
    ...($('by-mail').checked ? { mailing: { address: $('mail-address').value.trim(), postcode: $('mail-postcode').value.trim() } } : {}),
    ...(!$('originals-fields').hidden ? { originalsMailed: { waybillNumber: $('waybill').value.trim(), carrier: $('carrier').value.trim() } } : {}),
  };
}

/** Field names the gateway uses in `problems`, mapped to the controls that hold them. */
function controlFor(field) {
  const applicantControls = { idNumber: 'id-number', idType: 'id-type', familyName: 'family-name', givenName: 'given-name', organizationName: 'org-name', legalRepresentative: 'legal-rep', mobile: 'mobile' };
  if (field.startsWith('applicant.')) return $(applicantControls[field.split('.')[1]] ?? 'family-name');
  if (field.startsWith('mailing')) return field.endsWith('postcode') ? $('mail-postcode') : $('mail-address');
  if (field.startsWith('originalsMailed')) return $('waybill');
  const code = field.split('.')[1];
  return document.querySelector(`#collect-checklist tr[data-code="${CSS.escape(code || '')}"] select`);
}

function showProblems(problems) {
  for (const el of document.querySelectorAll('#collect-form [aria-invalid=true]')) el.removeAttribute('aria-invalid');
  const list = document.createElement('ul');
  for (const p of problems) {
    list.append(Object.assign(document.createElement('li'), { textContent: p.message }));
    controlFor(p.field)?.setAttribute('aria-invalid', 'true');
  }
  $('collect-problems').replaceChildren(list);
  (document.querySelector('#collect-form [aria-invalid=true]') || $('collect-problems')).focus();
}

async function submitCollect(event) {
  event.preventDefault();
  const body = application();
  const local = [];
  if (!checkIdNumber()) local.push({ field: 'applicant.idNumber', message: t('idBad') });
  for (const m of body.materials) if (m.form === 'ELECTRONIC' && !m.file) local.push({ field: `materials.${m.code}`, message: `${m.code}: ${t('needsScan')}` });
  if (local.length) return showProblems(local);
  const response = await api('/console/api/cases', { method: 'POST', body: JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) return showProblems(answer.problems ?? [{ field: '', message: `${answer.code}: ${answer.detail}` }]);
  $('collect-problems').replaceChildren();
  // The print page reads the receipt from this tab's session storage: the password never goes in a URL.
  sessionStorage.setItem(`tongban.intake.${answer.caseNumber}`, JSON.stringify({ ...answer.intake, queryPassword: answer.queryPassword, messageId: answer.messageId }));
  const s = t('summary');
  const facts = [
    [s.caseNumber, answer.caseNumber],
    [s.queryPassword, answer.queryPassword],
    [s.expectedBy, answer.intake.expectedBy ? new Date(answer.intake.expectedBy).toLocaleDateString(lang, { timeZone: 'Asia/Shanghai' }) : '—'],
    [s.messageId, answer.messageId],
    [s.receipt, `${answer.receipt.slice(0, 24)}…`],
  ];
  $('collect-summary').replaceChildren(...facts.flatMap(([k, v]) => [Object.assign(document.createElement('dt'), { textContent: k }), Object.assign(document.createElement('dd'), { textContent: v })]));
  $('print-receipt').href = `/console/receipt.html?case=${encodeURIComponent(answer.caseNumber)}`;
  $('collect-form').hidden = true;
  $('collect-done').hidden = false;
  $('collect-done-title').tabIndex = -1;
  $('collect-done-title').focus();
}

function resetCollect() {
  $('collect-form').reset();
  $('collect-problems').replaceChildren();
  $('id-check').textContent = '';
  for (const id of ['person-fields', 'org-fields', 'mail-fields']) $(id).hidden = id !== 'person-fields';
  fillIdTypes();
  fillPartners();
  $('collect-form').hidden = false;
  $('collect-done').hidden = true;
}

document.addEventListener('tongban:staff', (event) => {
  const { staff, catalogue } = event.detail;
  collect.partners = catalogue.partners;
  $('collect-open').hidden = !staff.roles.includes('DESK_CLERK') || catalogue.partners.length === 0;
});

document.addEventListener('DOMContentLoaded', () => {
  $('collect-open').addEventListener('click', () => {
    resetCollect();
    show('collect-view');
    $('collect-partner').focus();
  });
  $('collect-back').addEventListener('click', async () => {
    show('cases-view');
    await loadCases(true);
  });
  // window.open (not a noopener link) so the print tab gets a copy of this tab's session storage.
  $('print-receipt').addEventListener('click', (event) => {
    event.preventDefault();
    window.open($('print-receipt').href, '_blank');
  });
  $('collect-again').addEventListener('click', () => {
    resetCollect();
    $('collect-partner').focus();
  });
  $('collect-partner').addEventListener('change', fillItems);
  $('collect-item').addEventListener('change', fillChecklist);
  $('id-type').addEventListener('change', checkIdNumber);
  $('id-number').addEventListener('input', checkIdNumber);
  $('by-mail').addEventListener('change', () => {
    $('mail-fields').hidden = !$('by-mail').checked;
  });
  for (const radio of document.querySelectorAll('input[name=kind]')) {
    radio.addEventListener('change', () => {
      $('person-fields').hidden = kind() !== 'NATURAL_PERSON';
      $('org-fields').hidden = kind() !== 'LEGAL_PERSON';
      $('id-type').value = kind() === 'NATURAL_PERSON' ? '111' : '001';
      checkIdNumber();
    });
  }
  $('collect-form').addEventListener('submit', submitCollect);
  // The problem list describes the last attempt: an edit makes it stale, the next attempt redraws it.
  $('collect-form').addEventListener('input', (event) => {
    $('collect-problems').replaceChildren();
    if (event.target.getAttribute('aria-invalid') === 'true' && event.target !== $('id-number')) event.target.removeAttribute('aria-invalid');
  });
  // Re-label the screen's own lists when the language changes (console.js relabels [data-i18n]).
  // Only option texts change: what the clerk already entered and uploaded stays.
  $('lang').addEventListener('click', () => {
    fillIdTypes();
    for (const option of $('collect-partner').options) {
      const p = collect.partners.find((x) => x.id === option.value);
      if (p) option.text = `${localized(p)}（${p.id}）`;
    }
    for (const option of $('collect-item').options) {
      const i = currentPartner()?.items.find((x) => x.implementationCode === option.value);
      if (i) option.text = localized(i);
    }
  });
  fillIdTypes();
});
