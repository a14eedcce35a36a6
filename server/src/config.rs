//! Typed, layered configuration: defaults, then `Leptos.toml`, then environment variables.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Everything the binary needs to know to run.
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    /// Scheme and host shoppers use, without a trailing slash.
    pub public_url: String,
    pub site_root: PathBuf,
    pub production: bool,
    /// Reverse proxies whose X-Forwarded-For / Forwarded name the client.
    pub trusted_proxies: String,
    pub data_dir: PathBuf,
    /// Empty means SQLite in `data_dir`.
    pub database_url: String,
    /// Where uploaded product images are kept; empty means `data_dir/media`.
    /// App servers that share a database share this directory too (a network
    /// file system mounted on each).
    pub media_dir: String,
    /// An S3-compatible bucket (and folder) that holds the media instead of
    /// `media_dir`, e.g. `https://s3.eu-west-1.amazonaws.com/shop-media`;
    /// empty: the directory.
    pub media_s3_url: String,
    /// The bucket's signing region (`us-east-1` unless set).
    pub media_s3_region: String,
    /// The bucket's long-lived access key id and secret (temporary
    /// credentials with a session token are not supported yet).
    pub media_s3_key_id: String,
    pub media_s3_secret: String,
    /// 0 means "pick a size for the engine".
    pub max_connections: u32,
    /// Tasks placing orders in groups; 0 means "pick a number for the engine".
    pub order_workers: u32,
    /// The most orders one transaction places (1 turns grouping off).
    pub order_group: u32,
    pub demo_products: u64,
    /// How long catalog pages' data is reused, in milliseconds; 0 disables the cache.
    pub cache_ms: u64,
    /// Account form attempts one client address may make at once (then one per 6 s).
    pub auth_burst: u32,
    /// Orders one client address may place in 10 minutes (0: no limit).
    pub order_rate: u32,
    /// Payment attempts one client address may make in 10 minutes (0: no limit).
    pub payment_rate: u32,
    /// Seconds between rounds of the background chores (expired stock holds,
    /// interrupted payments and refunds, abandoned carts); 0 turns them off.
    pub chores_secs: u64,
    /// Sender of the shop's mail, e.g. `Oxcart <shop@example.com>`.
    pub mail_from: String,
    /// SMTP server URL; empty writes mail into `data_dir/mail` instead.
    pub smtp_url: String,
    /// Who takes card payments: Stripe, the test processor, or none.
    pub payment_provider: PaymentProvider,
    /// Stripe's secret API key (`sk_live_…` or `sk_test_…`), from the
    /// environment or the config file: never stored in the database.
    pub stripe_secret_key: String,
    /// Where Stripe's API is: `https://api.stripe.com` unless set (tests
    /// point it at a local server).
    pub stripe_api: String,
    /// Whether a production start may use the test card processor (a demo).
    pub allow_test_payments: bool,
    /// Refunds above this many minor units need the staff member's password again.
    pub refund_confirm_above: i64,
    /// Secret the payment provider signs webhooks with; empty: a random one per start.
    pub webhook_secret: String,
    /// Secret carriers sign tracking webhooks with; empty: a random one per
    /// start (no carrier can post until it is set).
    pub carrier_secret: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    site: SiteSection,
    #[serde(default)]
    data: DataSection,
    #[serde(default)]
    mail: MailSection,
    #[serde(default)]
    payments: PaymentsSection,
    #[serde(default)]
    shipping: ShippingSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShippingSection {
    carrier_secret: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MailSection {
    from: Option<String>,
    smtp_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PaymentsSection {
    provider: Option<String>,
    stripe_secret_key: Option<String>,
    stripe_api: Option<String>,
    allow_test_in_production: Option<bool>,
    refund_confirm_above: Option<u64>,
    webhook_secret: Option<String>,
}

/// The card processor a shop uses (`payments.provider`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentProvider {
    /// Stripe, through hosted Checkout: shoppers pay on Stripe's page.
    Stripe,
    /// The built-in test processor: any Luhn-valid card number pays, no money
    /// moves. For development, tests and demos only.
    Test,
    /// No card payments: checkout refuses to take a card.
    None,
}

impl PaymentProvider {
    fn parse(name: &str) -> Result<Self, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "stripe" => Ok(Self::Stripe),
            "test" => Ok(Self::Test),
            "none" => Ok(Self::None),
            other => Err(format!(
                "payments.provider {other:?} is not known: choose \"stripe\", \"test\" (the built-in test card processor) or \"none\""
            )),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteSection {
    addr: Option<String>,
    public_url: Option<String>,
    root: Option<String>,
    env: Option<String>,
    trusted_proxies: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DataSection {
    dir: Option<String>,
    database_url: Option<String>,
    media_dir: Option<String>,
    media_s3_url: Option<String>,
    media_s3_region: Option<String>,
    media_s3_key_id: Option<String>,
    media_s3_secret: Option<String>,
    max_connections: Option<u32>,
    order_workers: Option<u32>,
    order_group: Option<u32>,
    demo_products: Option<u64>,
    cache_ms: Option<u64>,
    auth_burst: Option<u32>,
    chores_secs: Option<u64>,
    order_rate: Option<u32>,
    payment_rate: Option<u32>,
}

impl Config {
    /// Loads `path` (a missing file is fine when `required` is false) and applies
    /// overrides from `env`, a lookup such as `|k| std::env::var(k).ok()`.
    pub fn load(
        path: &Path,
        required: bool,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let file: File = match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text)
                .map_err(|e| format!("{}: {}", path.display(), e.message()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => File::default(),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let pick = |var: &str, from_file: Option<String>, default: &str| {
            env(var).or(from_file).unwrap_or_else(|| default.to_owned())
        };

        let addr_text = pick("OXCART_ADDR", file.site.addr, "127.0.0.1:3000");
        let addr: SocketAddr = addr_text
            .parse()
            .map_err(|_| format!("site address {addr_text:?} is not an IP:port such as 127.0.0.1:3000"))?;
        let public_url = pick("OXCART_PUBLIC_URL", file.site.public_url, "");
        let public_url = if public_url.is_empty() {
            format!("http://{addr}")
        } else if public_url.starts_with("http://") || public_url.starts_with("https://") {
            public_url.trim_end_matches('/').to_owned()
        } else {
            return Err(format!("public URL {public_url:?} must start with http:// or https://"));
        };
        let env_name = pick("OXCART_ENV", file.site.env, "PROD").to_ascii_uppercase();
        let production = match env_name.as_str() {
            "PROD" | "PRODUCTION" => true,
            "DEV" | "DEVELOPMENT" => false,
            other => return Err(format!("environment {other:?} must be PROD or DEV")),
        };
        let number = |var: &str, from_file: Option<u64>, default: u64| -> Result<u64, String> {
            match env(var) {
                Some(v) => v.trim().parse().map_err(|_| format!("{var}={v:?} is not a whole number")),
                None => Ok(from_file.unwrap_or(default)),
            }
        };
        let max_connections = number("OXCART_MAX_CONNECTIONS", file.data.max_connections.map(u64::from), 0)?;
        Ok(Config {
            addr,
            public_url,
            site_root: pick("OXCART_SITE_ROOT", file.site.root, "target/site").into(),
            production,
            trusted_proxies: {
                let list = pick("OXCART_TRUSTED_PROXIES", file.site.trusted_proxies, "");
                crate::client_addr::TrustedProxies::parse(&list)?;
                list
            },
            data_dir: pick("OXCART_DATA_DIR", file.data.dir, "data").into(),
            database_url: pick("DATABASE_URL", file.data.database_url, ""),
            media_dir: pick("OXCART_MEDIA_DIR", file.data.media_dir, ""),
            media_s3_url: pick("OXCART_MEDIA_S3_URL", file.data.media_s3_url, ""),
            media_s3_region: pick("OXCART_MEDIA_S3_REGION", file.data.media_s3_region, "us-east-1"),
            media_s3_key_id: pick("OXCART_MEDIA_S3_KEY_ID", file.data.media_s3_key_id, ""),
            media_s3_secret: pick("OXCART_MEDIA_S3_SECRET", file.data.media_s3_secret, ""),
            max_connections: u32::try_from(max_connections)
                .map_err(|_| "OXCART_MAX_CONNECTIONS is too large".to_owned())?,
            order_workers: number("OXCART_ORDER_WORKERS", file.data.order_workers.map(u64::from), 0)?.min(64) as u32,
            order_group: number("OXCART_ORDER_GROUP", file.data.order_group.map(u64::from), 64)?.clamp(1, 1024) as u32,
            demo_products: number("OXCART_DEMO_PRODUCTS", file.data.demo_products, 10_000)?,
            cache_ms: number("OXCART_CACHE_MS", file.data.cache_ms, 30_000)?,
            auth_burst: number("OXCART_AUTH_BURST", file.data.auth_burst.map(u64::from), 10)?.clamp(1, 1_000_000) as u32,
            chores_secs: number("OXCART_CHORES_SECS", file.data.chores_secs, 15)?,
            order_rate: number("OXCART_ORDER_RATE", file.data.order_rate.map(u64::from), 30)?.min(u64::from(u32::MAX)) as u32,
            payment_rate: number("OXCART_PAYMENT_RATE", file.data.payment_rate.map(u64::from), 20)?.min(u64::from(u32::MAX)) as u32,
            mail_from: pick("OXCART_MAIL_FROM", file.mail.from, "Oxcart <shop@localhost>"),
            smtp_url: pick("OXCART_SMTP_URL", file.mail.smtp_url, ""),
            payment_provider: PaymentProvider::parse(&pick("OXCART_PAYMENT_PROVIDER", file.payments.provider, "test"))?,
            stripe_secret_key: pick("OXCART_STRIPE_SECRET_KEY", file.payments.stripe_secret_key, ""),
            stripe_api: pick("OXCART_STRIPE_API", file.payments.stripe_api, "https://api.stripe.com").trim_end_matches('/').to_owned(),
            allow_test_payments: match env("OXCART_ALLOW_TEST_PAYMENTS") {
                Some(v) => yes_or_no("OXCART_ALLOW_TEST_PAYMENTS", &v)?,
                None => file.payments.allow_test_in_production.unwrap_or(false),
            },
            refund_confirm_above: number("OXCART_REFUND_CONFIRM_ABOVE", file.payments.refund_confirm_above, 50_000)?
                .min(i64::MAX as u64) as i64,
            webhook_secret: pick("OXCART_WEBHOOK_SECRET", file.payments.webhook_secret, ""),
            carrier_secret: pick("OXCART_CARRIER_SECRET", file.shipping.carrier_secret, ""),
        })
    }
}

impl Config {
    /// Refuses a production start with the test card processor unless told
    /// so explicitly: with it any Luhn-valid number "pays" and no money moves.
    /// Stripe needs its secret key, and a webhook secret on every start (a
    /// random one would refuse every event Stripe signs).
    pub fn check_payments(&self) -> Result<(), String> {
        if self.payment_provider == PaymentProvider::Stripe {
            if !self.stripe_secret_key.starts_with("sk_") && !self.stripe_secret_key.starts_with("rk_") {
                return Err("payments.provider is \"stripe\" but OXCART_STRIPE_SECRET_KEY (payments.stripe_secret_key) \
                            is not a Stripe secret key (sk_live_…, sk_test_… or a restricted rk_… key)."
                    .into());
            }
            if !self.webhook_secret.starts_with("whsec_") {
                return Err("payments.provider is \"stripe\" but OXCART_WEBHOOK_SECRET (payments.webhook_secret) is not \
                            the endpoint's signing secret (whsec_…) from Stripe's dashboard."
                    .into());
            }
            let loopback = ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"].iter().any(|p| self.stripe_api.starts_with(p));
            if self.production && !self.stripe_api.starts_with("https://") && !loopback {
                return Err(format!("payments.stripe_api {:?} must be https:// (or on this machine) in production.", self.stripe_api));
            }
        }
        if self.production && self.payment_provider == PaymentProvider::Test && !self.allow_test_payments {
            return Err("payments.provider is \"test\" (the built-in test card processor: any valid-looking card \
                        number pays and no money moves) in production. Set a real provider, or \
                        OXCART_ALLOW_TEST_PAYMENTS=true for a demo shop, or OXCART_ENV=DEV."
                .into());
        }
        Ok(())
    }
}

/// A true/false setting from the environment.
fn yes_or_no(var: &str, value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(format!("{var}={value:?} must be true or false")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(toml: &str, env: &[(&str, &str)]) -> Result<Config, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Leptos.toml");
        std::fs::write(&path, toml).unwrap();
        let env: HashMap<String, String> =
            env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::load(&path, true, |k| env.get(k).cloned())
    }

    #[test]
    fn environment_overrides_file_overrides_defaults() {
        let c = load("[site]\naddr = \"127.0.0.1:4000\"\n[data]\ndemo_products = 5\n", &[]).unwrap();
        assert_eq!(c.addr.port(), 4000);
        assert_eq!(c.public_url, "http://127.0.0.1:4000");
        assert_eq!(c.demo_products, 5);
        assert!(c.production);
        assert!(c.smtp_url.is_empty(), "mail goes to files unless a server is set");
        let c = load("[mail]\nfrom = \"Shop <s@example.com>\"\n", &[("OXCART_SMTP_URL", "smtps://mail.example")]).unwrap();
        assert_eq!((c.mail_from.as_str(), c.smtp_url.as_str()), ("Shop <s@example.com>", "smtps://mail.example"));
        let c = load(
            "[site]\naddr = \"127.0.0.1:4000\"\n",
            &[("OXCART_ADDR", "0.0.0.0:8080"), ("OXCART_PUBLIC_URL", "https://shop.example/"), ("OXCART_ENV", "dev")],
        )
        .unwrap();
        assert_eq!(c.addr.port(), 8080);
        assert_eq!(c.public_url, "https://shop.example");
        assert!(!c.production);
    }

    #[test]
    fn bad_values_are_clear_errors() {
        assert!(load("[site]\naddr = \"nonsense\"\n", &[]).unwrap_err().contains("IP:port"));
        assert!(load("[site]\nadr = \"x\"\n", &[]).unwrap_err().contains("Leptos.toml"));
        assert!(load("", &[("OXCART_DEMO_PRODUCTS", "many")]).unwrap_err().contains("whole number"));
        assert!(load("", &[("OXCART_PUBLIC_URL", "shop.example")]).unwrap_err().contains("http"));
    }

    #[test]
    fn production_refuses_the_test_processor_unless_told() {
        let c = load("", &[]).unwrap();
        assert_eq!(c.payment_provider, PaymentProvider::Test);
        assert!(c.production);
        assert!(c.check_payments().unwrap_err().contains("OXCART_ALLOW_TEST_PAYMENTS"));
        assert!(load("", &[("OXCART_ALLOW_TEST_PAYMENTS", "true")]).unwrap().check_payments().is_ok());
        assert!(load("[payments]\nallow_test_in_production = true\n", &[]).unwrap().check_payments().is_ok());
        assert!(load("", &[("OXCART_ENV", "dev")]).unwrap().check_payments().is_ok());
        let none = load("[payments]\nprovider = \"none\"\n", &[]).unwrap();
        assert_eq!(none.payment_provider, PaymentProvider::None);
        assert!(none.check_payments().is_ok());
        assert!(load("[payments]\nprovider = \"paypal\"\n", &[]).unwrap_err().contains("not known"));
        assert!(load("", &[("OXCART_ALLOW_TEST_PAYMENTS", "maybe")]).unwrap_err().contains("true or false"));
    }

    #[test]
    fn stripe_needs_its_keys_from_the_environment_or_the_file() {
        let env = [("OXCART_PAYMENT_PROVIDER", "stripe"), ("OXCART_STRIPE_SECRET_KEY", "sk_live_abc"), ("OXCART_WEBHOOK_SECRET", "whsec_abc")];
        let c = load("", &env).unwrap();
        assert_eq!((c.payment_provider, c.stripe_api.as_str()), (PaymentProvider::Stripe, "https://api.stripe.com"));
        assert!(c.check_payments().is_ok());
        let file = "[payments]\nprovider = \"stripe\"\nstripe_secret_key = \"sk_test_1\"\nwebhook_secret = \"whsec_1\"\n";
        assert!(load(file, &[]).unwrap().check_payments().is_ok());
        assert!(load("", &env[..2]).unwrap().check_payments().unwrap_err().contains("whsec_"), "no webhook secret");
        assert!(load("", &[env[0], env[2]]).unwrap().check_payments().unwrap_err().contains("OXCART_STRIPE_SECRET_KEY"));
        let plain = load("", &[env[0], env[1], env[2], ("OXCART_STRIPE_API", "http://10.1.2.3:9/")]).unwrap();
        assert!(plain.check_payments().unwrap_err().contains("https"), "plain HTTP only to this machine in production");
        let local = load("", &[env[0], env[1], env[2], ("OXCART_STRIPE_API", "http://127.0.0.1:9/")]).unwrap();
        assert_eq!(local.stripe_api, "http://127.0.0.1:9");
        assert!(local.check_payments().is_ok());
        let dev = load("", &[env[0], env[1], env[2], ("OXCART_STRIPE_API", "http://10.1.2.3:9/"), ("OXCART_ENV", "dev")]).unwrap();
        assert!(dev.check_payments().is_ok());
    }

    #[test]
    fn missing_file_is_fine_unless_required() {
        let path = Path::new("/nonexistent/Leptos.toml");
        assert!(Config::load(path, false, |_| None).is_ok());
        assert!(Config::load(path, true, |_| None).is_err());
    }
}
