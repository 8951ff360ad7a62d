// The viewer: plain DOM, no framework. Every message and value is inserted with textContent,
// never as HTML, so a message holding <script> shows as text.
const $ = (sel) => document.querySelector(sel);
const state = { next: null, view: null };

async function api(url, init) {
  const res = await fetch(url, { credentials: 'same-origin', ...init });
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  return { status: res.status, body };
}

function option(select, value, label) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  select.append(o);
}

function show(value) {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 1);
}

/** Old → new, one row per key, marked added (+), removed (−) or changed (~). */
function renderDiff(table, changes) {
  const tbody = table.querySelector('tbody');
  const oldV = changes?.oldValue ?? {};
  const newV = changes?.newValue ?? {};
  const keys = [...new Set([...Object.keys(oldV), ...Object.keys(newV)])];
  if (keys.length === 0) return;
  for (const key of keys) {
    const kind = !(key in oldV) ? 'added' : !(key in newV) ? 'removed' : 'changed';
    const tr = document.createElement('tr');
    tr.className = kind;
    tr.dataset.key = key;
    const k = document.createElement('td');
    k.className = 'key';
    const mark = document.createElement('span');
    mark.className = 'mark';
    mark.textContent = { added: '+', removed: '−', changed: '~' }[kind];
    mark.title = kind;
    k.append(mark, key);
    const o = document.createElement('td');
    o.className = 'old';
    o.textContent = show(oldV[key]);
    const n = document.createElement('td');
    n.className = 'new';
    n.textContent = show(newV[key]);
    tr.append(k, o, n);
    tbody.append(tr);
  }
  table.hidden = false;
}

function renderEntry(e) {
  const li = $('#entry').content.firstElementChild.cloneNode(true);
  li.dataset.id = e.id;
  const time = li.querySelector('time');
  const when = new Date(e.timestamp);
  time.dateTime = e.timestamp;
  time.textContent = when.toLocaleString();
  time.title = `${when.toISOString()} (UTC)`;
  const action = li.querySelector('.action');
  action.textContent = e.action;
  action.classList.add(e.action);
  li.querySelector('.tool').textContent = e.tool;
  const obj = li.querySelector('.object');
  if (e.objectType) {
    obj.textContent = `${e.objectType} #${e.objectId} — history`;
    obj.addEventListener('click', () => openHistory(e.objectType, e.objectId));
  } else obj.remove();
  li.querySelector('.message').textContent = e.message;
  li.querySelector('.actor').textContent = e.actorLabel ? `by ${e.actorLabel}` : 'by the system';
  if (e.changes) renderDiff(li.querySelector('.diff'), e.changes);
  return li;
}

function queryFromForm() {
  const params = new URLSearchParams();
  const data = new FormData($('#filters'));
  for (const [name, raw] of data) {
    const value = String(raw).trim();
    if (!value) continue;
    params.append(name, name === 'from' || name === 'to' ? new Date(value).toISOString() : value);
  }
  params.set('limit', '25');
  return params;
}

async function load(url, { append = false } = {}) {
  $('#status').textContent = 'Loading…';
  const { status, body } = await api(url);
  if (!append) $('#timeline').replaceChildren();
  if (status !== 200) {
    const messages = {
      401: 'Sign in to see the log.',
      403: 'Only staff see the whole log. Pick an item on the right to see its history.',
    };
    $('#status').textContent =
      messages[status] ?? `Error ${status}: ${body?.error?.message ?? 'request failed'}`;
    for (const issue of body?.error?.issues ?? []) {
      $('#status').textContent += ` — ${issue.param}: ${issue.message}`;
    }
    $('#more').hidden = true;
    return;
  }
  $('#timeline').append(...body.results.map(renderEntry));
  const shown = $('#timeline').children.length;
  $('#status').textContent =
    shown === 0
      ? 'No events match.'
      : `${shown}${body.count != null ? ` of ${body.count}` : ''} events`;
  state.next = body.next;
  $('#more').hidden = !body.next;
}

function listAll() {
  state.view = null;
  $('#scope').hidden = true;
  const params = queryFromForm();
  params.set('with_count', 'true');
  return load(`/api/eventlogs?${params}`);
}

function openHistory(type, id) {
  state.view = { type, id };
  const scope = $('#scope');
  scope.replaceChildren(`History of ${type} #${id} `);
  const back = document.createElement('button');
  back.type = 'button';
  back.className = 'linklike';
  back.textContent = '← back to all events';
  back.addEventListener('click', listAll);
  scope.append(back);
  scope.hidden = false;
  const base = type === 'Team' ? '/api/teams' : '/api/items';
  return load(`${base}/${encodeURIComponent(id)}/log?limit=25`);
}

async function loadItems() {
  const list = $('#items');
  list.replaceChildren();
  const { status, body } = await api('/api/items');
  if (status !== 200) return;
  for (const item of body) {
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = `${item.name} (${item.status})`;
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'linklike';
    btn.textContent = 'history';
    btn.addEventListener('click', () => openHistory('Item', String(item.id)));
    li.append(name, btn);
    list.append(li);
  }
}

async function init() {
  const [{ body: users }, { body: me }, { body: meta }] = await Promise.all([
    api('/api/users'),
    api('/api/me'),
    api('/api/meta'),
  ]);
  const form = $('#filters');
  for (const u of users) {
    option($('#user'), u.id, `${u.fullName}${u.isStaff ? ' (staff)' : ''}`);
    option(form.elements.actor, u.id, u.fullName);
  }
  for (const t of meta.tools) option(form.elements.tool, t, t);
  for (const a of meta.actions) option(form.elements.action, a, a);
  $('#user').value = me.user?.id ?? '';
  $('#user').addEventListener('change', async (ev) => {
    const user = ev.target.value;
    await api(user ? '/api/login' : '/api/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    await Promise.all([listAll(), loadItems()]);
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    listAll();
  });
  form.addEventListener('reset', () => setTimeout(listAll));
  $('#more').addEventListener('click', () => state.next && load(state.next, { append: true }));
  await Promise.all([listAll(), loadItems()]);
}

init();
