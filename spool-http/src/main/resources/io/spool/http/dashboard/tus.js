// A small tus 1.0.0 client for the dashboard's upload form: the file goes to /v1/uploads in
// chunks (one PATCH each), and an upload cut off (a network failure, a closed tab) goes on from
// the offset the server holds, found with HEAD. Upload URLs are kept in localStorage by file
// (name, size, modification time) until the upload is finished.
'use strict';

const Tus = (() => {
  const VERSION = { 'Tus-Resumable': '1.0.0' };
  const CHUNK_BYTES = 4 * 1024 * 1024;
  const RETRIES = 5;
  const STORE_KEY = 'spool.uploads';

  const fingerprint = (file) => ['tus', file.name, file.size, file.lastModified].join('/');
  const known = () => JSON.parse(localStorage.getItem(STORE_KEY) || '{}');
  function remember(file, url) {
    const k = known();
    if (url) k[fingerprint(file)] = url; else delete k[fingerprint(file)];
    localStorage.setItem(STORE_KEY, JSON.stringify(k));
  }
  const base64 = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // `send(path, options)` makes an authorised request and throws on a status other than 2xx.
  async function offsetOf(send, url) {
    const r = await send(url, { method: 'HEAD', headers: VERSION });
    return parseInt(r.headers.get('Upload-Offset'), 10);
  }

  async function create(send, file) {
    const r = await send('/v1/uploads', { method: 'POST', headers: Object.assign({
      'Upload-Length': String(file.size), 'Upload-Metadata': 'filename ' + base64(file.name) }, VERSION) });
    return r.headers.get('Location');
  }

  // Uploads `file`, resuming an earlier upload of the same file; returns the upload's id.
  async function upload(send, file, onProgress) {
    let url = known()[fingerprint(file)];
    let offset = 0;
    if (url) {
      try {
        offset = await offsetOf(send, url);
      } catch (e) {
        if (e.status === 401) throw e;
        url = null; // expired or removed: start again
      }
    }
    if (!url) {
      url = await create(send, file);
      remember(file, url);
    }
    onProgress(offset, file.size);
    let failures = 0;
    while (offset < file.size) {
      const chunk = file.slice(offset, Math.min(offset + CHUNK_BYTES, file.size));
      try {
        const r = await send(url, { method: 'PATCH', body: chunk, headers: Object.assign({
          'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' }, VERSION) });
        offset = parseInt(r.headers.get('Upload-Offset'), 10);
        failures = 0;
      } catch (e) {
        if (e.status && e.status < 500 && e.status !== 409) throw e;
        if (++failures > RETRIES) throw e;
        await sleep(1000 * failures);
        try {
          offset = await offsetOf(send, url); // what arrived of the failed chunk counts
        } catch (again) {
          if (again.status && again.status < 500) throw again;
          // the server is still away: the next try asks again
        }
      }
      onProgress(offset, file.size);
    }
    return url.substring(url.lastIndexOf('/') + 1);
  }

  // Forgets a finished upload of `file` once a job has taken it: until then, choosing the file
  // again reuses the upload the server holds (after a job was refused, say).
  function forget(file) {
    remember(file, null);
  }

  return { upload, forget, fingerprint, STORE_KEY };
})();
