// Uploads one file to POST /console/api/materials as the signed-in staff member's district and
// resolves to the file reference the contracts carry ({ digest, size, mediaType, name }).
// XMLHttpRequest, not fetch: fetch reports no upload progress. Shared by the step forms and the
// "collect a case" view: window.TongbanUpload.upload(file, csrf, onProgress(fraction, loaded, total)).
(function (root) {
  'use strict';

  /** csrf: the token, or a function returning it (read when the upload starts). */
  function upload(file, csrf, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/console/api/materials');
      const mediaType = file.type || 'application/octet-stream';
      // The body is the file itself, streamed; its name travels percent-encoded (headers are Latin-1).
      xhr.setRequestHeader('content-type', mediaType);
      xhr.setRequestHeader('x-tongban-file-name', encodeURIComponent(file.name));
      xhr.setRequestHeader('x-tongban-media-type', mediaType);
      xhr.setRequestHeader('x-csrf-token', typeof csrf === 'function' ? csrf() : csrf || '');
      xhr.upload.addEventListener('progress', (event) => {
        const total = event.lengthComputable ? event.total : file.size;
        if (onProgress) onProgress(total ? Math.min(1, event.loaded / total) : 0, event.loaded, total);
      });
      xhr.addEventListener('load', () => {
        let body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
        if (xhr.status === 201 || xhr.status === 200) {
          if (body && typeof body.digest === 'string') {
            resolve({ digest: body.digest, size: body.size, mediaType: body.mediaType, name: body.name });
            return;
          }
          reject(new Error('unexpected answer'));
          return;
        }
        // problem+json: the detail is for people, the code for programs.
        const error = new Error(body && (body.detail || body.code) ? `${body.code || xhr.status} — ${body.detail || ''}` : `HTTP ${xhr.status}`);
        error.status = xhr.status;
        error.problem = body;
        reject(error);
      });
      xhr.addEventListener('error', () => reject(new Error('network error')));
      xhr.addEventListener('abort', () => reject(new Error('aborted')));
      xhr.send(file);
    });
  }

  root.TongbanUpload = { upload };
})(typeof self !== 'undefined' ? self : this);
