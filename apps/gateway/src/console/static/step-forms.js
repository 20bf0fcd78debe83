// The case page's step forms: each allowed action opens a form drawn from its contract's schema
// (GET /console/api/contracts/:type), prefilled from GET …/templates/:type, with an "advanced: edit
// as JSON" switch kept in sync both ways. console.js calls TongbanSteps.label/open/payload/refused
// and owns the sending. Needs schema-form.js and upload.js (loaded before it).
(function (root) {
  'use strict';

  /** 中文 / English names of the steps, for the action buttons, the form title and the timeline. */
  const STEP_LABELS = {
    'case.submission': ['收件流转', 'Case handed off'],
    'case.acknowledgement': ['签收', 'Sign for the case'],
    'case.acceptance': ['受理', 'Accept'],
    'case.non-acceptance': ['不予受理', 'Refuse to accept'],
    'case.supplement-request': ['补正通知', 'Request supplements'],
    'case.supplement': ['转告/补正材料', 'Send supplements'],
    'case.tolerance-acceptance': ['容缺受理', 'Accept with items pending'],
    'case.suspension': ['暂停计时', 'Stop the clock'],
    'case.resumption': ['恢复计时', 'Restart the clock'],
    'case.processing-step': ['办理环节', 'Processing step'],
    'case.conclusion': ['办结', 'Conclude'],
    'case.result-return': ['结果回传', 'Return the result'],
    'case.originals-mailed': ['原件寄递', 'Originals mailed'],
    'case.delivery-confirmation': ['出件/送达', 'Handed over / delivered'],
    'case.withdrawal': ['撤回', 'Withdraw'],
    'case.termination': ['异常终止', 'Terminate'],
    'case.evaluation': ['评价', 'Rating'],
    'case.deadline-event': ['时限提醒', 'Deadline alert'],
  };

  /** Option names the window uses where the contract's own wording is longer. */
  const ENUM_LABELS = {
    'case.delivery-confirmation': {
      '/method': {
        WINDOW_HANDOVER: { 'zh-CN': '窗口出件', en: 'Handed over at the window' },
        MAIL_DELIVERED: { 'zh-CN': '邮寄送达', en: 'Delivered by mail' },
        ELECTRONIC: { 'zh-CN': '电子送达', en: 'Delivered electronically' },
      },
    },
  };

  const TEXT = {
    'zh-CN': {
      json: '高级：以 JSON 编辑', fix: (n) => `请先更正以下 ${n} 处问题：`, badJson: 'JSON 格式有误', notObject: 'JSON 须为一个对象',
      refused: '被拒绝', noForm: '无法取得此步骤的表单，请以 JSON 编辑。',
    },
    en: {
      json: 'Advanced: edit as JSON', fix: (n) => `Please correct ${n === 1 ? 'this problem' : `these ${n} problems`} first:`, badJson: 'The JSON is not valid',
      notObject: 'The JSON must be an object', refused: 'Refused', noForm: 'No form for this step; edit it as JSON.',
    },
  };

  const $ = (id) => document.getElementById(id);
  const norm = (lang) => (lang === 'en' ? 'en' : 'zh-CN');
  const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

  function label(type, lang) {
    const names = STEP_LABELS[type];
    return names ? names[norm(lang) === 'en' ? 1 : 0] : type;
  }

  /** The open form: { caseNumber, type, lang, csrf, schema, form, json } */
  let state = null;

  async function open({ caseNumber, type, lang, api, csrf }) {
    const enc = encodeURIComponent;
    const [schemaResponse, templateResponse] = await Promise.all([api(`/console/api/contracts/${enc(type)}`), api(`/console/api/cases/${enc(caseNumber)}/templates/${enc(type)}`)]);
    const template = templateResponse.ok ? await templateResponse.json() : {};
    const schema = schemaResponse.ok ? await schemaResponse.json() : null;
    state = { caseNumber, type, lang: norm(lang), csrf, schema, form: null, json: !schema };
    draw(isObject(template) ? template : {});
    $('step-form').hidden = false;
    if (!schema) showTop(TEXT[state.lang].noForm, []);
    focusFirst();
  }

  /** (Re)draws the form and the JSON for value, in the current language and mode. */
  function draw(value) {
    const text = TEXT[state.lang];
    $('step-title').textContent = label(state.type, state.lang);
    $('step-type').textContent = state.type;
    $('step-json-toggle-label').textContent = text.json;
    $('step-json-toggle').disabled = !state.schema;
    clearTop();
    if (state.schema) {
      state.form = root.SchemaForm.render($('step-fields'), state.schema, value, {
        lang: state.lang,
        idPrefix: 'step',
        enumLabels: ENUM_LABELS[state.type],
        upload: (file, onProgress) => root.TongbanUpload.upload(file, state.csrf, onProgress),
      });
    } else {
      $('step-fields').replaceChildren();
    }
    $('step-payload').value = JSON.stringify(value, null, 2);
    setMode(state.json);
  }

  function setMode(json) {
    state.json = json;
    $('step-fields').hidden = json;
    $('step-json').hidden = !json;
    $('step-json-toggle').checked = json;
  }

  function focusFirst() {
    const target = state.json ? $('step-payload') : $('step-fields').querySelector('input:not([type=hidden]), select, textarea');
    (target || $('step-payload')).focus();
  }

  /** The JSON textarea as an object, or null after saying what is wrong with it. */
  function parseJson() {
    const text = TEXT[state.lang];
    try {
      const value = JSON.parse($('step-payload').value);
      if (isObject(value)) return value;
      showTop(text.notObject, []);
    } catch (error) {
      showTop(`${text.badJson}: ${error.message}`, []);
    }
    $('step-payload').focus();
    return null;
  }

  function clearTop() {
    $('step-errors').replaceChildren();
  }

  /** The summary above the form (role=alert): a headline and items, each linking to its field when it has one. */
  function showTop(headline, items) {
    const box = $('step-errors');
    const list = document.createElement('ul');
    for (const item of items) {
      const li = document.createElement('li');
      const id = item.pointer !== undefined && state.form && !state.json ? state.form.idFor(item.pointer) : null;
      const target = id && document.getElementById(id);
      if (target) {
        const link = Object.assign(document.createElement('a'), { href: `#${id}`, textContent: item.text });
        link.addEventListener('click', (event) => {
          event.preventDefault();
          target.focus();
        });
        li.append(link);
      } else {
        li.textContent = item.text;
      }
      list.append(li);
    }
    box.replaceChildren(Object.assign(document.createElement('p'), { textContent: headline }), ...(items.length ? [list] : []));
  }

  /** What to send, or null when the form (or the JSON) is not ready: the problems are shown. */
  function payload() {
    if (!state) return null;
    clearTop();
    if (state.json) return parseJson();
    const errors = state.form.errors();
    if (errors.length > 0) {
      state.form.showErrors(errors);
      const colon = state.lang === 'en' ? ': ' : '：';
      showTop(TEXT[state.lang].fix(errors.length), errors.map((e) => ({ pointer: e.pointer, text: `${e.label}${colon}${e.message}` })));
      state.form.focusFirstError();
      return null;
    }
    state.form.clearErrors();
    return state.form.value();
  }

  /**
   * A refusal (problem+json): violations with a pointer into the payload go next to their field,
   * the rest and the headline to the summary.
   */
  function refused(problem) {
    const text = TEXT[state.lang];
    const body = isObject(problem) ? problem : {};
    let list = [body.violations, body.errors, body.problems].find(Array.isArray) || [];
    // Rule refusals (REFERENCE_MISMATCH …) name their one field at the top level.
    if (list.length === 0 && typeof body.pointer === 'string') list = [{ pointer: body.pointer, message: body.detail }];
    const inPayload = [];
    const elsewhere = [];
    for (const v of list) {
      const pointer = typeof v.pointer === 'string' ? v.pointer : '';
      const message = String(v.message ?? v.detail ?? '');
      if (pointer === '/payload' || pointer.startsWith('/payload/')) inPayload.push({ pointer: pointer.slice('/payload'.length), message });
      else elsewhere.push({ text: pointer ? `${pointer} ${message}` : message });
    }
    const unplaced = state.form && !state.json ? state.form.showErrors(inPayload) : inPayload;
    const items = [...unplaced.map((e) => ({ text: `${e.pointer || '/'} ${e.message}` })), ...elsewhere];
    showTop(`${text.refused}: ${body.code ?? ''} — ${body.detail ?? ''}`, items);
    if (!(state.form && !state.json && state.form.focusFirstError())) $('step-errors').focus?.();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('step-json-toggle').addEventListener('change', () => {
      if (!state) return;
      if ($('step-json-toggle').checked) {
        $('step-payload').value = JSON.stringify(state.form.value(), null, 2);
        clearTop();
        setMode(true);
        $('step-payload').focus();
        return;
      }
      const value = parseJson();
      if (!value) {
        setMode(true);
        return;
      }
      state.json = false;
      draw(value);
      focusFirst();
    });
    // console.js switches the language on the same click; redraw after it, keeping what was typed.
    $('lang').addEventListener('click', () =>
      setTimeout(() => {
        const lang = norm(document.documentElement.lang);
        for (const button of document.querySelectorAll('#case-actions button[data-message-type]')) button.textContent = label(button.dataset.messageType, lang);
        if (!state || $('step-form').hidden || state.lang === lang) return;
        state.lang = lang;
        const value = state.json ? null : state.form && state.form.value();
        draw(value || (() => { try { return JSON.parse($('step-payload').value); } catch { return {}; } })());
      }),
    );
  });

  root.TongbanSteps = { label, open, payload, refused, STEP_LABELS };
})(typeof self !== 'undefined' ? self : this);
