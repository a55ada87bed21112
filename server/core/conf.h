/*
 * edud's configuration: one list of keys, read from the config file (--config, default
 * SYSCONFDIR/edu/edu.conf), then the environment (EDU_KEY), then flags (--key VALUE), each
 * stronger than the one before. man/edu.conf.5.scd documents every key; `edud
 * --print-config` prints the result.
 *
 * To add a key: add a line here, and to edu.conf(5).
 */
#ifndef SRV_CONF_H
#define SRV_CONF_H

enum srv_cfg_type { CFG_STR, CFG_INT, CFG_BOOL };

/*      name                   type      default                    help */
#define SRV_CONFIG_LIST(X) \
	X(listen,               CFG_STR,  "127.0.0.1:8080",          "address:port to listen on (port 0: any free port)") \
	X(database_url,         CFG_STR,  "",                        "PostgreSQL URL for the application role; empty: run the embedded cluster") \
	X(database_owner_url,   CFG_STR,  "",                        "PostgreSQL URL for the schema owner (migrations); empty: database_url") \
	X(data_dir,             CFG_STR,  "",                        "state directory (embedded cluster, keys, files); default " LOCALSTATEDIR "/lib/edu, or $XDG_DATA_HOME/edu when not root") \
	X(sql_dir,              CFG_STR,  PKGDATADIR "/sql",         "directory of the numbered SQL migrations") \
	X(pg_bindir,            CFG_STR,  PG_BINDIR,                 "directory of initdb, pg_ctl and postgres for the embedded cluster; empty: the newest /usr/lib/postgresql/*/bin, else the PATH") \
	X(pg_user,              CFG_STR,  "postgres",                "user the embedded cluster runs as when edud runs as root") \
	X(threads,              CFG_INT,  "0",                       "HTTP worker threads (0: two per core)") \
	X(cpu_affinity,         CFG_BOOL, "true",                    "pin each worker and its embedded-cluster backend to one core") \
	X(jwt_secret,           CFG_STR,  "",                        "HMAC key for access tokens (at least 32 bytes); empty: a key kept in data_dir") \
	X(jwt_issuer,           CFG_STR,  "edud",                    "iss claim of access tokens") \
	X(jwt_audience,         CFG_STR,  "edu",                     "aud claim of access tokens") \
	X(access_ttl,           CFG_INT,  "900",                     "access token lifetime, seconds") \
	X(refresh_ttl,          CFG_INT,  "2592000",                 "refresh token lifetime, seconds") \
	X(refresh_grace,        CFG_INT,  "5",                       "seconds in which a just-rotated refresh token is not treated as reuse") \
	X(activation_ttl,       CFG_INT,  "604800",                  "activation code lifetime, seconds") \
	X(max_body,             CFG_INT,  "1048576",                 "largest JSON request body, bytes") \
	X(max_upload,           CFG_INT,  "104857600",               "largest uploaded file, bytes (an assignment may set less)") \
	X(upload_quota,         CFG_INT,  "1073741824",              "bytes of uploaded files each user may keep (0: no limit)") \
	X(idempotency_ttl,      CFG_INT,  "86400",                   "seconds an Idempotency-Key and its answer are kept") \
	X(login_max_failures,   CFG_INT,  "100",                     "failed logins per account per login_failure_window before 429") \
	X(login_failure_window, CFG_INT,  "3600",                    "seconds") \
	X(login_max_per_address, CFG_INT, "300",                     "login attempts per client address per login_address_window before 429 (0: no limit); one count for every edud on the database") \
	X(login_address_window, CFG_INT,  "900",                     "seconds") \
	X(max_connections,      CFG_INT,  "10000",                   "HTTP connections at once, idle event streams included (0: as many as the open-file limit allows)") \
	X(max_connections_per_address, CFG_INT, "256",               "connections at once from one client address, an IPv6 one by its /64 (0: no limit; trusted_proxies are not limited)") \
	X(header_timeout,       CFG_INT,  "10",                      "seconds in which a request's whole header must arrive (0: no limit)") \
	X(trusted_proxies,      CFG_STR,  "",                        "load balancers whose X-Forwarded-For names the client (addresses or CIDR ranges)") \
	X(hash_threads,         CFG_INT,  "0",                       "password hashes computed at once (0: half the cores, at least 1)") \
	X(port_file,            CFG_STR,  "",                        "write the bound port here once listening") \
	X(pid_file,             CFG_STR,  "",                        "write edud's pid here") \
	X(log_requests,         CFG_BOOL, "true",                    "one line per request on stderr")

struct srv_config {
#define X(name, type, def, help) char *name##_s; long name;
	SRV_CONFIG_LIST(X)
#undef X
	char *config_file;
};

extern struct srv_config srv_cfg;

/*
 * Loads the configuration: defaults, file, environment, then argv flags. Consumes the
 * flags it knows from argv (compacting it; *argc updated). Returns 0, or -1 after printing
 * an error (file:line for the config file).
 */
int srv_config_load(int *argc, char **argv);
/* Sets one key from a string; -1 (with a message in err) when the key or value is bad. */
int srv_config_set(const char *key, const char *value, char *err, size_t errlen);
void srv_config_print(void);
void srv_config_usage(void);
void srv_config_free(void);

#endif
