// protocol/src/email.rs: the email grammar the widget, the emulator and
// checkout-server share (only Valid is accepted for `customer_email`).
const MAX_EMAIL_LEN = 254;
const MAX_LOCAL_LEN = 64;
const MAX_LABEL_LEN = 63;
const localChar = (c) => /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]$/.test(c);
const domainChar = (c) => /^[A-Za-z0-9.-]$/.test(c);

export function checkEmail(input) {
  const text = input.trim();
  if (text === '') return 'incomplete';
  if (Buffer.byteLength(text, 'utf8') > MAX_EMAIL_LEN) return 'invalid';
  const at = text.indexOf('@');
  const local = at < 0 ? text : text.slice(0, at);
  const domain = at < 0 ? null : text.slice(at + 1);
  if (![...local].every(localChar) || local.startsWith('.') || local.includes('..') || local.length > MAX_LOCAL_LEN) return 'invalid';
  if (domain === null) return 'incomplete';
  if (local === '' || local.endsWith('.') || ![...domain].every(domainChar)) return 'invalid';
  if (domain === '') return 'incomplete';
  const labels = domain.split('.');
  const ok = labels.every((label, i) => {
    const last = i + 1 === labels.length;
    return label.length <= MAX_LABEL_LEN && !label.startsWith('-') && (last || (label !== '' && !label.endsWith('-')));
  });
  if (!ok) return 'invalid';
  const tld = labels[labels.length - 1];
  const complete = labels.length > 1 && tld.length >= 2 && !tld.endsWith('-') && !/^[0-9]*$/.test(tld);
  return complete ? 'valid' : 'incomplete';
}

export const isValidEmail = (text) => checkEmail(text) === 'valid';
