/* libsigs.c - the library signature table: canonical dotted names of known
 * library calls (functions, constructors and methods of known library types,
 * written "pkg.Type.method") with their effects, the async advice and flags,
 * and - for constructors and type-returning methods - the library type of
 * the value they return (which is how receivers get their type).
 *
 * Naming: a method of a library type T is "T.m"; a family is "prefix.*"
 * (found by pa_libsig_lookup when no exact entry exists). A "#w" key holds
 * the DB_WRITE variant of an SQL-executing call (PA_LIBX_SQL): the index
 * picks it when the SQL argument is an UPDATE/DELETE/INSERT.
 *
 * DESIGN: the table is static const data; a pa_strmap over it is built once
 * under pthread_once (pa_libsig_init, also called by pa_index_build) and is
 * read-only afterwards, so lookups are thread-safe.
 */
#include "index_int.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct libsig_ent {
    const char *key;        /* lookup key (name, or name + "#w") */
    struct pa_libsig sig;   /* the public signature */
    const char *returns;    /* library type of the returned value, or NULL */
};

#define FIO PA_EFF_FILE_IO
#define NIO PA_EFF_NET_IO
#define SUB PA_EFF_SUBPROCESS
#define SLP PA_EFF_SLEEP
#define ASLP PA_EFF_ASYNC_SLEEP
#define CPU PA_EFF_CPU
#define DBR PA_EFF_DB_READ
#define DBW PA_EFF_DB_WRITE
#define CMT PA_EFF_COMMIT
#define RBK PA_EFF_ROLLBACK
#define BEG PA_EFF_BEGIN
#define EXT PA_EFF_EXTERNAL
#define SDB PA_EFF_SYNC_DB
#define INP PA_EFF_INPUT

#define OFF PA_LIB_OFFLOAD
#define ASY PA_LIB_ASYNC_API
#define CTOR PA_LIB_CONSTRUCTOR
#define SQL PA_LIBX_SQL
#define DEF PA_LIB_DEFER
#define CORO (PA_LIB_DEFER | PA_LIBX_CORO)
#define DEFL (PA_LIB_DEFER | PA_LIBX_ONLOOP)

#define A_SLEEP "await asyncio.sleep(...)"
#define A_HTTP "httpx.AsyncClient"
#define A_FILE "aiofiles / anyio.Path, or await asyncio.to_thread(...)"
#define A_SUB "asyncio.create_subprocess_exec(...)"
#define A_CPU "await asyncio.to_thread(...) or a process pool"
#define A_DB "an async driver (asyncpg, AsyncSession) or await asyncio.to_thread(...)"
#define A_SOCK "asyncio.open_connection(...)"
#define A_SMTP "aiosmtplib"
#define A_FTP "aioftp, or await asyncio.to_thread(...)"
#define A_NET "an async client, or await asyncio.to_thread(...)"
#define A_INPUT "read input before the event loop starts, or await asyncio.to_thread(input, ...)"

#define E(n, eff, adv, fl) {n, {n, (eff), adv, (fl)}, NULL}
#define T(n, eff, adv, fl, ret) {n, {n, (eff), adv, (fl)}, ret}
#define W(n, eff, adv) {n "#w", {n, (eff), adv, SQL}, NULL}
#define AW(n, eff) {n "#w", {n, (eff), NULL, SQL | ASY}, NULL}

/* A DB-API 2.0 driver: connect(), Connection and Cursor methods. */
#define DBAPI(d)                                                                   \
    T(d ".connect", SDB, A_DB, CTOR, d ".Connection"),                             \
    T(d ".Connection", 0, NULL, CTOR, d ".Connection"),                            \
    T(d ".Connection.cursor", 0, NULL, CTOR, d ".Cursor"),                         \
    T(d ".Connection.execute", DBR | SDB, A_DB, SQL, d ".Cursor"),                 \
    W(d ".Connection.execute", DBW | SDB, A_DB),                                   \
    E(d ".Connection.executemany", DBW | SDB, A_DB, 0),                            \
    E(d ".Connection.executescript", DBW | SDB, A_DB, 0),                          \
    E(d ".Connection.commit", CMT | SDB, A_DB, 0),                                 \
    E(d ".Connection.rollback", RBK | SDB, A_DB, 0),                               \
    T(d ".Cursor", 0, NULL, CTOR, d ".Cursor"),                                    \
    E(d ".Cursor.execute", DBR | SDB, A_DB, SQL),                                  \
    W(d ".Cursor.execute", DBW | SDB, A_DB),                                       \
    E(d ".Cursor.executemany", DBW | SDB, A_DB, 0),                                \
    E(d ".Cursor.fetchone", 0, NULL, 0),                                           \
    E(d ".Cursor.fetchall", 0, NULL, 0),                                           \
    E(d ".Cursor.fetchmany", 0, NULL, 0)

/* A SQLAlchemy-style sync session type S (Session or a scoped session). */
#define SA_SESSION(S)                                                              \
    T(S, 0, NULL, CTOR, "sqlalchemy.orm.Session"),                                 \
    E(S ".get", DBR | SDB, A_DB, 0),                                               \
    T(S ".execute", DBR | SDB, A_DB, SQL, "sqlalchemy.engine.Result"),             \
    W(S ".execute", DBW | SDB, A_DB),                                              \
    T(S ".exec", DBR | SDB, A_DB, SQL, "sqlalchemy.engine.Result"),                \
    W(S ".exec", DBW | SDB, A_DB),                                                 \
    E(S ".scalars", DBR | SDB, A_DB, 0),                                           \
    E(S ".scalar", DBR | SDB, A_DB, 0),                                            \
    T(S ".query", DBR | SDB, A_DB, 0, "sqlalchemy.orm.Query"),                     \
    E(S ".add", DBW, NULL, 0),                                                     \
    E(S ".add_all", DBW, NULL, 0),                                                 \
    E(S ".delete", DBW, NULL, 0),                                                  \
    E(S ".merge", DBW | SDB, A_DB, 0),                                             \
    E(S ".flush", DBW | SDB, A_DB, 0),                                             \
    E(S ".bulk_save_objects", DBW | SDB, A_DB, 0),                                 \
    E(S ".bulk_insert_mappings", DBW | SDB, A_DB, 0),                              \
    E(S ".bulk_update_mappings", DBW | SDB, A_DB, 0),                              \
    E(S ".commit", CMT | SDB, A_DB, 0),                                            \
    E(S ".rollback", RBK | SDB, A_DB, 0),                                          \
    E(S ".begin", BEG, NULL, 0),                                                   \
    E(S ".begin_nested", BEG, NULL, 0),                                            \
    E(S ".refresh", DBR | SDB, A_DB, 0)

/* The async twin: awaited IO methods are not blocking. */
#define SA_ASYNC_SESSION(S)                                                        \
    T(S, 0, NULL, CTOR, "sqlalchemy.ext.asyncio.AsyncSession"),                    \
    E(S ".get", DBR, NULL, ASY),                                                   \
    T(S ".execute", DBR, NULL, ASY | SQL, "sqlalchemy.engine.Result"),             \
    AW(S ".execute", DBW),                                                         \
    T(S ".exec", DBR, NULL, ASY | SQL, "sqlalchemy.engine.Result"),                \
    AW(S ".exec", DBW),                                                            \
    E(S ".scalars", DBR, NULL, ASY),                                               \
    E(S ".scalar", DBR, NULL, ASY),                                                \
    E(S ".stream", DBR, NULL, ASY),                                                \
    E(S ".stream_scalars", DBR, NULL, ASY),                                        \
    E(S ".add", DBW, NULL, 0),                                                     \
    E(S ".add_all", DBW, NULL, 0),                                                 \
    E(S ".delete", DBW, NULL, ASY),                                                \
    E(S ".merge", DBW, NULL, ASY),                                                 \
    E(S ".flush", DBW, NULL, ASY),                                                 \
    E(S ".commit", CMT, NULL, ASY),                                                \
    E(S ".rollback", RBK, NULL, ASY),                                              \
    E(S ".begin", BEG, NULL, 0),                                                   \
    E(S ".begin_nested", BEG, NULL, 0),                                            \
    E(S ".refresh", DBR, NULL, ASY),                                               \
    E(S ".run_sync", 0, NULL, ASY)

/* Django QuerySet / Manager methods (sync ORM: blocking in async code). */
#define DJ(T_)                                                                     \
    T(T_ ".all", DBR | SDB, A_DB, 0, "django.db.models.QuerySet"),                 \
    T(T_ ".filter", DBR | SDB, A_DB, 0, "django.db.models.QuerySet"),              \
    T(T_ ".exclude", DBR | SDB, A_DB, 0, "django.db.models.QuerySet"),             \
    T(T_ ".order_by", 0, NULL, 0, "django.db.models.QuerySet"),                    \
    T(T_ ".select_related", 0, NULL, 0, "django.db.models.QuerySet"),              \
    T(T_ ".prefetch_related", 0, NULL, 0, "django.db.models.QuerySet"),            \
    T(T_ ".only", 0, NULL, 0, "django.db.models.QuerySet"),                        \
    T(T_ ".defer", 0, NULL, 0, "django.db.models.QuerySet"),                       \
    T(T_ ".annotate", 0, NULL, 0, "django.db.models.QuerySet"),                    \
    T(T_ ".distinct", 0, NULL, 0, "django.db.models.QuerySet"),                    \
    T(T_ ".using", 0, NULL, 0, "django.db.models.QuerySet"),                       \
    T(T_ ".select_for_update", DBR | SDB, A_DB, 0, "django.db.models.QuerySet"),   \
    T(T_ ".values", DBR | SDB, A_DB, 0, "django.db.models.QuerySet"),              \
    T(T_ ".values_list", DBR | SDB, A_DB, 0, "django.db.models.QuerySet"),         \
    E(T_ ".get", DBR | SDB, A_DB, 0),                                              \
    E(T_ ".first", DBR | SDB, A_DB, 0),                                            \
    E(T_ ".last", DBR | SDB, A_DB, 0),                                             \
    E(T_ ".count", DBR | SDB, A_DB, 0),                                            \
    E(T_ ".exists", DBR | SDB, A_DB, 0),                                           \
    E(T_ ".aggregate", DBR | SDB, A_DB, 0),                                        \
    E(T_ ".in_bulk", DBR | SDB, A_DB, 0),                                          \
    E(T_ ".iterator", DBR | SDB, A_DB, 0),                                         \
    E(T_ ".latest", DBR | SDB, A_DB, 0),                                           \
    E(T_ ".earliest", DBR | SDB, A_DB, 0),                                         \
    E(T_ ".get_or_create", DBR | DBW | SDB, A_DB, 0),                              \
    E(T_ ".update_or_create", DBR | DBW | SDB, A_DB, 0),                           \
    E(T_ ".create", DBW | SDB, A_DB, 0),                                           \
    E(T_ ".bulk_create", DBW | SDB, A_DB, 0),                                      \
    E(T_ ".bulk_update", DBW | SDB, A_DB, 0),                                      \
    E(T_ ".update", DBW | SDB, A_DB, 0),                                           \
    E(T_ ".delete", DBW | SDB, A_DB, 0),                                           \
    E(T_ ".aget", DBR, NULL, ASY),                                                 \
    E(T_ ".afirst", DBR, NULL, ASY),                                               \
    E(T_ ".acount", DBR, NULL, ASY),                                               \
    E(T_ ".aexists", DBR, NULL, ASY),                                              \
    E(T_ ".acreate", DBW, NULL, ASY),                                              \
    E(T_ ".aupdate", DBW, NULL, ASY),                                              \
    E(T_ ".adelete", DBW, NULL, ASY)

#define HTTP_VERBS(P, eff, adv, fl)                                                \
    E(P ".get", eff, adv, fl), E(P ".post", eff, adv, fl),                         \
    E(P ".put", eff, adv, fl), E(P ".patch", eff, adv, fl),                        \
    E(P ".delete", eff, adv, fl), E(P ".head", eff, adv, fl),                      \
    E(P ".options", eff, adv, fl), E(P ".request", eff, adv, fl)

#define PATH_IO(P, eff, adv, fl)                                                   \
    E(P ".read_text", eff, adv, fl), E(P ".write_text", eff, adv, fl),             \
    E(P ".read_bytes", eff, adv, fl), E(P ".write_bytes", eff, adv, fl),           \
    E(P ".iterdir", eff, adv, fl), E(P ".glob", eff, adv, fl),                     \
    E(P ".rglob", eff, adv, fl), E(P ".exists", eff, adv, fl),                     \
    E(P ".stat", eff, adv, fl), E(P ".lstat", eff, adv, fl),                       \
    E(P ".unlink", eff, adv, fl), E(P ".mkdir", eff, adv, fl),                     \
    E(P ".rmdir", eff, adv, fl), E(P ".is_file", eff, adv, fl),                    \
    E(P ".is_dir", eff, adv, fl), E(P ".is_symlink", eff, adv, fl),                \
    E(P ".touch", eff, adv, fl), E(P ".rename", eff, adv, fl),                     \
    E(P ".replace", eff, adv, fl), E(P ".chmod", eff, adv, fl),                    \
    E(P ".samefile", eff, adv, fl), E(P ".readlink", eff, adv, fl),                \
    E(P ".symlink_to", eff, adv, fl), E(P ".owner", eff, adv, fl),                 \
    E(P ".group", eff, adv, fl)

static const struct libsig_ent k_sigs[] = {
    /* ---- sleeping ---------------------------------------------------- */
    E("time.sleep", SLP, A_SLEEP, 0),
    E("asyncio.sleep", ASLP, NULL, ASY),
    E("anyio.sleep", ASLP, NULL, ASY),
    E("trio.sleep", ASLP, NULL, ASY),
    E("gevent.sleep", 0, NULL, 0),

    /* ---- files ------------------------------------------------------- */
    T("builtins.open", FIO, A_FILE, CTOR, "io.IOBase"),
    T("io.open", FIO, A_FILE, CTOR, "io.IOBase"),
    T("codecs.open", FIO, A_FILE, CTOR, "io.IOBase"),
    T("os.fdopen", FIO, A_FILE, CTOR, "io.IOBase"),
    E("io.IOBase.read", FIO, A_FILE, 0),
    E("io.IOBase.write", FIO, A_FILE, 0),
    E("io.IOBase.readline", FIO, A_FILE, 0),
    E("io.IOBase.readlines", FIO, A_FILE, 0),
    E("io.IOBase.writelines", FIO, A_FILE, 0),
    E("io.IOBase.flush", FIO, A_FILE, 0),
    E("io.IOBase.truncate", FIO, A_FILE, 0),
    E("os.open", FIO, A_FILE, 0),
    E("os.read", FIO, A_FILE, 0),
    E("os.write", FIO, A_FILE, 0),
    E("os.fsync", FIO, A_FILE, 0),
    E("os.remove", FIO, A_FILE, 0),
    E("os.unlink", FIO, A_FILE, 0),
    E("os.rename", FIO, A_FILE, 0),
    E("os.renames", FIO, A_FILE, 0),
    E("os.replace", FIO, A_FILE, 0),
    E("os.listdir", FIO, A_FILE, 0),
    E("os.scandir", FIO, A_FILE, 0),
    E("os.walk", FIO, A_FILE, 0),
    E("os.makedirs", FIO, A_FILE, 0),
    E("os.mkdir", FIO, A_FILE, 0),
    E("os.rmdir", FIO, A_FILE, 0),
    E("os.removedirs", FIO, A_FILE, 0),
    E("os.stat", FIO, A_FILE, 0),
    E("os.lstat", FIO, A_FILE, 0),
    E("os.chmod", FIO, A_FILE, 0),
    E("os.chown", FIO, A_FILE, 0),
    E("os.access", FIO, A_FILE, 0),
    E("os.symlink", FIO, A_FILE, 0),
    E("os.link", FIO, A_FILE, 0),
    E("os.utime", FIO, A_FILE, 0),
    E("os.truncate", FIO, A_FILE, 0),
    E("os.path.exists", FIO, A_FILE, 0),
    E("os.path.lexists", FIO, A_FILE, 0),
    E("os.path.isfile", FIO, A_FILE, 0),
    E("os.path.isdir", FIO, A_FILE, 0),
    E("os.path.islink", FIO, A_FILE, 0),
    E("os.path.getsize", FIO, A_FILE, 0),
    E("os.path.getmtime", FIO, A_FILE, 0),
    E("os.path.getctime", FIO, A_FILE, 0),
    E("os.path.getatime", FIO, A_FILE, 0),
    E("os.path.samefile", FIO, A_FILE, 0),
    E("os.path.realpath", FIO, A_FILE, 0),
    T("pathlib.Path", 0, NULL, CTOR, "pathlib.Path"),
    T("pathlib.PosixPath", 0, NULL, CTOR, "pathlib.Path"),
    T("pathlib.WindowsPath", 0, NULL, CTOR, "pathlib.Path"),
    T("pathlib.Path.open", FIO, A_FILE, CTOR, "io.IOBase"),
    T("pathlib.Path.joinpath", 0, NULL, CTOR, "pathlib.Path"),
    T("pathlib.Path.with_suffix", 0, NULL, CTOR, "pathlib.Path"),
    T("pathlib.Path.with_name", 0, NULL, CTOR, "pathlib.Path"),
    T("pathlib.Path.with_stem", 0, NULL, CTOR, "pathlib.Path"),
    T("pathlib.Path.resolve", FIO, A_FILE, CTOR, "pathlib.Path"),
    T("pathlib.Path.absolute", 0, NULL, CTOR, "pathlib.Path"),
    T("pathlib.Path.expanduser", 0, NULL, CTOR, "pathlib.Path"),
    T("pathlib.Path.cwd", 0, NULL, CTOR, "pathlib.Path"),
    T("pathlib.Path.home", 0, NULL, CTOR, "pathlib.Path"),
    PATH_IO("pathlib.Path", FIO, A_FILE, 0),
    E("shutil.copy", FIO, A_FILE, 0),
    E("shutil.copy2", FIO, A_FILE, 0),
    E("shutil.copyfile", FIO, A_FILE, 0),
    E("shutil.copyfileobj", FIO, A_FILE, 0),
    E("shutil.copytree", FIO, A_FILE, 0),
    E("shutil.move", FIO, A_FILE, 0),
    E("shutil.rmtree", FIO, A_FILE, 0),
    E("shutil.make_archive", FIO | CPU, A_FILE, 0),
    E("shutil.unpack_archive", FIO | CPU, A_FILE, 0),
    E("shutil.disk_usage", FIO, A_FILE, 0),
    E("glob.glob", FIO, A_FILE, 0),
    E("glob.iglob", FIO, A_FILE, 0),
    E("tempfile.mkstemp", FIO, A_FILE, 0),
    E("tempfile.mkdtemp", FIO, A_FILE, 0),
    T("tempfile.NamedTemporaryFile", FIO, A_FILE, CTOR, "io.IOBase"),
    T("tempfile.TemporaryFile", FIO, A_FILE, CTOR, "io.IOBase"),
    /* async file APIs: not blocking */
    T("aiofiles.open", 0, NULL, ASY | CTOR, "aiofiles.File"),
    E("aiofiles.File.*", 0, NULL, ASY),
    E("aiofiles.os.*", 0, NULL, ASY),
    T("anyio.Path", 0, NULL, CTOR, "anyio.Path"),
    E("anyio.Path.*", 0, NULL, ASY),
    E("anyio.open_file", 0, NULL, ASY),
    T("trio.Path", 0, NULL, CTOR, "trio.Path"),
    E("trio.Path.*", 0, NULL, ASY),
    E("trio.open_file", 0, NULL, ASY),

    /* ---- HTTP and network -------------------------------------------- */
    HTTP_VERBS("requests", NIO | EXT, A_HTTP, 0),
    T("requests.Session", 0, NULL, CTOR, "requests.Session"),
    T("requests.session", 0, NULL, CTOR, "requests.Session"),
    T("requests.sessions.Session", 0, NULL, CTOR, "requests.Session"),
    HTTP_VERBS("requests.Session", NIO | EXT, A_HTTP, 0),
    E("requests.Session.send", NIO | EXT, A_HTTP, 0),
    E("urllib.request.urlopen", NIO | EXT, A_HTTP, 0),
    E("urllib.request.urlretrieve", NIO | EXT | FIO, A_HTTP, 0),
    E("urllib.request.OpenerDirector.open", NIO | EXT, A_HTTP, 0),
    T("urllib3.PoolManager", 0, NULL, CTOR, "urllib3.PoolManager"),
    T("urllib3.HTTPConnectionPool", 0, NULL, CTOR, "urllib3.PoolManager"),
    T("urllib3.HTTPSConnectionPool", 0, NULL, CTOR, "urllib3.PoolManager"),
    E("urllib3.PoolManager.request", NIO | EXT, A_HTTP, 0),
    E("urllib3.PoolManager.urlopen", NIO | EXT, A_HTTP, 0),
    E("urllib3.request", NIO | EXT, A_HTTP, 0),
    E("urllib3.*", 0, NULL, 0),
    HTTP_VERBS("httpx", NIO | EXT, A_HTTP, 0),
    E("httpx.stream", NIO | EXT, A_HTTP, 0),
    T("httpx.Client", 0, NULL, CTOR, "httpx.Client"),
    HTTP_VERBS("httpx.Client", NIO | EXT, A_HTTP, 0),
    E("httpx.Client.stream", NIO | EXT, A_HTTP, 0),
    E("httpx.Client.send", NIO | EXT, A_HTTP, 0),
    T("httpx.AsyncClient", 0, NULL, CTOR, "httpx.AsyncClient"),
    HTTP_VERBS("httpx.AsyncClient", EXT, NULL, ASY),
    E("httpx.AsyncClient.stream", EXT, NULL, ASY),
    E("httpx.AsyncClient.send", EXT, NULL, ASY),
    T("aiohttp.ClientSession", 0, NULL, CTOR, "aiohttp.ClientSession"),
    HTTP_VERBS("aiohttp.ClientSession", EXT, NULL, ASY),
    E("aiohttp.ClientSession.ws_connect", EXT, NULL, ASY),
    E("aiohttp.request", EXT, NULL, ASY),
    T("http.client.HTTPConnection", 0, NULL, CTOR, "http.client.HTTPConnection"),
    T("http.client.HTTPSConnection", 0, NULL, CTOR, "http.client.HTTPConnection"),
    E("http.client.HTTPConnection.request", NIO | EXT, A_HTTP, 0),
    E("http.client.HTTPConnection.getresponse", NIO | EXT, A_HTTP, 0),
    E("http.client.HTTPConnection.connect", NIO | EXT, A_HTTP, 0),
    T("socket.socket", 0, NULL, CTOR, "socket.socket"),
    T("socket.create_connection", NIO, A_SOCK, CTOR, "socket.socket"),
    E("socket.getaddrinfo", NIO, A_SOCK, 0),
    E("socket.gethostbyname", NIO, A_SOCK, 0),
    E("socket.socket.connect", NIO, A_SOCK, 0),
    E("socket.socket.recv", NIO, A_SOCK, 0),
    E("socket.socket.recvfrom", NIO, A_SOCK, 0),
    E("socket.socket.send", NIO, A_SOCK, 0),
    E("socket.socket.sendall", NIO, A_SOCK, 0),
    E("socket.socket.sendto", NIO, A_SOCK, 0),
    T("socket.socket.accept", NIO, A_SOCK, CTOR, "socket.socket"),
    T("smtplib.SMTP", NIO | EXT, A_SMTP, CTOR, "smtplib.SMTP"),
    T("smtplib.SMTP_SSL", NIO | EXT, A_SMTP, CTOR, "smtplib.SMTP"),
    E("smtplib.SMTP.sendmail", NIO | EXT, A_SMTP, 0),
    E("smtplib.SMTP.send_message", NIO | EXT, A_SMTP, 0),
    E("smtplib.SMTP.login", NIO | EXT, A_SMTP, 0),
    E("smtplib.SMTP.starttls", NIO | EXT, A_SMTP, 0),
    E("smtplib.SMTP.connect", NIO | EXT, A_SMTP, 0),
    E("smtplib.SMTP.quit", NIO | EXT, A_SMTP, 0),
    T("ftplib.FTP", NIO | EXT, A_FTP, CTOR, "ftplib.FTP"),
    T("ftplib.FTP_TLS", NIO | EXT, A_FTP, CTOR, "ftplib.FTP"),
    E("ftplib.FTP.*", NIO | EXT, A_FTP, 0),
    /* SDK clients: every method call on a client (through any attribute
     * path: s3.meta.client.upload_file, client.chat.completions.create) is a
     * network call - see pa_libsig_attr_type. */
    T("boto3.client", 0, NULL, CTOR, "boto3.Client"),
    T("boto3.resource", 0, NULL, CTOR, "boto3.Client"),
    T("boto3.Session", 0, NULL, CTOR, "boto3.session.Session"),
    T("boto3.session.Session", 0, NULL, CTOR, "boto3.session.Session"),
    T("boto3.session.Session.client", 0, NULL, CTOR, "boto3.Client"),
    T("boto3.session.Session.resource", 0, NULL, CTOR, "boto3.Client"),
    E("boto3.Client.*", NIO | EXT, A_NET, 0),
    T("grpc.insecure_channel", 0, NULL, CTOR, "grpc.Channel"),
    T("grpc.secure_channel", 0, NULL, CTOR, "grpc.Channel"),
    E("grpc.channel_ready_future", NIO | EXT, A_NET, 0),
    E("grpc.aio.*", EXT, NULL, ASY),
    /* a generated gRPC stub (any *Stub(channel)); awaited calls use the aio twin */
    T("grpc.Stub", 0, NULL, CTOR, "grpc.Stub"),
    E("grpc.Stub.*", NIO | EXT, A_NET, 0),
    E("grpc.aio.Stub.*", EXT, NULL, ASY),
    /* stripe: module-level resources call the API (stripe.Charge.create) */
    E("stripe.*", NIO | EXT, A_NET, 0),
    E("stripe.Webhook.construct_event", 0, NULL, 0),
    E("stripe.WebhookSignature.verify_header", 0, NULL, 0),
    T("stripe.StripeClient", 0, NULL, CTOR, "stripe.StripeClient"),
    E("stripe.StripeClient.*", NIO | EXT, A_NET, 0),
    T("twilio.rest.Client", 0, NULL, CTOR, "twilio.rest.Client"),
    E("twilio.rest.Client.*", NIO | EXT, A_NET, 0),
    T("sendgrid.SendGridAPIClient", 0, NULL, CTOR, "sendgrid.SendGridAPIClient"),
    E("sendgrid.SendGridAPIClient.*", NIO | EXT, A_NET, 0),
    T("slack_sdk.WebClient", 0, NULL, CTOR, "slack_sdk.WebClient"),
    E("slack_sdk.WebClient.*", NIO | EXT, A_NET, 0),
    T("slack_sdk.web.async_client.AsyncWebClient", 0, NULL, CTOR, "slack_sdk.AsyncWebClient"),
    E("slack_sdk.AsyncWebClient.*", EXT, NULL, ASY),
    T("hvac.Client", 0, NULL, CTOR, "hvac.Client"),
    E("hvac.Client.*", NIO | EXT, A_NET, 0),
    T("openai.OpenAI", 0, NULL, CTOR, "openai.OpenAI"),
    E("openai.OpenAI.*", NIO | EXT, A_NET, 0),
    T("openai.AsyncOpenAI", 0, NULL, CTOR, "openai.AsyncOpenAI"),
    E("openai.AsyncOpenAI.*", EXT, NULL, ASY),
    T("anthropic.Anthropic", 0, NULL, CTOR, "anthropic.Anthropic"),
    E("anthropic.Anthropic.*", NIO | EXT, A_NET, 0),
    T("anthropic.AsyncAnthropic", 0, NULL, CTOR, "anthropic.AsyncAnthropic"),
    E("anthropic.AsyncAnthropic.*", EXT, NULL, ASY),
    T("elasticsearch.Elasticsearch", 0, NULL, CTOR, "elasticsearch.Elasticsearch"),
    E("elasticsearch.Elasticsearch.*", NIO | EXT, A_NET, 0),
    T("elasticsearch.AsyncElasticsearch", 0, NULL, CTOR, "elasticsearch.AsyncElasticsearch"),
    E("elasticsearch.AsyncElasticsearch.*", EXT, NULL, ASY),
    T("pika.BlockingConnection", NIO | EXT, A_NET, CTOR, "pika.BlockingConnection"),
    E("pika.BlockingConnection.*", NIO | EXT, A_NET, 0),
    T("google.cloud.storage.Client", 0, NULL, CTOR, "google.cloud.Client"),
    T("google.cloud.bigquery.Client", 0, NULL, CTOR, "google.cloud.Client"),
    T("google.cloud.pubsub_v1.PublisherClient", 0, NULL, CTOR, "google.cloud.Client"),
    T("google.cloud.firestore.Client", 0, NULL, CTOR, "google.cloud.Client"),
    E("google.cloud.Client.*", NIO | EXT, A_NET, 0),

    E("django.core.mail.send_mail", NIO | EXT, A_SMTP, 0),
    E("django.core.mail.send_mass_mail", NIO | EXT, A_SMTP, 0),
    E("django.core.mail.mail_admins", NIO | EXT, A_SMTP, 0),
    E("django.core.mail.mail_managers", NIO | EXT, A_SMTP, 0),
    T("django.core.mail.EmailMessage", 0, NULL, CTOR, "django.core.mail.EmailMessage"),
    T("django.core.mail.EmailMultiAlternatives", 0, NULL, CTOR, "django.core.mail.EmailMessage"),
    T("django.core.mail.message.EmailMessage", 0, NULL, CTOR, "django.core.mail.EmailMessage"),
    E("django.core.mail.EmailMessage.send", NIO | EXT, A_SMTP, 0),
    T("redis.Redis", 0, NULL, CTOR, "redis.Redis"),
    T("redis.StrictRedis", 0, NULL, CTOR, "redis.Redis"),
    T("redis.from_url", 0, NULL, CTOR, "redis.Redis"),
    T("redis.Redis.from_url", 0, NULL, CTOR, "redis.Redis"),
    T("redis.Redis.pipeline", 0, NULL, CTOR, "redis.Redis"),
    E("redis.Redis.*", NIO, "redis.asyncio", 0),
    T("redis.asyncio.Redis", 0, NULL, CTOR, "redis.asyncio.Redis"),
    T("redis.asyncio.from_url", 0, NULL, CTOR, "redis.asyncio.Redis"),
    E("redis.asyncio.Redis.*", 0, NULL, ASY),
    /* task queues: publishing goes over the broker */
    E("celery.Task.delay", NIO, NULL, DEF),
    E("celery.Task.apply_async", NIO, NULL, DEF),
    T("celery.Celery", 0, NULL, CTOR, "celery.Celery"),
    E("celery.Celery.send_task", NIO, NULL, DEF),
    E("dramatiq.Actor.send", NIO, NULL, DEF),
    E("dramatiq.Actor.send_with_options", NIO, NULL, DEF),
    /* Flask-SQLAlchemy: db.session is a Session (pa_libsig_attr_type) */
    T("flask_sqlalchemy.SQLAlchemy", 0, NULL, CTOR, "flask_sqlalchemy.SQLAlchemy"),

    /* ---- subprocesses ------------------------------------------------ */
    E("subprocess.run", SUB, A_SUB, 0),
    E("subprocess.call", SUB, A_SUB, 0),
    E("subprocess.check_call", SUB, A_SUB, 0),
    E("subprocess.check_output", SUB, A_SUB, 0),
    E("subprocess.getoutput", SUB, A_SUB, 0),
    E("subprocess.getstatusoutput", SUB, A_SUB, 0),
    T("subprocess.Popen", SUB, A_SUB, CTOR, "subprocess.Popen"),
    E("subprocess.Popen.wait", SUB, A_SUB, 0),
    E("subprocess.Popen.communicate", SUB, A_SUB, 0),
    E("os.system", SUB, A_SUB, 0),
    E("os.popen", SUB, A_SUB, 0),
    E("os.spawnl", SUB, A_SUB, 0),
    E("os.spawnle", SUB, A_SUB, 0),
    E("os.spawnlp", SUB, A_SUB, 0),
    E("os.spawnv", SUB, A_SUB, 0),
    E("os.spawnve", SUB, A_SUB, 0),
    E("os.spawnvp", SUB, A_SUB, 0),
    E("os.wait", SUB, A_SUB, 0),
    E("os.waitpid", SUB, A_SUB, 0),
    E("os.wait3", SUB, A_SUB, 0),
    E("os.wait4", SUB, A_SUB, 0),
    E("os.execv", SUB, A_SUB, 0),
    E("os.execve", SUB, A_SUB, 0),
    E("os.execvp", SUB, A_SUB, 0),
    E("os.execl", SUB, A_SUB, 0),
    E("os.execlp", SUB, A_SUB, 0),
    E("asyncio.create_subprocess_exec", 0, NULL, ASY),
    E("asyncio.create_subprocess_shell", 0, NULL, ASY),

    /* ---- console ----------------------------------------------------- */
    E("builtins.input", INP, A_INPUT, 0),

    /* ---- raw DB drivers ---------------------------------------------- */
    DBAPI("psycopg2"),
    DBAPI("psycopg"),
    DBAPI("sqlite3"),
    DBAPI("pymysql"),
    DBAPI("MySQLdb"),
    T("psycopg2.extensions.connection", 0, NULL, CTOR, "psycopg2.Connection"),
    T("psycopg2.extensions.cursor", 0, NULL, CTOR, "psycopg2.Cursor"),
    T("psycopg.Connection.connect", SDB, A_DB, CTOR, "psycopg.Connection"),
    T("pymysql.connections.Connection", 0, NULL, CTOR, "pymysql.Connection"),
    T("asyncpg.connect", 0, NULL, ASY | CTOR, "asyncpg.Connection"),
    T("asyncpg.create_pool", 0, NULL, ASY | CTOR, "asyncpg.Pool"),
    T("asyncpg.Connection", 0, NULL, CTOR, "asyncpg.Connection"),
    T("asyncpg.connection.Connection", 0, NULL, CTOR, "asyncpg.Connection"),
    T("asyncpg.Pool", 0, NULL, CTOR, "asyncpg.Pool"),
    T("asyncpg.pool.Pool", 0, NULL, CTOR, "asyncpg.Pool"),
    E("asyncpg.Connection.execute", DBR, NULL, ASY | SQL),
    AW("asyncpg.Connection.execute", DBW),
    E("asyncpg.Connection.executemany", DBW, NULL, ASY),
    E("asyncpg.Connection.fetch", DBR, NULL, ASY | SQL),
    AW("asyncpg.Connection.fetch", DBW),
    E("asyncpg.Connection.fetchrow", DBR, NULL, ASY | SQL),
    AW("asyncpg.Connection.fetchrow", DBW),
    E("asyncpg.Connection.fetchval", DBR, NULL, ASY | SQL),
    AW("asyncpg.Connection.fetchval", DBW),
    E("asyncpg.Connection.copy_records_to_table", DBW, NULL, ASY),
    E("asyncpg.Connection.transaction", BEG, NULL, 0),
    E("asyncpg.Connection.add_listener", 0, NULL, ASY),
    T("asyncpg.Pool.acquire", 0, NULL, CTOR, "asyncpg.Connection"),
    E("asyncpg.Pool.execute", DBR, NULL, ASY | SQL),
    AW("asyncpg.Pool.execute", DBW),
    E("asyncpg.Pool.executemany", DBW, NULL, ASY),
    E("asyncpg.Pool.fetch", DBR, NULL, ASY | SQL),
    AW("asyncpg.Pool.fetch", DBW),
    E("asyncpg.Pool.fetchrow", DBR, NULL, ASY | SQL),
    AW("asyncpg.Pool.fetchrow", DBW),
    E("asyncpg.Pool.fetchval", DBR, NULL, ASY | SQL),
    AW("asyncpg.Pool.fetchval", DBW),

    /* ---- SQLAlchemy / SQLModel --------------------------------------- */
    SA_SESSION("sqlalchemy.orm.Session"),
    T("sqlalchemy.orm.session.Session", 0, NULL, CTOR, "sqlalchemy.orm.Session"),
    T("sqlalchemy.orm.scoped_session", 0, NULL, CTOR, "sqlalchemy.orm.sessionmaker"),
    T("sqlalchemy.orm.sessionmaker", 0, NULL, CTOR, "sqlalchemy.orm.sessionmaker"),
    T("sqlalchemy.orm.sessionmaker.__call__", 0, NULL, CTOR, "sqlalchemy.orm.Session"),
    T("sqlalchemy.orm.sessionmaker.begin", BEG, NULL, CTOR, "sqlalchemy.orm.Session"),
    T("sqlmodel.Session", 0, NULL, CTOR, "sqlalchemy.orm.Session"),
    T("sqlmodel.orm.session.Session", 0, NULL, CTOR, "sqlalchemy.orm.Session"),
    SA_ASYNC_SESSION("sqlalchemy.ext.asyncio.AsyncSession"),
    T("sqlalchemy.ext.asyncio.session.AsyncSession", 0, NULL, CTOR, "sqlalchemy.ext.asyncio.AsyncSession"),
    T("sqlmodel.ext.asyncio.session.AsyncSession", 0, NULL, CTOR, "sqlalchemy.ext.asyncio.AsyncSession"),
    T("sqlalchemy.ext.asyncio.async_sessionmaker", 0, NULL, CTOR, "sqlalchemy.ext.asyncio.async_sessionmaker"),
    T("sqlalchemy.ext.asyncio.async_scoped_session", 0, NULL, CTOR, "sqlalchemy.ext.asyncio.async_sessionmaker"),
    T("sqlalchemy.ext.asyncio.async_sessionmaker.__call__", 0, NULL, CTOR, "sqlalchemy.ext.asyncio.AsyncSession"),
    T("sqlalchemy.ext.asyncio.async_sessionmaker.begin", BEG, NULL, CTOR, "sqlalchemy.ext.asyncio.AsyncSession"),
    T("sqlalchemy.orm.Query", 0, NULL, CTOR, "sqlalchemy.orm.Query"),
    T("sqlalchemy.orm.Query.filter", 0, NULL, CTOR, "sqlalchemy.orm.Query"),
    T("sqlalchemy.orm.Query.filter_by", 0, NULL, CTOR, "sqlalchemy.orm.Query"),
    T("sqlalchemy.orm.Query.order_by", 0, NULL, CTOR, "sqlalchemy.orm.Query"),
    T("sqlalchemy.orm.Query.join", 0, NULL, CTOR, "sqlalchemy.orm.Query"),
    T("sqlalchemy.orm.Query.outerjoin", 0, NULL, CTOR, "sqlalchemy.orm.Query"),
    T("sqlalchemy.orm.Query.options", 0, NULL, CTOR, "sqlalchemy.orm.Query"),
    T("sqlalchemy.orm.Query.limit", 0, NULL, CTOR, "sqlalchemy.orm.Query"),
    T("sqlalchemy.orm.Query.offset", 0, NULL, CTOR, "sqlalchemy.orm.Query"),
    T("sqlalchemy.orm.Query.group_by", 0, NULL, CTOR, "sqlalchemy.orm.Query"),
    T("sqlalchemy.orm.Query.distinct", 0, NULL, CTOR, "sqlalchemy.orm.Query"),
    T("sqlalchemy.orm.Query.with_for_update", 0, NULL, CTOR, "sqlalchemy.orm.Query"),
    E("sqlalchemy.orm.Query.all", DBR | SDB, A_DB, 0),
    E("sqlalchemy.orm.Query.first", DBR | SDB, A_DB, 0),
    E("sqlalchemy.orm.Query.one", DBR | SDB, A_DB, 0),
    E("sqlalchemy.orm.Query.one_or_none", DBR | SDB, A_DB, 0),
    E("sqlalchemy.orm.Query.scalar", DBR | SDB, A_DB, 0),
    E("sqlalchemy.orm.Query.count", DBR | SDB, A_DB, 0),
    E("sqlalchemy.orm.Query.get", DBR | SDB, A_DB, 0),
    E("sqlalchemy.orm.Query.exists", DBR | SDB, A_DB, 0),
    E("sqlalchemy.orm.Query.update", DBW | SDB, A_DB, 0),
    E("sqlalchemy.orm.Query.delete", DBW | SDB, A_DB, 0),
    T("sqlalchemy.create_engine", 0, NULL, CTOR, "sqlalchemy.engine.Engine"),
    T("sqlalchemy.engine.create_engine", 0, NULL, CTOR, "sqlalchemy.engine.Engine"),
    T("sqlalchemy.engine.Engine", 0, NULL, CTOR, "sqlalchemy.engine.Engine"),
    T("sqlalchemy.engine.Engine.connect", SDB, A_DB, CTOR, "sqlalchemy.engine.Connection"),
    T("sqlalchemy.engine.Engine.begin", BEG | SDB, A_DB, CTOR, "sqlalchemy.engine.Connection"),
    T("sqlalchemy.engine.Connection", 0, NULL, CTOR, "sqlalchemy.engine.Connection"),
    T("sqlalchemy.Connection", 0, NULL, CTOR, "sqlalchemy.engine.Connection"),
    T("sqlalchemy.engine.Connection.execute", DBR | SDB, A_DB, SQL, "sqlalchemy.engine.Result"),
    W("sqlalchemy.engine.Connection.execute", DBW | SDB, A_DB),
    E("sqlalchemy.engine.Connection.scalar", DBR | SDB, A_DB, 0),
    E("sqlalchemy.engine.Connection.scalars", DBR | SDB, A_DB, 0),
    E("sqlalchemy.engine.Connection.commit", CMT | SDB, A_DB, 0),
    E("sqlalchemy.engine.Connection.rollback", RBK | SDB, A_DB, 0),
    E("sqlalchemy.engine.Connection.begin", BEG, NULL, 0),
    E("sqlalchemy.engine.Connection.begin_nested", BEG, NULL, 0),
    T("sqlalchemy.ext.asyncio.create_async_engine", 0, NULL, CTOR, "sqlalchemy.ext.asyncio.AsyncEngine"),
    T("sqlalchemy.ext.asyncio.AsyncEngine", 0, NULL, CTOR, "sqlalchemy.ext.asyncio.AsyncEngine"),
    T("sqlalchemy.ext.asyncio.AsyncEngine.connect", 0, NULL, CTOR, "sqlalchemy.ext.asyncio.AsyncConnection"),
    T("sqlalchemy.ext.asyncio.AsyncEngine.begin", BEG, NULL, CTOR, "sqlalchemy.ext.asyncio.AsyncConnection"),
    T("sqlalchemy.ext.asyncio.AsyncConnection", 0, NULL, CTOR, "sqlalchemy.ext.asyncio.AsyncConnection"),
    T("sqlalchemy.ext.asyncio.AsyncConnection.execute", DBR, NULL, ASY | SQL, "sqlalchemy.engine.Result"),
    AW("sqlalchemy.ext.asyncio.AsyncConnection.execute", DBW),
    E("sqlalchemy.ext.asyncio.AsyncConnection.scalar", DBR, NULL, ASY),
    E("sqlalchemy.ext.asyncio.AsyncConnection.scalars", DBR, NULL, ASY),
    E("sqlalchemy.ext.asyncio.AsyncConnection.stream", DBR, NULL, ASY),
    E("sqlalchemy.ext.asyncio.AsyncConnection.commit", CMT, NULL, ASY),
    E("sqlalchemy.ext.asyncio.AsyncConnection.rollback", RBK, NULL, ASY),
    E("sqlalchemy.ext.asyncio.AsyncConnection.begin", BEG, NULL, 0),
    E("sqlalchemy.ext.asyncio.AsyncConnection.run_sync", 0, NULL, ASY),

    /* ---- Django ORM -------------------------------------------------- */
    DJ("django.db.models.QuerySet"),
    E("django.db.models.Model.save", DBW | SDB, A_DB, 0),
    E("django.db.models.Model.delete", DBW | SDB, A_DB, 0),
    E("django.db.models.Model.refresh_from_db", DBR | SDB, A_DB, 0),
    E("django.db.models.Model.asave", DBW, NULL, ASY),
    E("django.db.models.Model.adelete", DBW, NULL, ASY),
    E("django.db.transaction.atomic", BEG, NULL, 0),
    E("django.db.transaction.commit", CMT | SDB, A_DB, 0),
    E("django.db.transaction.rollback", RBK | SDB, A_DB, 0),
    E("django.db.transaction.on_commit", 0, NULL, DEF),

    /* ---- CPU-bound --------------------------------------------------- */
    E("json.load", CPU | FIO, A_CPU, 0),
    E("json.loads", CPU, A_CPU, 0),
    E("pickle.load", CPU | FIO, A_CPU, 0),
    E("pickle.loads", CPU, A_CPU, 0),
    E("pickle.dump", CPU | FIO, A_CPU, 0),
    E("pickle.dumps", CPU, A_CPU, 0),
    E("hashlib.pbkdf2_hmac", CPU, A_CPU, 0),
    E("hashlib.scrypt", CPU, A_CPU, 0),
    E("bcrypt.hashpw", CPU, A_CPU, 0),
    E("bcrypt.checkpw", CPU, A_CPU, 0),
    E("bcrypt.gensalt", CPU, A_CPU, 0),
    E("bcrypt.kdf", CPU, A_CPU, 0),
    T("argon2.PasswordHasher", 0, NULL, CTOR, "argon2.PasswordHasher"),
    E("argon2.PasswordHasher.hash", CPU, A_CPU, 0),
    E("argon2.PasswordHasher.verify", CPU, A_CPU, 0),
    T("passlib.context.CryptContext", 0, NULL, CTOR, "passlib.context.CryptContext"),
    E("passlib.context.CryptContext.hash", CPU, A_CPU, 0),
    E("passlib.context.CryptContext.verify", CPU, A_CPU, 0),
    E("passlib.context.CryptContext.verify_and_update", CPU, A_CPU, 0),
    E("passlib.hash.*", CPU, A_CPU, 0),
    E("gzip.compress", CPU, A_CPU, 0),
    E("gzip.decompress", CPU, A_CPU, 0),
    T("gzip.open", FIO | CPU, A_FILE, CTOR, "io.IOBase"),
    E("zlib.compress", CPU, A_CPU, 0),
    E("zlib.decompress", CPU, A_CPU, 0),
    E("bz2.compress", CPU, A_CPU, 0),
    E("bz2.decompress", CPU, A_CPU, 0),
    T("bz2.open", FIO | CPU, A_FILE, CTOR, "io.IOBase"),
    E("bz2.*", CPU, A_CPU, 0),
    E("lzma.compress", CPU, A_CPU, 0),
    E("lzma.decompress", CPU, A_CPU, 0),
    T("lzma.open", FIO | CPU, A_FILE, CTOR, "io.IOBase"),
    E("lzma.*", CPU, A_CPU, 0),
    T("PIL.Image.open", FIO | CPU, A_CPU, CTOR, "PIL.Image.Image"),
    T("PIL.Image.new", CPU, A_CPU, CTOR, "PIL.Image.Image"),
    T("PIL.Image.Image.resize", CPU, A_CPU, CTOR, "PIL.Image.Image"),
    T("PIL.Image.Image.convert", CPU, A_CPU, CTOR, "PIL.Image.Image"),
    T("PIL.Image.Image.rotate", CPU, A_CPU, CTOR, "PIL.Image.Image"),
    T("PIL.Image.Image.crop", CPU, A_CPU, CTOR, "PIL.Image.Image"),
    E("PIL.Image.Image.thumbnail", CPU, A_CPU, 0),
    E("PIL.Image.Image.save", CPU | FIO, A_CPU, 0),
    E("cv2.*", CPU, A_CPU, 0),
    E("lxml.etree.parse", CPU, A_CPU, 0),
    E("lxml.etree.fromstring", CPU, A_CPU, 0),
    E("lxml.etree.XML", CPU, A_CPU, 0),
    E("lxml.html.fromstring", CPU, A_CPU, 0),
    E("xml.etree.ElementTree.parse", CPU, A_CPU, 0),
    E("xml.etree.ElementTree.fromstring", CPU, A_CPU, 0),
    E("xml.dom.minidom.parse", CPU, A_CPU, 0),
    E("xml.dom.minidom.parseString", CPU, A_CPU, 0),
    E("bs4.BeautifulSoup", CPU, A_CPU, 0),
    E("pandas.read_csv", CPU | FIO, A_CPU, 0),
    E("pandas.read_excel", CPU | FIO, A_CPU, 0),
    E("pandas.read_json", CPU | FIO, A_CPU, 0),
    E("pandas.read_parquet", CPU | FIO, A_CPU, 0),
    E("pandas.read_sql", CPU | SDB | DBR, A_CPU, 0),
    E("yaml.load", CPU, A_CPU, 0),
    E("yaml.safe_load", CPU, A_CPU, 0),

    /* ---- offloaders -------------------------------------------------- */
    E("asyncio.to_thread", 0, NULL, OFF | ASY),
    E("asyncio.AbstractEventLoop.run_in_executor", 0, NULL, OFF | ASY | PA_LIBX_CALLABLE),
    T("asyncio.get_event_loop", 0, NULL, CTOR, "asyncio.AbstractEventLoop"),
    T("asyncio.get_running_loop", 0, NULL, CTOR, "asyncio.AbstractEventLoop"),
    T("asyncio.new_event_loop", 0, NULL, CTOR, "asyncio.AbstractEventLoop"),
    E("anyio.to_thread.run_sync", 0, NULL, OFF | ASY),
    E("starlette.concurrency.run_in_threadpool", 0, NULL, OFF | ASY),
    E("fastapi.concurrency.run_in_threadpool", 0, NULL, OFF | ASY),
    E("asgiref.sync.sync_to_async", 0, NULL, OFF),
    E("channels.db.database_sync_to_async", 0, NULL, OFF),
    E("trio.to_thread.run_sync", 0, NULL, OFF | ASY),
    T("concurrent.futures.ThreadPoolExecutor", 0, NULL, CTOR, "concurrent.futures.Executor"),
    T("concurrent.futures.ProcessPoolExecutor", 0, NULL, CTOR, "concurrent.futures.Executor"),
    T("concurrent.futures.thread.ThreadPoolExecutor", 0, NULL, CTOR, "concurrent.futures.Executor"),
    E("concurrent.futures.Executor.submit", 0, NULL, OFF),
    E("concurrent.futures.Executor.map", 0, NULL, OFF),
    E("functools.partial", 0, NULL, 0),
    T("threading.Thread", 0, NULL, OFF | CTOR, "threading.Thread"),
    E("threading.Timer", 0, NULL, OFF | PA_LIBX_CALLABLE | DEF),
    T("multiprocessing.Process", 0, NULL, OFF | CTOR, "multiprocessing.Process"),
    T("multiprocessing.Pool", 0, NULL, CTOR, "concurrent.futures.Executor"),
    E("concurrent.futures.Executor.apply_async", 0, NULL, OFF),

    /* ---- deferred callables: run later, not now ----------------------- */
    T("fastapi.BackgroundTasks", 0, NULL, CTOR, "starlette.background.BackgroundTasks"),
    T("fastapi.background.BackgroundTasks", 0, NULL, CTOR, "starlette.background.BackgroundTasks"),
    T("starlette.background.BackgroundTasks", 0, NULL, CTOR, "starlette.background.BackgroundTasks"),
    E("starlette.background.BackgroundTasks.add_task", 0, NULL, DEF),
    E("asyncio.AbstractEventLoop.call_soon", 0, NULL, DEFL),
    E("asyncio.AbstractEventLoop.call_soon_threadsafe", 0, NULL, DEFL),
    E("asyncio.AbstractEventLoop.call_later", 0, NULL, DEFL),
    E("asyncio.AbstractEventLoop.call_at", 0, NULL, DEFL),
    E("asyncio.AbstractEventLoop.create_task", 0, NULL, CORO),
    E("asyncio.create_task", 0, NULL, CORO),
    E("asyncio.ensure_future", 0, NULL, CORO),
    T("asyncio.TaskGroup", 0, NULL, CTOR, "asyncio.TaskGroup"),
    E("asyncio.TaskGroup.create_task", 0, NULL, CORO),
    E("asyncio.Future.add_done_callback", 0, NULL, DEFL),
    E("atexit.register", 0, NULL, DEF),
    E("signal.signal", 0, NULL, DEF),
    E("weakref.finalize", 0, NULL, DEF),
};

/* Library attribute types: `db.session` of a Flask-SQLAlchemy object. */
static const struct { const char *type, *attr, *result; } k_attrs[] = {
    {"flask_sqlalchemy.SQLAlchemy", "session", "sqlalchemy.orm.Session"},
};

static pa_strmap g_map;            /* key → entry; built once, then read-only */
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void build_map(void)
{
    pa_strmap_init(&g_map);
    for (size_t i = 0; i < sizeof k_sigs / sizeof k_sigs[0]; i++)
        if (!pa_strmap_has(&g_map, k_sigs[i].key))   /* first entry of a key wins */
            pa_strmap_put(&g_map, k_sigs[i].key, (void *)&k_sigs[i]);
}

void pa_libsig_init(void) { pthread_once(&g_once, build_map); }

const struct pa_libsig *pa_libsig_find(const char *canonical)
{
    if (!canonical) return NULL;
    pa_libsig_init();
    const struct libsig_ent *e = pa_strmap_get(&g_map, canonical);
    return e ? &e->sig : NULL;
}

const struct pa_libsig *pa_libsig_lookup(const char *canonical)
{
    const struct pa_libsig *s = pa_libsig_find(canonical);
    if (s || !canonical) return s;
    size_t n = strlen(canonical);
    if (n + 3 > 256) return NULL;
    char buf[256];
    memcpy(buf, canonical, n + 1);
    /* longest prefix first: "a.b.c" tries "a.b.*" then "a.*" */
    for (size_t i = n; i-- > 0;) {
        if (buf[i] != '.') continue;
        buf[i + 1] = '*';
        buf[i + 2] = '\0';
        const struct libsig_ent *e = pa_strmap_get(&g_map, buf);
        if (e) return &e->sig;
    }
    return NULL;
}

static const struct libsig_ent *ent_of(const struct pa_libsig *sig)
{
    return (const struct libsig_ent *)(const void *)((const char *)sig - offsetof(struct libsig_ent, sig));
}

const struct pa_libsig *pa_libsig_write_variant(const struct pa_libsig *sig)
{
    if (!sig || !(sig->flags & PA_LIBX_SQL)) return sig;
    char buf[256];
    size_t n = strlen(sig->name);
    if (n + 3 > sizeof buf) return sig;
    memcpy(buf, sig->name, n);
    memcpy(buf + n, "#w", 3);
    const struct libsig_ent *e = pa_strmap_get(&g_map, buf);
    return e ? &e->sig : sig;
}

_Static_assert(sizeof k_sigs / sizeof k_sigs[0] < 65535, "library signature ids are 16-bit");

uint16_t pa_libsig_id(const struct pa_libsig *sig)
{
    return sig ? (uint16_t)(ent_of(sig) - k_sigs + 1) : 0;
}

const struct pa_libsig *pa_libsig_by_id(uint16_t id)
{
    return id && id <= sizeof k_sigs / sizeof k_sigs[0] ? &k_sigs[id - 1].sig : NULL;
}

const char *pa_libsig_returns(const struct pa_libsig *sig) { return sig ? ent_of(sig)->returns : NULL; }

const char *pa_libsig_attr_type(const char *type, const char *attr)
{
    if (!type || !attr) return NULL;
    for (size_t i = 0; i < sizeof k_attrs / sizeof k_attrs[0]; i++)
        if (strcmp(k_attrs[i].type, type) == 0 && strcmp(k_attrs[i].attr, attr) == 0) return k_attrs[i].result;
    /* an SDK client: any attribute is again the client (client.chat.completions) */
    char buf[256];
    if ((size_t)snprintf(buf, sizeof buf, "%s.*", type) >= sizeof buf) return NULL;
    const struct pa_libsig *s = pa_libsig_find(buf);
    if (s && (s->effects & PA_EFF_EXTERNAL)) return ent_of(s)->returns ? ent_of(s)->returns : type;
    return NULL;
}
