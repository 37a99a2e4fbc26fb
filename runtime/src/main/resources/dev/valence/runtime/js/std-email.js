// std/email: send mail as this val, with Val Town's API:
//   await email({ subject, text, html, to, cc, bcc, replyTo, from, attachments })
// Addresses are strings ("ann@example.com", "Ann <ann@example.com>"), { email, name } objects, or
// arrays of either. `from` sets only the display name (a string, or { name }). Attachments are
// { filename, content, type }: content is base64 text (as on Val Town) or bytes (a Uint8Array, an
// ArrayBuffer, a Blob or File - an inbound email's attachments can be passed on as they are).
// Unless the operator allows any recipient, mail goes only to the val owner's own address, which is
// also where it goes when no recipient is named. Imported as "std/email" or "https://esm.town/v/std/email".
const binding = globalThis[Symbol.for('valence.email')];

const FIELDS = new Set(['to', 'cc', 'bcc', 'replyTo', 'from', 'subject', 'text', 'html', 'attachments']);

function addresses(value, field) {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item === 'string') return item;
    if (item !== null && typeof item === 'object' && typeof item.email === 'string') {
      return item.name === undefined ? { email: item.email } : { email: item.email, name: String(item.name) };
    }
    throw new TypeError('email: \'' + field + '\' takes addresses as strings ("ann@example.com") or { email, name } objects.');
  });
}

function optionalString(value, field) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new TypeError('email: \'' + field + '\' must be a string, got ' + typeof value + '.');
  return value;
}

/** 'from' may name the sender; its address is the operator's (or the val's own). */
function sender(from) {
  if (from === undefined || from === null) return {};
  if (typeof from === 'object') {
    return { fromName: from.name === undefined ? undefined : String(from.name), fromAddress: optionalString(from.email, 'from.email') };
  }
  if (typeof from !== 'string') throw new TypeError('email: \'from\' is a display name (a string) or { name }.');
  const angle = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  if (angle) return { fromName: angle[1] || undefined, fromAddress: angle[2] };
  if (from.includes('@')) return { fromAddress: from.trim() };
  return { fromName: from };
}

async function attachment(item, index, buffers) {
  if (item === null || typeof item !== 'object') throw new TypeError('email: attachments[' + index + '] must be { filename, content, type }.');
  const file = item instanceof Blob ? item : null;
  const filename = item.filename ?? (file instanceof File ? file.name : undefined);
  if (typeof filename !== 'string' || filename === '') throw new TypeError('email: attachments[' + index + '] needs a filename.');
  const type = item.type ?? item.contentType ?? (file ? file.type : undefined);
  const content = file ? file : item.content;
  const out = { filename, type: type === undefined || type === '' ? undefined : String(type) };
  if (typeof content === 'string') {
    out.content = content;
  } else if (content instanceof Blob) {
    out.bytes = buffers.push(await content.arrayBuffer()) - 1;
  } else if (content instanceof ArrayBuffer) {
    out.bytes = buffers.push(content.slice(0)) - 1;
  } else if (ArrayBuffer.isView(content)) {
    out.bytes = buffers.push(content.buffer.slice(content.byteOffset, content.byteOffset + content.byteLength)) - 1;
  } else {
    throw new TypeError('email: attachments[' + index + '].content is base64 text or bytes (Uint8Array, ArrayBuffer, Blob).');
  }
  return out;
}

/** Sends one message; resolves to { messageId, to, cc, bcc } once the mail server has taken it. */
export async function email(options) {
  if (!binding) throw new Error('std/email is not available in this context.');
  if (options === null || typeof options !== 'object') throw new TypeError('email() takes one object: { subject, text, html, to, ... }.');
  for (const key of Object.keys(options)) {
    if (!FIELDS.has(key)) throw new TypeError('email: unknown option \'' + key + '\'; the options are ' + [...FIELDS].join(', ') + '.');
  }
  const buffers = [];
  const attachments = options.attachments === undefined || options.attachments === null ? [] : options.attachments;
  if (!Array.isArray(attachments)) throw new TypeError('email: \'attachments\' must be an array of { filename, content, type }.');
  const message = {
    to: addresses(options.to, 'to'),
    cc: addresses(options.cc, 'cc'),
    bcc: addresses(options.bcc, 'bcc'),
    replyTo: addresses(options.replyTo, 'replyTo'),
    subject: optionalString(options.subject, 'subject'),
    text: optionalString(options.text, 'text'),
    html: optionalString(options.html, 'html'),
    ...sender(options.from),
    attachments: await Promise.all(attachments.map((a, i) => attachment(a, i, buffers))),
  };
  const result = binding.send(JSON.stringify(message), buffers);
  if (typeof result !== 'string' || !result.startsWith('{')) throw new Error(String(result));
  return JSON.parse(result);
}

export default email;
