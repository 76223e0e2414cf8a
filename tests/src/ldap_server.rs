//! A private OpenLDAP `slapd` on a free loopback port with a small test directory: base
//! `dc=hearth,dc=test`, the application account `cn=admin,dc=hearth,dc=test`
//! ([`LdapServer::APP_PASSWORD`]), and `uid=alice` (`alice-pass`, mail `Alice@Hearth.test`) and
//! `uid=nomail` (`nomail-pass`, no mail) under `ou=people`. Needs Debian's `slapd` (CI installs it).
//! [`LdapServer::start_tls`] serves the same directory over `ldaps://` with a certificate for
//! `127.0.0.1` issued by a throwaway authority (made with the `openssl` command).

use anyhow::{Context, Result};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `slapd`.
pub struct LdapServer {
    /// Its port.
    pub port: u16,
    /// With TLS, the PEM file of the authority that issued the server's certificate.
    pub ca_file: Option<std::path::PathBuf>,
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
        Self::launch(false).await
    }

    /// Like [`LdapServer::start`], speaking LDAP over TLS only (`ldaps://`).
    pub async fn start_tls() -> Result<Self> {
        Self::launch(true).await
    }

    async fn launch(tls: bool) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::create_dir_all(root.join("db"))?;
        let tls_conf = if tls {
            make_certificates(root)?;
            format!(
                "TLSCACertificateFile {0}/ca.pem\nTLSCertificateFile {0}/server.pem\n\
                 TLSCertificateKeyFile {0}/server.key\n",
                root.display()
            )
        } else {
            String::new()
        };
        let conf = root.join("slapd.conf");
        std::fs::write(
            &conf,
            format!(
                "include /etc/ldap/schema/core.schema\ninclude /etc/ldap/schema/cosine.schema\n\
                 include /etc/ldap/schema/inetorgperson.schema\n{tls_conf}pidfile {pid}\n\
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
            .arg(format!(
                "{}://127.0.0.1:{port}/",
                if tls { "ldaps" } else { "ldap" }
            ))
            .args(["-d", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting slapd")?;
        let server = Self {
            port,
            ca_file: tls.then(|| root.join("ca.pem")),
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

/// A throwaway authority (`ca.pem`) and a certificate for `127.0.0.1` it issued
/// (`server.pem`, `server.key`) in `dir`.
fn make_certificates(dir: &std::path::Path) -> Result<()> {
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )?;
    let steps: [&[&str]; 3] = [
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Hearth Test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    ];
    for args in steps {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .context("running openssl")?;
        anyhow::ensure!(
            out.status.success(),
            "openssl {}: {}",
            args[0],
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

impl Drop for LdapServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
