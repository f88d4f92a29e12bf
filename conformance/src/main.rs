//! `checkout-conformance`: runs the conformance suite against a merchant
//! server, or prints the OpenAPI document (`openapi`).

use std::io::Write;
use std::process::ExitCode;

use checkout_conformance::{openapi, run, Options, DEFAULT_STRIPE_KEY};

const USAGE: &str = "usage:
  checkout-conformance --base-url URL --stripe-url URL [--stripe-key sk_test_…] [--poll-attempts N]
  checkout-conformance openapi      print the OpenAPI 3.1 document of the merchant endpoints

Runs the merchant contract of leptos-stripe-checkout against the merchant
server at --base-url, over HTTP, as the widget and Stripe.js do. The server
must use the stripe-sandbox emulator at --stripe-url as its Stripe
(checkout-server: STRIPE_API_BASE=<stripe-url> with sk_test_/pk_test_ keys,
or `checkout-server --emulator`, which serves the emulator itself: then both
URLs are the server's). --stripe-key is any sk_test_… key (default
sk_test_conformance); the suite reads sessions, events and webhook endpoints
from the emulator with it.

The webhook: the emulator must deliver checkout.session.completed to the
server's /webhook. checkout-server --emulator registers it itself; a server
of your own pointed at a separate emulator must register it, e.g.
  curl -u sk_test_x: URL/v1/webhook_endpoints -d url=http://127.0.0.1:4242/webhook \\
       -d 'enabled_events[]=checkout.session.completed'
and use the `secret` of the answer as its signing secret (STRIPE_WEBHOOK_SECRET).

The suite sends about a hundred requests in a few seconds: turn the
server's per-client rate limit off for the run (checkout-server:
RATE_LIMIT_PER_MINUTE=0). The emulator must hold the server's catalogue
(CHECKOUT_CATALOGUE for both).

The suite creates sessions and pays one with the emulator's test card. It
assumes the guides' plan: a session starts monthly and /config offers
monthly and yearly. A customer discount refused on the yearly plan
(not_eligible) is accepted, with a note that no check saw a discount
written; the trial checks expect the yearly trial of checkout-protocol's
limits (YEARLY_TRIAL_DAYS). An endpoint whose preview /config's `previews`
leaves out must answer 404.

Output: one line per check (ok / FAIL with what was sent, what was expected,
what came back) and a summary; exit code 0 only when every check passed,
1 when one failed, 2 on a usage error.";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args) {
        Ok(Command::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::OpenApi) => {
            let mut out = std::io::stdout().lock();
            match out
                .write_all(openapi::document_text().as_bytes())
                .and_then(|()| out.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("checkout-conformance: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Ok(Command::Run(options)) => match run(&options).await {
            Ok(report) => {
                print!("{report}");
                if report.passed() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprintln!("checkout-conformance: {e}");
                ExitCode::FAILURE
            }
        },
        Err(message) => {
            eprintln!("checkout-conformance: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

enum Command {
    Help,
    OpenApi,
    Run(Options),
}

fn parse(args: &[String]) -> Result<Command, String> {
    if args.first().map(String::as_str) == Some("openapi") {
        return match args.len() {
            1 => Ok(Command::OpenApi),
            _ => Err("`openapi` takes no arguments".to_owned()),
        };
    }
    let mut base = None;
    let mut stripe = None;
    let mut key = DEFAULT_STRIPE_KEY.to_owned();
    let mut polls = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        if matches!(name, "--help" | "-h") {
            return Ok(Command::Help);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| rest.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name {
            "--base-url" => base = Some(value()?),
            "--stripe-url" => stripe = Some(value()?),
            "--stripe-key" => key = value()?,
            "--poll-attempts" => {
                let v = value()?;
                polls = Some(
                    v.parse::<u32>()
                        .map_err(|_| format!("--poll-attempts must be a number, got {v:?}"))?,
                );
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let base = base.ok_or("--base-url is required")?;
    let stripe = stripe.ok_or("--stripe-url is required")?;
    if !key.starts_with("sk_test_") {
        return Err("--stripe-key must be a test key (sk_test_…)".to_owned());
    }
    let mut options = Options::new(base, stripe);
    options.stripe_key = key;
    if let Some(polls) = polls {
        options.poll_attempts = polls;
    }
    Ok(Command::Run(options))
}
