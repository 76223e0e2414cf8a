//! A private OpenLDAP `slapd` on a free loopback port with a small test directory: base
//! `dc=hearth,dc=test`, the application account `cn=admin,dc=hearth,dc=test`
//! ([`LdapServer::APP_PASSWORD`]), and `uid=alice` (`alice-pass`, mail `Alice@Hearth.test`) and
//! `uid=nomail` (`nomail-pass`, no mail) under `ou=people`. Needs Debian's `slapd` (CI installs it).

use anyhow::{Context, Result};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `slapd`.
pub struct LdapServer {
    /// Its port.
    pub port: u16,
    child: Child,
    _dir: tempfile::TempDir,
}

/// The test directory (also loaded by `scripts/test-browser`).
const DIRECTORY: &str = include_str!("../ldap/directory.ldif");

impl LdapServer {
    /// Password of the application account.
    pub const APP_PASSWORD: &'static str = "admin-secret";
    /// DN of the application account.
    pub const APP_DN: &'static str = "cn=admin,dc=hearth,dc=test";
    /// Base of the users.
    pub const USERS_DN: &'static str = "ou=people,dc=hearth,dc=test";

    /// Writes the configuration and directory, loads it with `slapadd`, starts `slapd`.
    pub async fn start() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::create_dir_all(root.join("db"))?;
        let conf = root.join("slapd.conf");
        std::fs::write(
            &conf,
            format!(
                "include /etc/ldap/schema/core.schema\ninclude /etc/ldap/schema/cosine.schema\n\
                 include /etc/ldap/schema/inetorgperson.schema\npidfile {pid}\n\
                 modulepath /usr/lib/ldap\nmoduleload back_mdb\ndatabase mdb\nmaxsize 10485760\n\
                 suffix \"dc=hearth,dc=test\"\nrootdn \"{dn}\"\nrootpw {pw}\ndirectory {db}\n",
                pid = root.join("slapd.pid").display(),
                dn = Self::APP_DN,
                pw = Self::APP_PASSWORD,
                db = root.join("db").display(),
            ),
        )?;
        let ldif = root.join("directory.ldif");
        std::fs::write(&ldif, DIRECTORY)?;
        let loaded = Command::new("slapadd")
            .arg("-f")
            .arg(&conf)
            .arg("-l")
            .arg(&ldif)
            .output()
            .context("running slapadd (install Debian's slapd)")?;
        anyhow::ensure!(
            loaded.status.success(),
            "slapadd failed: {}",
            String::from_utf8_lossy(&loaded.stderr)
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new("slapd")
            .arg("-f")
            .arg(&conf)
            .arg("-h")
            .arg(format!("ldap://127.0.0.1:{port}/"))
            .args(["-d", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting slapd")?;
        let server = Self {
            port,
            child,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::bail!("slapd did not start on port {port}")
    }
}

impl Drop for LdapServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
