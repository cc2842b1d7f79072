// Spool's dashboard: plain JavaScript over the HTTP API, nothing loaded from elsewhere.
// Jobs come from GET /v1/jobs; unfinished ones are followed live through their event streams
// (GET /v1/jobs/{id}/events), read with fetch so that the bearer token can be sent.
'use strict';

const TOKEN_KEY = 'spool.token';
const REFRESH_MS = 3000;
// A browser opens at most six connections to one server; each stream holds one open, so a few
// are left for the list, the details and a cancel.
const MAX_STREAMS = 3;
const MAX_BATCHES = 10;
const UNFINISHED = new Set(['queued', 'running']);

const jobs = new Map();      // id -> job summary
const progress = new Map();  // id -> latest progress event
const streams = new Map();   // id -> AbortController
const batches = new Map();   // id -> batch
let order = [];
let selected = null;
let shownState = null; // the selected job's state as its details show it
let refreshTimer = null;

const $ = (id) => document.getElementById(id);

function token() { return sessionStorage.getItem(TOKEN_KEY); }

class Unauthorized extends Error {}

async function api(path, options = {}) {
  const headers = Object.assign({ 'Authorization': 'Bearer ' + token() }, options.headers || {});
  const res = await fetch(path, Object.assign({}, options, { headers }));
  if (res.status === 401) {
    const e = new Unauthorized(await errorMessage(res));
    e.status = 401;
    throw e;
  }
  if (!res.ok) {
    const e = new Error(await errorMessage(res));
    e.status = res.status;
    throw e;
  }
  return res;
}

async function errorMessage(res) {
  try {
    const body = await res.json();
    if (body && body.error) return body.error.code + ': ' + body.error.message;
  } catch (e) { /* not JSON */ }
  return 'HTTP ' + res.status;
}

function showLogin(message) {
  stopAll();
  sessionStorage.removeItem(TOKEN_KEY);
  $('app').hidden = true;
  $('forget-token').hidden = true;
  $('login').hidden = false;
  $('connection').textContent = '';
  const err = $('login-error');
  err.hidden = !message;
  err.textContent = message || '';
  $('token').focus();
}

function showError(e) {
  if (e instanceof Unauthorized) {
    showLogin('The token was refused: ' + e.message);
    return;
  }
  const err = $('error');
  err.hidden = false;
  err.textContent = e.message;
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

async function start() {
  $('login').hidden = true;
  $('app').hidden = false;
  $('forget-token').hidden = false;
  $('connection').textContent = 'connecting…';
  try {
    await refresh();
  } catch (e) {
    showError(e);
    return;
  }
  if (location.hash.startsWith('#job/')) openDetail(location.hash.substring(5));
}

function stopAll() {
  clearTimeout(refreshTimer);
  refreshTimer = null;
  for (const c of streams.values()) c.abort();
  streams.clear();
}

async function refresh() {
  clearTimeout(refreshTimer);
  try {
    const page = await (await api('/v1/jobs?limit=50')).json();
    order = page.jobs.map((j) => j.id);
    for (const j of page.jobs) {
      // A stream's state is at least as new as the list's.
      if (!streams.has(j.id) || !jobs.has(j.id)) jobs.set(j.id, j);
    }
    for (const id of [...jobs.keys()]) if (!order.includes(id)) { jobs.delete(id); progress.delete(id); }
    renderJobs();
    follow();
    // A selected job that no stream follows learns its new state here.
    if (selected && jobs.has(selected) && jobs.get(selected).state !== shownState) openDetail(selected);
    await refreshBatches();
    await refreshHost();
    $('connection').textContent = 'updated ' + new Date().toLocaleTimeString();
    clearError();
  } catch (e) {
    if (e instanceof Unauthorized) throw e;
    showError(e);
  } finally {
    if (token()) refreshTimer = setTimeout(() => refresh().catch(showError), REFRESH_MS);
  }
}

// Opens streams for unfinished jobs, running ones first and the selected one before all.
function follow() {
  for (const [id, c] of streams) {
    const j = jobs.get(id);
    if (!j || !UNFINISHED.has(j.state)) { c.abort(); streams.delete(id); }
  }
  const wanted = order.filter((id) => UNFINISHED.has(jobs.get(id).state))
    .sort((a, b) => rank(a) - rank(b));
  for (const id of wanted) {
    if (streams.size >= MAX_STREAMS) break;
    if (!streams.has(id)) stream(id);
  }
}

function rank(id) {
  if (id === selected) return 0;
  return jobs.get(id).state === 'running' ? 1 : 2;
}

async function stream(id) {
  const controller = new AbortController();
  streams.set(id, controller);
  let ended = false;
  try {
    const res = await api('/v1/jobs/' + encodeURIComponent(id) + '/events',
      { headers: { 'Accept': 'text/event-stream' }, signal: controller.signal });
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        onEvent(id, buffer.substring(0, end));
        buffer = buffer.substring(end + 2);
      }
    }
    ended = true;
  } catch (e) {
    // A stream cut off is opened again by the next refresh, not at once: the server may be away.
    if (e instanceof Unauthorized) showError(e);
  } finally {
    if (streams.get(id) === controller) streams.delete(id);
  }
  if (ended && token()) follow();
}

function onEvent(id, block) {
  let event = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.substring(0, colon);
    let value = colon < 0 ? '' : line.substring(colon + 1);
    if (value.startsWith(' ')) value = value.substring(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return;
  const body = JSON.parse(data.join('\n'));
  if (event === 'state') {
    jobs.set(id, body);
    if (!UNFINISHED.has(body.state)) progress.delete(id);
    renderJobs();
    if (selected === id) openDetail(id);
  } else if (event === 'progress') {
    progress.set(id, body);
    renderRow(id);
    if (selected === id) renderDetailProgress(body);
  }
}

function renderJobs() {
  const tbody = $('jobs').tBodies[0];
  const rows = new Map([...tbody.rows].map((r) => [r.dataset.jobId, r]));
  for (const [id, row] of rows) if (!jobs.has(id)) row.remove();
  for (const id of order) {
    let row = rows.get(id);
    if (!row) {
      row = document.createElement('tr');
      row.dataset.jobId = id;
      for (const c of ['id', 'type', 'input', 'state', 'progress', 'duration', 'cost']) {
        const td = document.createElement('td');
        td.className = c;
        row.appendChild(td);
      }
      row.addEventListener('click', () => openDetail(id));
    }
    tbody.appendChild(row); // keeps the list's order
    renderRow(id);
  }
  $('no-jobs').hidden = order.length > 0;
}

function renderRow(id) {
  const row = $('jobs').querySelector('tr[data-job-id="' + CSS.escape(id) + '"]');
  const j = jobs.get(id);
  if (!row || !j) return;
  row.classList.toggle('selected', id === selected);
  const cell = (c) => row.querySelector('td.' + c);
  cell('id').textContent = id;
  cell('type').textContent = j.type;
  cell('input').textContent = j.input || '';
  cell('input').title = j.input || '';
  cell('state').textContent = j.state;
  cell('state').className = 'state state-' + j.state;
  fillProgress(cell('progress'), j, progress.get(id));
  cell('duration').textContent = duration(j);
  cell('cost').textContent = j.cost ? usd(j.cost.total_usd) : '';
}

function fillProgress(td, j, p) {
  let bar = td.querySelector('progress');
  let text = td.querySelector('span');
  if (!bar) {
    bar = document.createElement('progress');
    bar.max = 1;
    text = document.createElement('span');
    td.append(bar, ' ', text);
  }
  const fraction = j.state === 'succeeded' ? 1 : (p ? p.fraction : 0);
  bar.value = fraction;
  bar.hidden = j.state !== 'running' && j.state !== 'succeeded';
  text.textContent = j.state === 'running' && p
    ? Math.floor(fraction * 100) + '%' + (p.speed ? ' ' + p.speed.toFixed(1) + '×' : '')
      + (p.eta_seconds ? ', ' + Math.ceil(p.eta_seconds) + ' s left' : '')
    : '';
}

function duration(j) {
  if (!j.started_at) return '';
  const end = j.finished_at ? Date.parse(j.finished_at) : Date.now();
  const s = Math.max(0, (end - Date.parse(j.started_at)) / 1000);
  return s < 60 ? s.toFixed(1) + ' s' : Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
}

function usd(x) {
  return x === undefined || x === null ? '' : '$' + Number(x).toFixed(x < 0.01 ? 6 : 4);
}

// The host's capabilities (what spool doctor reports) and the media workers, every tenth refresh.
let hostTurn = 0;
async function refreshHost() {
  if (hostTurn++ % 10 !== 0) return;
  const caps = await (await api('/v1/capabilities')).json();
  const c = caps.capabilities || {};
  const h = caps.host || {};
  const encoders = (c.gpu_encoders || []).filter((e) => e.works).map((e) => e.encoder).join(', ');
  fields($('capabilities'), [['ffmpeg', c.ffmpeg_version], ['Cores', h.cpu_cores],
    ['Memory', h.memory_bytes ? (h.memory_bytes / 2 ** 30).toFixed(1) + ' GiB' : null],
    ['GPU encode', encoders || (c.ffmpeg_version ? 'none proven' : null)]]);
  const w = await (await api('/v1/workers')).json();
  const tbody = $('workers').tBodies[0];
  tbody.replaceChildren();
  for (const x of w.workers) {
    const row = document.createElement('tr');
    for (const v of [x.id, x.host, (x.queues || []).join(','), x.cpu, x.gpu_encode ? 'yes' : 'no', x.state, x.last_seen]) {
      const td = document.createElement('td');
      td.textContent = v === undefined || v === null ? '' : String(v);
      row.appendChild(td);
    }
    row.dataset.state = x.state;
    tbody.appendChild(row);
  }
  $('no-workers').hidden = w.workers.length > 0;
}

async function refreshBatches() {
  const ids = [];
  for (const id of order) {
    const b = jobs.get(id).batch_id;
    if (b && !ids.includes(b)) ids.push(b);
  }
  const shown = ids.slice(0, MAX_BATCHES);
  for (const id of shown) {
    const known = batches.get(id);
    if (known && !UNFINISHED.has(known.state) && known.state !== 'running') continue;
    batches.set(id, await (await api('/v1/batches/' + encodeURIComponent(id))).json());
  }
  for (const id of [...batches.keys()]) if (!shown.includes(id)) batches.delete(id);
  const tbody = $('batches').tBodies[0];
  tbody.replaceChildren();
  for (const id of shown) {
    const b = batches.get(id);
    if (!b || b.job_count < 2) continue;
    const row = document.createElement('tr');
    row.dataset.batchId = id;
    const s = b.job_states || {};
    for (const [c, v] of [['id', b.id], ['state', b.state], ['jobs', b.job_count], ['queued', s.queued],
      ['running', s.running], ['succeeded', s.succeeded], ['failed', s.failed], ['cancelled', s.cancelled],
      ['cost', b.cost ? usd(b.cost.total_usd) : '']]) {
      const td = document.createElement('td');
      td.className = c === 'state' ? 'state state-' + v : c;
      td.textContent = v === undefined ? '' : String(v);
      row.appendChild(td);
    }
    tbody.appendChild(row);
  }
  $('no-batches').hidden = tbody.rows.length > 0;
}

async function openDetail(id) {
  selected = id;
  if (location.hash !== '#job/' + id) history.replaceState(null, '', '#job/' + id);
  for (const r of $('jobs').tBodies[0].rows) r.classList.toggle('selected', r.dataset.jobId === id);
  let j;
  try {
    j = await (await api('/v1/jobs/' + encodeURIComponent(id))).json();
  } catch (e) {
    showError(e);
    return;
  }
  if (selected !== id) return;
  shownState = j.state;
  $('detail').hidden = false;
  $('detail').dataset.jobId = id;
  $('detail-id').textContent = id;
  fields($('detail-fields'), [['State', j.state], ['Type', j.type], ['Input', j.input], ['Output', j.output],
    ['Batch', j.batch_id], ['Created', j.created_at], ['Started', j.started_at], ['Finished', j.finished_at],
    ['Duration', duration(j)], ['Media', j.media_seconds ? j.media_seconds.toFixed(1) + ' s' : null],
    ['Speed', j.speed ? j.speed.toFixed(2) + '×' : null]]);
  $('detail-fields').querySelector('dd').className = 'state state-' + j.state;
  if (j.state === 'running') renderDetailProgress(progress.get(id) || j.progress || { fraction: 0 });
  else $('detail-progress').hidden = true;
  const err = $('detail-error');
  err.hidden = !j.error;
  err.textContent = j.error ? j.error.code + ': ' + j.error.message : '';
  $('cancel-job').hidden = !UNFINISHED.has(j.state);
  const tbody = $('attempts').tBodies[0];
  tbody.replaceChildren();
  for (const a of j.attempts || []) {
    const row = document.createElement('tr');
    for (const v of [a.number, a.worker ? a.worker.id + (a.worker.host ? ' on ' + a.worker.host : '') : '',
      a.started_at, a.ended_at, a.error_code]) {
      const td = document.createElement('td');
      td.textContent = v === undefined || v === null ? '' : String(v);
      row.appendChild(td);
    }
    tbody.appendChild(row);
  }
  const c = j.cost;
  fields($('detail-cost'), c ? [['Total', usd(c.total_usd)], ['CPU', usd(c.cpu_usd)], ['Memory', usd(c.memory_usd)],
    ['GPU', usd(c.gpu_usd)], ['CPU seconds', c.cpu_seconds_used === undefined ? null : c.cpu_seconds_used.toFixed(2)]]
    : [['Total', 'when it ends']]);
  const outputs = $('outputs');
  outputs.replaceChildren();
  for (const o of j.outputs || []) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Download ' + o.name;
    button.addEventListener('click', () => download(o).catch(showError));
    li.append(button, ' ' + o.path + (o.size_bytes ? ' (' + o.size_bytes + ' bytes)' : ''));
    if (/\.(mp4|m4v|mov|mkv|webm)$/i.test(o.name)) {
      // A poster frame, fetched with the token and shown from a blob.
      const img = document.createElement('img');
      img.className = 'poster';
      img.alt = 'poster of ' + o.name;
      li.prepend(img);
      api(o.url + '/poster').then((r) => r.blob()).then((b) => { img.src = URL.createObjectURL(b); })
        .catch(() => img.remove());
    }
    outputs.appendChild(li);
  }
  if (!j.outputs || j.outputs.length === 0) {
    const li = document.createElement('li');
    li.textContent = j.state === 'succeeded' ? 'none in a volume' : UNFINISHED.has(j.state) ? 'when it succeeds' : 'none';
    outputs.appendChild(li);
  }
  follow();
}

function renderDetailProgress(p) {
  const box = $('detail-progress');
  box.hidden = false;
  box.querySelector('progress').value = p.fraction || 0;
  box.querySelector('.progress-text').textContent = Math.floor((p.fraction || 0) * 100) + '%'
    + (p.worker ? ' on ' + (typeof p.worker === 'string' ? p.worker : p.worker.id) : '');
}

function fields(dl, pairs) {
  dl.replaceChildren();
  for (const [k, v] of pairs) {
    if (v === undefined || v === null || v === '') continue;
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = String(v);
    dl.append(dt, dd);
  }
}

// Outputs need the token too, so they are fetched and handed to the browser as a file.
async function download(o) {
  const blob = await (await api(o.url)).blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = o.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}

async function cancelSelected() {
  const id = selected;
  if (!id) return;
  $('cancel-job').disabled = true;
  try {
    const r = await (await api('/v1/jobs/' + encodeURIComponent(id), { method: 'DELETE' })).json();
    $('cancel-result').textContent = r.cancel_requested ? 'cancel requested' : 'the job had ended (' + r.state + ')';
  } catch (e) {
    showError(e);
  } finally {
    $('cancel-job').disabled = false;
  }
  openDetail(id);
}

// The form's file goes up resumably (tus.js), then becomes a job's input as upload:ID.
async function uploadAndSubmit(e) {
  e.preventDefault();
  const file = $('upload-file').files[0];
  if (!file) return;
  const status = $('upload-status');
  const text = status.querySelector('.progress-text');
  status.hidden = false;
  $('upload-start').disabled = true;
  try {
    const id = await Tus.upload(api, file, (done, total) => {
      status.querySelector('progress').value = total ? done / total : 1;
      text.textContent = 'uploaded ' + done + ' of ' + total + ' bytes';
    });
    const job = await (await api('/v1/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'transcode', input: 'upload:' + id, output: $('upload-output').value.trim(),
        options: { preset: $('upload-preset').value } }) })).json();
    Tus.forget(file);
    status.dataset.jobId = job.id;
    text.textContent = 'uploaded ' + file.size + ' bytes; job ' + job.id + ' submitted';
    refresh();
  } catch (err) {
    if (err instanceof Unauthorized) { showLogin(err.message); return; }
    text.textContent = 'upload failed: ' + err.message + ' (upload the same file again to resume)';
  } finally {
    $('upload-start').disabled = false;
  }
}

function closeDetail() {
  selected = null;
  shownState = null;
  $('detail').hidden = true;
  $('cancel-result').textContent = '';
  history.replaceState(null, '', location.pathname);
  for (const r of $('jobs').tBodies[0].rows) r.classList.remove('selected');
}

document.addEventListener('DOMContentLoaded', () => {
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    start();
  });
  $('forget-token').addEventListener('click', () => showLogin(null));
  $('cancel-job').addEventListener('click', cancelSelected);
  $('close-detail').addEventListener('click', closeDetail);
  $('upload-form').addEventListener('submit', uploadAndSubmit);
  if (token()) start(); else showLogin(null);
});
