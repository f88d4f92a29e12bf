// The return page's script (a file, not inline: the server's CSP forbids
// inline scripts). It asks POST /order-status about ?session_id= until the
// order is fulfilled, at most 10 times, 2 s apart.
const status = document.getElementById('order-status');
const id = new URLSearchParams(window.location.search).get('session_id');
const say = (text) => { status.textContent = text; };

function money(amount, currency) {
  try {
    return new Intl.NumberFormat(document.documentElement.lang || 'en', {
      style: 'currency', currency: currency.toUpperCase(),
    }).format(amount / 100);
  } catch {
    return '';
  }
}

async function check(attempt) {
  let reply;
  try {
    const response = await fetch('/order-status', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ checkout_session_id: id }),
    });
    if (response.status >= 400 && response.status < 500) {
      say('We could not find this order.');
      return;
    }
    reply = await response.json();
    if (!response.ok) throw new Error(reply?.message);
  } catch {
    say('We could not reach the shop to check your order. Reload the page to try again.');
    return;
  }
  if (reply.status === 'fulfilled') {
    const paid = typeof reply.amountTotal === 'number' && reply.currency
      ? ` ${money(reply.amountTotal, reply.currency)} paid.` : '';
    say(`Order confirmed.${paid} Thank you!`);
  } else if (attempt < 10) {
    say('Your payment is being processed…');
    setTimeout(() => check(attempt + 1), 2000);
  } else {
    say('Your payment is still being processed. We will email you when your order is confirmed.');
  }
}

if (id) check(1); else say('No order to show: this page needs ?session_id=.');
